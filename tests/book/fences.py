"""Find the fenced code blocks of the book's pages.

Both the tangler and the page runner read the chapters through this module, so
that they agree on what a listing is. A fence looks like::

    ```python title="nn_from_scratch/neuron.py"

The language comes first; the attributes that follow (``title=...``) are the
ones Material for MkDocs shows. A fence may also be written in the braced form
that carries classes, ``{.python .excerpt title="..."}``: the first class is the
language, the others are the fence's classes (an excerpt, see excerpts.py, is
marked so; SuperFences refuses a fence with an attribute it does not know, but
passes a class on to the page). A fence may be indented (inside an admonition
or a collapsed block); its indentation is removed from the code.

One attribute is the book's own: ``data-run="no"`` marks a listing that the
page shows but that is not the book's to run, such as 5c's PyTorch contender
(it needs a library the book does not install; ``nox -s bench -- --torch``
runs it). The page runner, the tangler and the notebooks leave such a listing
out. Superfences takes a ``data-`` attribute only in braces, so the fence reads
``python { title="..." data-run="no" }`` (the site puts the attribute on the
code block, where it does nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "nn_from_scratch"

_OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)$", re.M)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_CLASS = re.compile(r"(?:^|\s)\.([\w-]+)")
_INCLUDE = re.compile(r'--8<--\s+"(?P<path>[^"]+)"')


@dataclass(frozen=True)
class Fence:
    """One fenced block: where it stands in the page and what it holds."""

    language: str
    attributes: dict
    code: str
    start: int  # offset of the opening fence in the page
    end: int  # offset just past the closing fence
    line: int  # line number (1-based) of the opening fence
    classes: tuple[str, ...] = ()  # the classes of a braced fence, the language's excepted

    @property
    def title(self) -> str | None:
        return self.attributes.get("title")

    @property
    def runs(self) -> bool:
        """False for a listing marked ``data-run="no"``: shown, never run, tangled or a cell."""
        value = self.attributes.get("data-run")
        if value not in (None, "no"):
            raise ValueError(f'line {self.line}: the only data-run= a fence takes is "no" '
                             f"(shown, not run), got data-run={value!r}")
        return value is None

    @property
    def include(self) -> str | None:
        """The file a block only includes (``--8<-- "path"``), shown but not run here."""
        match = _INCLUDE.fullmatch(self.code.strip())
        return match["path"] if match else None


def fences(text: str) -> list[Fence]:
    """Return the fenced blocks of a Markdown page, in order."""
    found = []
    position = 0
    while (opening := _OPENING.search(text, position)) is not None:
        indent, fence = opening["indent"], opening["fence"]
        closing = re.compile(rf"^{re.escape(indent)}{fence[0]}{{{len(fence)},}}[ \t]*$", re.M)
        close = closing.search(text, opening.end())
        if close is None:
            raise ValueError(
                f"unclosed code fence at line {text.count(chr(10), 0, opening.start()) + 1}"
            )
        body = text[opening.end() + 1 : close.start()]
        code = "".join(
            line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")
            for line in body.splitlines(keepends=True)
        )
        info = opening["info"].strip()
        if info.startswith("{") and info.endswith("}"):
            rest = info[1:-1]
            names = _CLASS.findall(_ATTRIBUTE.sub("", rest))
            language, classes = (names[0], tuple(names[1:])) if names else ("", ())
        else:
            language, _, rest = info.partition(" ")
            classes = ()
        found.append(
            Fence(
                language=language,
                attributes=dict(_ATTRIBUTE.findall(rest)),
                code=code,
                start=opening.start(),
                end=close.end(),
                line=text.count("\n", 0, opening.start()) + 1,
                classes=classes,
            )
        )
        position = close.end()
    return found


def pages() -> list[Path]:
    """The book's pages in reading order (their names sort in the handout's order)."""
    return sorted(DOCS.glob("*.md"))
