"""Turn a chapter's Markdown, written for MkDocs, into Markdown that Jupyter and Colab render.

The notebooks (notebooks.py) take their prose from the chapters. What only MkDocs
understands is rewritten here:

- admonitions (``!!!``), folds (``???``) and tabs (``===``): a bold title line and the body,
  dedented; a fold that holds no listing becomes ``<details><summary>``, which Jupyter renders
  folded, as the site does;
- fence attributes (``title="..."``, ``hl_lines``): a fence keeps its language only, its title
  goes on a line before it;
- snippet includes (``--8<-- "path"``): the included file's text;
- images of the book (the diagrams, ``diagrams/*.svg``): embedded in the Markdown as
  ``data:`` URIs (Colab renders no cell attachment, JupyterLab no SVG attachment; both render
  these), without their ``{ width=... }`` attributes;
- ``<figure>`` wrappers: the image, then the caption as a paragraph;
- headings: without code font (``## `train` `` is ``## train``), which mkdocs-jupyter's
  table of contents cannot link to;
- links to pages of the book (``errata.md#erratum-2``, ``#a-heading``): absolute links to the
  site, so that they work from Colab;
- dollars that are not math (``$24,200``): ``<span>&#36;</span>``, which neither Jupyter's
  Markdown renderer nor MathJax takes for a delimiter. Math is found as pymdownx.arithmatex
  finds it (``$$...$$``, and ``$...$`` whose delimiters do not touch a space), so what the
  site typesets the notebook typesets, and nothing else.

The ``{{ bench.* }}`` placeholders are rendered before (book.measured), and the listings
are taken out before (they become code cells): what comes here is prose and the fences
that are not run.
"""

from __future__ import annotations

import base64
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from .fences import fences


CURRENCY = "<span>&#36;</span>"

_OPENER = re.compile(
    r'^(?P<indent>[ \t]*)(?P<marker>!!!|\?\?\?\+?|===)[ \t]*(?P<kind>[\w-]+)?'
    r'(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$'
)
_INCLUDE_LINE = re.compile(r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<path>[^"]+)"[ \t]*$')
_HEADING = re.compile(r"^#{1,6}[ \t]")
_CODE_IN_HEADING = re.compile(r"`([^`]+)`")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:.|\n(?![ \t]*\n))+?(?<!`)\1(?!`)")
_IMAGE = re.compile(
    r'!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:[ \t]+"[^"]*")?\)(?:[ \t]*\{[^}\n]*\})?'
)
_LINK = re.compile(r"(?<!!)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])+)\]\((?P<target>[^)\s]+)\)")
_AUTOREF = re.compile(r"\[(?P<text>[^\[\]]+)\]\[(?P<identifier>[A-Za-z_]\w*(?:\.\w+)+)\]")
_FIGURE_TAG = re.compile(r"^[ \t]*</?figure\b[^>]*>[ \t]*$")
_CAPTION = re.compile(r"^(?P<indent>[ \t]*)<figcaption>(?P<text>.*)</figcaption>[ \t]*$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
# Math as pymdownx.arithmatex (generic, smart dollars) finds it.
_DISPLAY_MATH = re.compile(r"(?<!\\)\$\$(?:\\.|[^\\])+?\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<!\\)\$(?!\s)(?:\\.|[^\\$\n]|\n(?![ \t]*\n))+?(?<!\s)\$")
_DOLLAR = re.compile(r"\\?\$")
_PROTECTED = re.compile("\x02(\\d+)\x03")
_MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@dataclass(frozen=True)
class Context:
    """Where a page's prose comes from and where its links go."""

    page: str  # the page's path in docs/, e.g. "03a-single-neuron.md"
    docs: Path  # the docs directory, for images
    root: Path  # the repository, for snippet includes
    site_url: str  # ends with "/"
    directory_urls: bool = True
    api_page: str = "api.md"  # where an autoref ``[text][package.name]`` points

    def page_url(self, page: str) -> str:
        """The absolute address of a page of the site (``errata.md`` -> ``<site>errata/``)."""
        stem = page[: -len(".md")]
        if self.directory_urls:
            if stem == "index" or stem.endswith("/index"):
                stem = stem[: -len("index")]
            else:
                stem += "/"
            return self.site_url + stem
        return self.site_url + stem + ".html"


def convert(text: str, context: Context, keep: re.Pattern | None = None) -> str:
    """The page's prose as Markdown for Jupyter.

    Lines that ``keep`` matches (the markers of the listings taken out) pass through
    unchanged, dedented with the block they stand in.
    """
    lines = _unfold(_lines(text, context), keep)
    pieces, prose = [], []
    for line, verbatim in lines:
        if verbatim or (keep is not None and keep.match(line)):
            if prose:
                pieces.append(_inline("\n".join(prose), context))
                prose = []
            pieces.append(line)
        else:
            prose.append(line)
    if prose:
        pieces.append(_inline("\n".join(prose), context))
    return "\n".join(pieces)


def _lines(text: str, context: Context) -> list[tuple[str, bool]]:
    """The page as (line, verbatim) pairs: a fence's lines are verbatim, its opening line
    rewritten to the language alone (the title on a line before it), its includes inlined."""
    lines: list[tuple[str, bool]] = []
    position = 0
    for fence in fences(text):
        prose = text[position : fence.start]
        prose = prose[1:] if position else prose  # the line break that ends the previous fence
        lines += [(line, False) for line in _prose_lines(prose, context)]
        opening = text[fence.start : text.index("\n", fence.start)]
        indent = opening[: len(opening) - len(opening.lstrip(" \t"))]
        ticks = re.match(r"`{3,}|~{3,}", opening.lstrip(" \t")).group()
        if fence.title:
            lines += [(f"{indent}*`{fence.title}`*", False), ("", False)]
        lines.append((f"{indent}{ticks}{fence.language}", True))
        code = _include(fence.include, context) if fence.include else fence.code
        lines += [(indent + line if line.strip() else "", True) for line in code.splitlines()]
        lines.append((f"{indent}{ticks}", True))
        position = fence.end
    rest = text[position + 1 :] if position else text
    lines += [(line, False) for line in _prose_lines(rest, context)]
    return lines


def _prose_lines(text: str, context: Context) -> list[str]:
    """The lines of ``text`` (whole lines), with snippet includes replaced by the included text."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # what follows the last line break is not a line
    found = []
    for line in lines:
        if match := _INCLUDE_LINE.match(line):
            found += [
                match["indent"] + included if included.strip() else ""
                for included in _include(match["path"], context).splitlines()
            ]
        elif _HEADING.match(line):
            # mkdocs-jupyter's table of contents drops a heading's code from its anchors, which
            # then miss the heading's id: a heading keeps its words, not their code font.
            found.append(_CODE_IN_HEADING.sub(r"\1", line))
        elif "--8<--" in line:
            raise ValueError(
                f"docs/{context.page}: expected a snippet include as a line "
                f'--8<-- "path", got {line.strip()!r}'
            )
        else:
            found.append(line)
    return found


def _include(path: str, context: Context) -> str:
    file = context.root / path
    if not file.is_file():
        raise ValueError(f"docs/{context.page}: the included file {path} does not exist")
    return file.read_text(encoding="utf-8")


def _leading(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _unfold(lines: list[tuple[str, bool]], keep: re.Pattern | None) -> list[tuple[str, bool]]:
    """Replace every admonition, fold and tab by a title and its dedented body."""
    out: list[tuple[str, bool]] = []
    index = 0
    while index < len(lines):
        line, verbatim = lines[index]
        match = None if verbatim else _OPENER.match(line)
        if match is None:
            out.append((line, verbatim))
            index += 1
            continue
        indent, width = match["indent"], len(match["indent"])
        end = index + 1
        while end < len(lines) and (not lines[end][0].strip() or _leading(lines[end][0]) > width):
            end += 1
        while end > index + 1 and not lines[end - 1][0].strip():
            end -= 1  # trailing blank lines close the block
        body = _unfold(
            [(_dedent(text, width + 4), flag) for text, flag in lines[index + 1 : end]], keep
        )
        while body and not body[0][0].strip():
            body.pop(0)
        body = [(indent + text if text else "", flag) for text, flag in body]
        title = match["title"]
        if title is None:
            title = (match["kind"] or "").capitalize()
        holds_listing = keep is not None and any(keep.match(text) for text, _ in body)
        if match["marker"].startswith("???") and not holds_listing:
            opened = " open" if match["marker"] == "???+" else ""
            summary = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(title, quote=False))
            out += [(f"{indent}<details{opened}><summary>{summary}</summary>", False), ("", False)]
            out += body
            out += [("", False), (f"{indent}</details>", False)]
        else:
            if title:
                out += [(f"{indent}**{title}**", False), ("", False)]
            out += body
        index = end
    return out


def _dedent(line: str, width: int) -> str:
    return line[min(width, _leading(line)) :] if line.strip() else ""


def _inline(text: str, context: Context) -> str:
    """Rewrite the inline syntax of a run of prose lines (no fence among them)."""
    protected: list[str] = []

    def protect(value: str) -> str:
        protected.append(value)
        return f"\x02{len(protected) - 1}\x03"

    text = _CODE_SPAN.sub(lambda match: protect(match.group()), text)
    kept = []
    for line in text.split("\n"):
        if _FIGURE_TAG.match(line):
            continue
        if caption := _CAPTION.match(line):
            kept += ["", f"{caption['indent']}*{caption['text'].strip()}*"]
            continue
        kept.append(line)
    text = "\n".join(kept)
    text = _IMAGE.sub(lambda match: protect(_image(match, context)), text)
    text = _AUTOREF.sub(
        lambda match: protect(
            f"[{match['text']}]({context.page_url(context.api_page)}#{match['identifier']})"
        ),
        text,
    )
    text = _LINK.sub(lambda match: protect(_link(match, context)), text)
    text = _DISPLAY_MATH.sub(lambda match: protect(match.group()), text)
    text = _INLINE_MATH.sub(lambda match: protect(match.group()), text)
    text = _DOLLAR.sub(CURRENCY, text)
    while _PROTECTED.search(text):  # a link's text may hold a protected code span
        text = _PROTECTED.sub(lambda match: protected[int(match[1])], text)
    return text


def _image(match: re.Match, context: Context) -> str:
    src = match["src"]
    if _SCHEME.match(src) or src.startswith("/"):
        return f"![{match['alt']}]({src})"
    path = (context.docs / posixpath.dirname(context.page) / src).resolve()
    mime = _MIME.get(path.suffix.lower())
    if mime is None or not path.is_file():
        raise ValueError(
            f"docs/{context.page}: expected an image file (svg, png, jpg) of docs/ at {src}"
        )
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"![{match['alt']}](data:{mime};base64,{data})"


def _link(match: re.Match, context: Context) -> str:
    target = match["target"]
    if _SCHEME.match(target) or target.startswith("/"):
        return match.group()
    path, hash_, anchor = target.partition("#")
    if not path:
        address = context.page_url(context.page)
    else:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(context.page), path))
        if resolved.endswith(".md"):
            address = context.page_url(resolved)
        else:
            address = context.site_url + resolved
    return f"[{match['text']}]({address}{hash_}{anchor})"
