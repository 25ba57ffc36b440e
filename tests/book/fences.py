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

A fence indented in a collapsible block (``??? note "..."``, or ``???+`` for one
that opens at first) stands in a *fold*: off the page's main line, which a reader
may skip (``fold`` finds it).
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
_FOLD = re.compile(r'^(?P<indent>[ \t]*)\?\?\?\+?[ \t]+\w+(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$')


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


@dataclass(frozen=True)
class Fold:
    """A collapsible block, ``??? note "Title"`` and its indented body."""

    line: int  # line number (1-based) of its ``???`` line
    title: str
    text: str  # the opening line and the body, as the page writes them


def fold(text: str, fence: Fence) -> Fold | None:
    """The outermost collapsible block that ``fence`` stands in, or None on the main line.

    Examples
    --------
    >>> page = ('Text.\\n\\n??? note "Why"\\n    Because.\\n\\n'
    ...         '    ```python\\n    x = 1\\n    ```\\nNext.\\n')
    >>> found = fold(page, fences(page)[0])
    >>> found.line, found.title, found.text.split()
    (3, 'Why', ['???', 'note', '"Why"', 'Because.', '```python', 'x', '=', '1', '```'])
    >>> fold("```python\\nx = 1\\n```\\n", fences("```python\\nx = 1\\n```\\n")[0]) is None
    True
    """
    lines = text.splitlines(keepends=True)
    number = fence.line - 1  # index of the fence's opening line
    indent = len(lines[number]) - len(lines[number].lstrip(" \t"))
    if indent == 0:
        return None
    found = None
    # Each line above with less indentation opens a block the fence stands in (a fold, a list
    # item, an admonition or a tab); the search ends at the first one flush with the margin.
    for index in range(number - 1, -1, -1):
        line = lines[index]
        depth = len(line) - len(line.lstrip(" \t"))
        if not line.strip() or depth >= indent:
            continue
        if match := _FOLD.match(line):
            found = (index, depth, match["title"] or "")
        indent = depth
        if depth == 0:
            break
    if found is None:
        return None
    start, depth, title = found
    end = start + 1
    while end < len(lines) and (not lines[end].strip()
                                or len(lines[end]) - len(lines[end].lstrip(" \t")) > depth):
        end += 1
    return Fold(line=start + 1, title=title, text="".join(lines[start:end]))


def pages() -> list[Path]:
    """The book's pages in reading order (their names sort in the handout's order)."""
    return sorted(DOCS.glob("*.md"))
