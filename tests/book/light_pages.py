"""What the MkDocs hook does to keep pages light (book.weight measures the result).

- A notebook page (mkdocs-jupyter) comes with about 590 KB of JupyterLab and Pygments CSS
  in ``<style>`` elements: ``shared_styles`` takes them out of the page, ``used_css`` keeps
  the rules that can apply to some notebook page (most style JupyterLab's own interface:
  widgets, menus, editors), and the hook writes that once into the site, under a name made
  from its content (so that a browser may keep the file as long as it likes), and links that
  file from the head of each notebook page.
- A notebook's figures are inline ``data:`` images (Colab needs them there); ``inline_images``
  points each at the file the site already has (the chapter's figure, the diagram), or at a
  file written for it when there is none.
- A figure that has a narrow variant (book.figure_files) is shown in a ``<picture>`` that
  serves that variant below 600 px (``narrow_pictures``).
- Every image of a page's content gets its width and height (so that the page keeps its
  layout while images load) and ``loading="lazy"`` (an image below the first screen is fetched
  when the reader comes near it).
- ``has_math`` tells the template whether the page needs MathJax at all.
- ``unsearched_blocks`` keeps out of the search index what a reader never searches for and
  what the index already holds: a listing's printed output and an excerpt of a listing.

>>> html = '<p>x</p><style type="text/css">a { color: red }</style><p>y</p>'
>>> shared_styles(html)
('<p>x</p><p>y</p>', 'a { color: red }\\n')
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
from pathlib import Path


_STYLE = re.compile(r"<style\b[^>]*>(?P<css>.*?)</style>\s*", re.S | re.I)
_DATA_IMAGE = re.compile(
    r'src="data:image/(?P<type>png|svg\+xml);base64,(?P<data>[A-Za-z0-9+/=\s]+)"'
)
_IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)\s*/?>", re.I)
_ATTR = re.compile(r'\s(?P<name>[\w-]+)(?:="(?P<value>[^"]*)")?')
_SVG_SIZE = re.compile(rb"<svg\b[^>]*>", re.S)
_EXTENSIONS = {"png": ".png", "svg+xml": ".svg"}


def shared_styles(html: str) -> tuple[str, str]:
    """``html`` without its ``<style>`` elements, and their CSS, in order."""
    styles = [match["css"].strip() + "\n" for match in _STYLE.finditer(html)]
    return _STYLE.sub("", html), "".join(styles)


_CLASS_ATTRIBUTE = re.compile(r'\sclass="([^"]*)"')


def class_names(html: str) -> set[str]:
    """Every class named in ``html``'s ``class`` attributes.

    >>> sorted(class_names('<div class="a b"><p class="b">x</p></div>'))
    ['a', 'b']
    """
    return {name for match in _CLASS_ATTRIBUTE.finditer(html) for name in match[1].split()}


def _needed_classes(selector: list) -> set[str]:
    """The classes an element path must carry to match ``selector`` (tinycss2 tokens of one
    complex selector). What stands inside a function (``:not(.a)``, ``:is(.a, .b)``) is not
    required."""
    needed = set()
    for before, token in zip([None, *selector], selector):
        if token.type == "ident" and before is not None and before.type == "literal" \
                and before.value == ".":
            needed.add(token.value)
    return needed


def used_css(css: str, classes: set[str]) -> str:
    """The rules of ``css`` that can apply to a page whose elements carry only ``classes``:
    a selector that needs another class is dropped, a rule left without selectors too; at-rules
    other than ``@media`` and ``@supports`` (keyframes, fonts) are kept as they are.

    >>> used_css(".a, .b .c { color: red } .d:not(.e) { margin: 0 } @media print { .e { x: 1 } }",
    ...          {"a", "d"})
    '.a{ color: red }\\n.d:not(.e){ margin: 0 }\\n'
    """
    import tinycss2

    def kept(rules) -> list[str]:
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors, current = [], []
                for token in rule.prelude:
                    if token.type == "literal" and token.value == ",":
                        selectors.append(current)
                        current = []
                    else:
                        current.append(token)
                selectors.append(current)
                wanted = [tinycss2.serialize(selector).strip() for selector in selectors
                          if _needed_classes(selector) <= classes]
                if wanted:
                    out.append(f"{','.join(wanted)}{{{tinycss2.serialize(rule.content)}}}\n")
            elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") \
                    and rule.content is not None:
                inner = kept(tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                            skip_whitespace=True))
                if inner:
                    prelude = tinycss2.serialize(rule.prelude)
                    out.append(f"@{rule.at_keyword}{prelude}{{\n{''.join(inner)}}}\n")
            elif rule.type == "at-rule":
                out.append(tinycss2.serialize([rule]) + "\n")
        return out

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "".join(kept(rules))


def content_name(data: bytes, stem: str, suffix: str) -> str:
    """A file name that changes whenever the content does.

    >>> content_name(b"a { }", "jupyter", ".css")
    'jupyter.57bef6527e.css'
    """
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{suffix}"


def image_size(data: bytes) -> tuple[int, int] | None:
    """A PNG's or an SVG's width and height in CSS px, or None when they cannot be told.

    >>> image_size(b'<svg xmlns="http://www.w3.org/2000/svg" width="560" height="300">')
    (560, 300)
    >>> image_size(b'\\x89PNG\\r\\n\\x1a\\n' + b'\\x00\\x00\\x00\\rIHDR' + struct.pack('>II', 8, 4))
    (8, 4)
    """
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    match = _SVG_SIZE.search(data[:4096])
    if match:
        tag = match.group().decode("utf-8", "replace")
        width = re.search(r'\swidth="([\d.]+)(?:px)?"', tag)
        height = re.search(r'\sheight="([\d.]+)(?:px)?"', tag)
        if width and height:
            return round(float(width[1])), round(float(height[1]))
    return None


def inline_images(html: str, known: dict[str, str], write) -> str:
    """Replace each inline PNG or SVG (``src="data:..."``) by a link to a file.

    ``known`` maps the SHA-256 of a file's bytes to the link to it from the page;
    ``write(name, data)`` writes a file for any other image and returns the link to it.

    >>> data = base64.b64encode(b"figure").decode()
    >>> known = {hashlib.sha256(b"figure").hexdigest(): "../../generated/a.png"}
    >>> inline_images(f'<img src="data:image/png;base64,{data}" alt="A">', known, None)
    '<img src="../../generated/a.png" alt="A">'
    """

    def replace(match: re.Match) -> str:
        data = base64.b64decode(re.sub(r"\s", "", match["data"]))
        link = known.get(hashlib.sha256(data).hexdigest())
        if link is None:
            link = write(content_name(data, "image", _EXTENSIONS[match["type"]]), data)
        return f'src="{link}"'

    return _DATA_IMAGE.sub(replace, html)


def lazy_images(html: str, size_of) -> str:
    """Give every ``<img>`` ``loading="lazy"``, ``decoding="async"`` and, when ``size_of(src)``
    knows them, its ``width`` and ``height`` (a width already set keeps its proportion).

    >>> lazy_images('<img alt="A" src="a.png" width="100">', lambda src: (400, 300))
    '<img alt="A" src="a.png" width="100" height="75" loading="lazy" decoding="async">'
    >>> lazy_images('<img src="data:,">', lambda src: None)
    '<img src="data:," loading="lazy" decoding="async">'
    """

    def replace(match: re.Match) -> str:
        attrs = {found["name"]: found["value"] for found in _ATTR.finditer(match["attrs"])}
        added = {}
        size = size_of(attrs.get("src") or "")
        if size is not None and "height" not in attrs:
            width, height = size
            if "width" in attrs:
                shown = float(attrs["width"])
                added["height"] = str(round(height * shown / width))
            else:
                added.update(width=str(width), height=str(height))
        added.setdefault("loading", "lazy")
        added.setdefault("decoding", "async")
        extra = "".join(f' {name}="{value}"' for name, value in added.items() if name not in attrs)
        return f"<img{match['attrs']}{extra}>"

    return _IMG.sub(replace, html)


NARROW_MEDIA = "(max-width: 599px)"  # where a figure's narrow variant is shown


def narrow_pictures(html: str, narrow_of, size_of) -> str:
    """Put each ``<img>`` whose figure has a narrow variant (``narrow_of(src)``: the link to it,
    or None) in a ``<picture>`` that shows that variant on screens below 600 px.

    >>> narrow_pictures('<img alt="A" src="g/a.png">', lambda src: "g/narrow/a.png",
    ...                 lambda src: (400, 600))
    '<picture><source media="(max-width: 599px)" srcset="g/narrow/a.png" width="400" \
height="600"><img alt="A" src="g/a.png"></picture>'
    """

    def replace(match: re.Match) -> str:
        attrs = {found["name"]: found["value"] for found in _ATTR.finditer(match["attrs"])}
        narrow = narrow_of(attrs.get("src") or "")
        if narrow is None:
            return match.group()
        size = size_of(narrow)
        dimensions = f' width="{size[0]}" height="{size[1]}"' if size else ""
        source = f'<source media="{NARROW_MEDIA}" srcset="{narrow}"{dimensions}>'
        return f"<picture>{source}{match.group()}</picture>"

    return _IMG.sub(replace, html)


_UNSEARCHED = re.compile(
    r'<div class="(?P<classes>[^"]*\bhighlight\b[^"]*)"(?P<attrs>[^>]*)>'
    r'(?P<output><span class="filename">Output</span>)?'
)


def unsearched_blocks(html: str) -> str:
    """Mark each ``Output`` block and each excerpt (book.excerpts) ``data-search-exclude``, which
    Material's search plugin leaves out of its index.

    >>> unsearched_blocks('<div class="language-text highlight"><span class="filename">Output'
    ...                   '</span><pre>1.0</pre></div><div class="language-python highlight">')
    '<div class="language-text highlight" data-search-exclude><span class="filename">Output\
</span><pre>1.0</pre></div><div class="language-python highlight">'
    """

    def replace(match: re.Match) -> str:
        excerpt = "excerpt" in match["classes"].split()
        if not (match["output"] or excerpt) or "data-search-exclude" in match["attrs"]:
            return match.group()
        return (f'<div class="{match["classes"]}"{match["attrs"]} data-search-exclude>'
                f'{match["output"] or ""}')

    return _UNSEARCHED.sub(replace, html)


def notebook_has_math(notebook: dict) -> bool:
    """True when a Markdown cell of the notebook holds a ``$`` (book.jupyter_markdown writes
    every dollar that is not math as ``&#36;``).

    >>> cost = {"cell_type": "markdown", "source": ["Cost <span>&#36;</span>3"]}
    >>> notebook_has_math({"cells": [cost]})
    False
    >>> notebook_has_math({"cells": [{"cell_type": "markdown", "source": "$x_i$"}]})
    True
    """
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") == "markdown" and "$" in text:
            return True
    return False


def has_math(content: str, notebook: Path | None) -> bool:
    """Whether a page needs MathJax: a chapter holds formulas marked by pymdownx.arithmatex,
    a notebook page the ``$`` math of its Markdown cells."""
    if 'class="arithmatex"' in content:
        return True
    if notebook is not None:
        return notebook_has_math(json.loads(notebook.read_text(encoding="utf-8")))
    return False
