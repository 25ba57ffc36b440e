"""How large a figure's text is where the page shows it (book.weight runs this on a phone).

A PNG holds no font sizes, so the page runner (book.pages) writes, next to each figure it
saves (``docs/generated/<name>.png``), a record ``<name>.json``: the smallest size of the text
drawn in it (``smallest_pt``, in points, over every Text artist drawn: tick labels, titles,
legends, annotations), the resolution it was saved at (``dpi``) and its width in pixels
(``width_px``). At its natural size that text is ``smallest_pt * dpi / 72`` pixels tall; shown
``w`` CSS px wide it is that times ``w / width_px``. A diagram (``diagrams/*.svg``) is measured
from its own ``font-size`` declarations and its ``viewBox``: text of ``s`` user units in a
viewBox ``W`` wide is ``s * w / W`` CSS px when the image is shown ``w`` px wide.

A figure fails when that is below ``SMALLEST_PX`` CSS px.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import unquote, urlsplit


SMALLEST_PX = 8.0
RECORD_KEYS = ("smallest_pt", "dpi", "width_px")
_SVG = "{http://www.w3.org/2000/svg}"
_RULE = re.compile(r"([^{}]+)\{([^}]*)\}")
_FONT_SIZE = re.compile(r"font-size\s*:\s*([\d.]+)(px)?\s*(?:;|$)")
_DEFAULT_FONT_PX = 16.0  # a browser's medium


def _font_size(declarations: str) -> float | None:
    match = _FONT_SIZE.search(declarations)
    return float(match[1]) if match else None


def svg_text_size(svg: bytes | str) -> tuple[float, float]:
    """The smallest font size of the text an SVG draws and its viewBox width, both in user
    units. Sizes come from the stylesheet (``text`` and ``.class`` rules), ``font-size``
    attributes and ``style`` attributes, inherited as CSS inherits them.

    >>> svg_text_size('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 100">'
    ...     '<style>text { font-size: 16px } .sub { font-size: 12px }</style>'
    ...     '<text>x<tspan class="sub">i</tspan></text><text font-size="20">y</text></svg>')
    (12.0, 400.0)
    """
    root = ElementTree.fromstring(svg.encode() if isinstance(svg, str) else svg)
    view_box = root.get("viewBox")
    if view_box is None:
        raise ValueError("expected an SVG with a viewBox, found none")
    width = float(view_box.replace(",", " ").split()[2])
    type_rules: dict[str, float] = {}
    class_rules: dict[str, float] = {}
    for style in root.iter(f"{_SVG}style"):
        for selectors, declarations in _RULE.findall(style.text or ""):
            size = _font_size(declarations)
            if size is None:
                continue
            for selector in selectors.split(","):
                selector = selector.strip()
                if selector.startswith("."):
                    class_rules[selector[1:]] = size
                elif re.fullmatch(r"[a-z]+", selector):
                    type_rules[selector] = size
    sizes = []

    def walk(element, inherited: float) -> None:
        tag = element.tag.removeprefix(_SVG)
        size = inherited
        attribute = element.get("font-size")
        if attribute is not None:
            size = float(attribute.removesuffix("px"))
        if tag in type_rules:
            size = type_rules[tag]
        for name in (element.get("class") or "").split():
            if name in class_rules:
                size = class_rules[name]
        declared = _font_size(element.get("style") or "")
        if declared is not None:
            size = declared
        if tag in ("text", "tspan", "textPath") and (element.text or "").strip():
            sizes.append(size)
        for child in element:
            walk(child, size)

    walk(root, _DEFAULT_FONT_PX)
    if not sizes:
        raise ValueError("expected an SVG that draws text, found no <text> with any")
    return min(sizes), width


def read_record(path: Path) -> dict:
    """A figure's record (see the module's docstring), checked.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "a.json").write_text('{"smallest_pt": 9, "dpi": 110}')
    30
    >>> read_record(folder / "a.json")
    Traceback (most recent call last):
    ...
    ValueError: ...a.json: expected the keys smallest_pt, dpi, width_px, got dpi, smallest_pt
    """
    record = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(record, dict) or any(key not in record for key in RECORD_KEYS):
        got = ", ".join(sorted(record)) if isinstance(record, dict) else type(record).__name__
        raise ValueError(f"{path}: expected the keys {', '.join(RECORD_KEYS)}, got {got}")
    return record


def shown_text_px(natural_text_px: float, natural_width: float, shown_width: float) -> float:
    """The text's size in CSS px when an image of that natural width is shown that wide.

    >>> shown_text_px(15.0, 660.0, 330.0)
    7.5
    """
    return natural_text_px * shown_width / natural_width


def natural_text(root: Path, url_path: str) -> tuple[float, float] | None:
    """The smallest text (px at natural size) and natural width of the figure served at
    ``url_path`` (a path inside the site), or None when it is no figure of the book."""
    file = root / url_path
    in_generated = "generated" in (file.parent.name, file.parent.parent.name)  # or narrow/
    if file.suffix == ".png" and in_generated:
        record = read_record(file.with_suffix(".json"))
        return record["smallest_pt"] * record["dpi"] / 72, float(record["width_px"])
    if file.suffix == ".svg" and file.parent.name == "diagrams":
        return svg_text_size(file.read_bytes())
    return None


# Every image of the page's content, with every fold around it opened and lazy ones loaded.
FIGURES = """async () => {
  for (const fold of document.querySelectorAll("article details")) fold.open = true;
  const images = Array.from(document.querySelectorAll("article img"));
  for (const image of images) image.loading = "eager";
  const settle = (image) => Promise.race([
    image.decode().catch(() => {}), new Promise((done) => setTimeout(done, 5000))]);
  await Promise.all(images.map(settle));
  return images.map((image) => ({
    src: image.currentSrc || image.src, alt: image.alt,
    width: image.getBoundingClientRect().width,
  }));
}"""


async def problems(page, root: Path, path: str) -> list[str]:
    """The figures on the open ``page`` (the site's page ``path``) whose text is too small."""
    found = []
    prefix = urlsplit(page.url).path[: -len(path)] if path else urlsplit(page.url).path
    for image in await page.evaluate(FIGURES):
        parts = urlsplit(image["src"])
        if parts.scheme not in ("http", "https"):
            continue  # an inline image: book.weight reports notebook pages that hold them
        inside = unquote(parts.path).removeprefix(prefix)
        try:
            natural = natural_text(root, inside)
        except (OSError, ValueError) as error:
            found.append(f"figure {inside}: its text size is not known ({error})")
            continue
        if natural is None or image["width"] == 0:
            continue
        text_px, natural_width = natural
        shown = shown_text_px(text_px, natural_width, image["width"])
        if shown < SMALLEST_PX:
            found.append(
                f"figure {inside}: smallest text {shown:.1f} CSS px, below {SMALLEST_PX:g} "
                f"(shown {image['width']:.0f} px wide of {natural_width:.0f}, text "
                f"{text_px:.1f} px at natural size)"
            )
    return found
