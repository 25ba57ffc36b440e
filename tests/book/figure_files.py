"""How the page runner (book.pages) writes a figure: the PNG, a narrow variant for phones,
and a record of each one's text size.

- ``<name>.png``: the figure as its listing made it (``dpi=110``, tight bounding box), its
  colours reduced to a 256-colour palette (a third of the bytes; the plots have few colours).
- ``narrow/<name>.png``: the same figure laid out for a screen below 600 px (the site serves
  it there through ``<picture>``): ``NARROW_INCHES`` wide, its panels in as many columns as
  keep each about as wide as it was (so a row of two or three plots becomes a column), each
  panel's proportions kept. Text keeps its size in points, so it is larger against the figure.
- ``<name>.json`` next to each PNG: its smallest text (``smallest_pt``: the smallest font size,
  in points, of the Text artists drawn: tick labels, titles, legends, annotations), ``dpi``
  and ``width_px``, which book.figure_text reads to tell how large that text is on a phone.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import struct
from pathlib import Path


DPI = 110
NARROW_INCHES = 4.4  # a phone's 360 CSS px at about 1.2 px per image pixel
NARROW = "narrow"  # the narrow variants' folder, inside the figures' folder


@contextlib.contextmanager
def drawn_text_sizes(sizes: list[float]):
    """Record the font size of every Text artist that draws something while inside."""
    from matplotlib.text import Text

    draw = Text.draw

    def recording(self, renderer, *args, **kwargs):
        if self.get_visible() and self.get_text().strip():
            sizes.append(float(self.get_fontsize()))
        return draw(self, renderer, *args, **kwargs)

    Text.draw = recording
    try:
        yield sizes
    finally:
        Text.draw = draw


def png_width(data: bytes) -> int:
    """The width of a PNG in pixels (from its header).

    >>> png_width(b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00\\x00\\x00\\rIHDR" + struct.pack(">II", 8, 4))
    8
    """
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError(f"expected a PNG, got bytes starting {data[:16]!r}")
    return struct.unpack(">I", data[16:20])[0]


def save(figure, path: Path) -> dict:
    """Save ``figure`` as a palette PNG at ``path`` and its record next to it; return the record."""
    from PIL import Image

    sizes: list[float] = []
    buffer = io.BytesIO()
    with drawn_text_sizes(sizes):
        figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    if not sizes:
        raise ValueError(f"{path.name}: the figure draws no text (no labels, ticks or title)")
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                             dither=Image.Dither.FLOYDSTEINBERG)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    data = out.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    record = {"smallest_pt": min(sizes), "dpi": DPI, "width_px": png_width(data)}
    path.with_suffix(".json").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return record


def narrow_columns(columns: int, width: float, narrow: float = NARROW_INCHES) -> int:
    """How many of a row's ``columns`` panels fit ``narrow`` inches at about their width.

    >>> narrow_columns(2, 12.0), narrow_columns(1, 6.0), narrow_columns(10, 9.5)
    (1, 1, 5)
    """
    return max(1, min(columns, round(columns * narrow / width)))


def lay_out_narrow(figure) -> None:
    """Lay ``figure`` out ``NARROW_INCHES`` wide (see the module's docstring)."""
    from matplotlib.gridspec import GridSpec

    width, height = figure.get_size_inches()
    panels = [axes for axes in figure.axes if axes.get_subplotspec() is not None]
    grids = {id(axes.get_subplotspec().get_gridspec()) for axes in panels}
    if len(panels) == len(figure.axes) and len(grids) == 1 and len(panels) > 1:
        rows, columns = panels[0].get_subplotspec().get_gridspec().get_geometry()
        new_columns = narrow_columns(columns, width)
        if new_columns < columns:
            order = sorted(panels, key=lambda axes: axes.get_subplotspec().num1)
            new_rows = math.ceil(len(order) / new_columns)
            panel_width = NARROW_INCHES / new_columns
            panel_height = (height / rows) * panel_width / (width / columns)
            figure.set_size_inches(NARROW_INCHES, max(panel_height * new_rows, 1.0))
            grid = GridSpec(new_rows, new_columns, figure=figure)
            for number, axes in enumerate(order):
                axes.set_subplotspec(grid[number // new_columns, number % new_columns])
            figure.set_layout_engine("constrained")
            return
    # One column already, or a layout not made of one grid: the same layout, narrower.
    if width > NARROW_INCHES:
        figure.set_size_inches(NARROW_INCHES, height * NARROW_INCHES / width)


def save_with_narrow(figure, folder: Path, name: str) -> None:
    """Save ``figure`` as ``folder/name`` and its narrow variant as ``folder/narrow/name``."""
    save(figure, folder / name)
    lay_out_narrow(figure)
    save(figure, folder / NARROW / name)
