"""Excerpts: a few lines of a long listing, shown where the text speaks of them.

When a chapter shows a class again for a few changed lines, the page shows the
lines that changed, with enough around them to read, and the whole listing (the
one that runs, is tangled and copies) stays one click away in a fold after it.
The excerpt is a fence of the braced form with the class ``excerpt``::

    ```{.python .excerpt title="nn_from_scratch/neuron.py" hl_lines="4"}
    class Neuron:
        # ...
        def __init__(self, num_inputs, activation_function, momentum=0.0):
            check_momentum(momentum)
            # ...
    ```

    ??? note "The whole class"
        ```python title="nn_from_scratch/neuron.py" hl_lines="..."
        (the full listing)
        ```

An excerpt is cut from the next Python listing of its page; the class
``excerpt-of-previous`` cuts it from the previous one instead. It is never run
(the page runner, the tangler and the notebooks skip it), but it is checked:

* every line of it is a line of that listing, verbatim, in the listing's order,
  except the elision marks, lines that read ``# ...`` (indented as the code
  around them);
* every gap is marked and every mark stands for a gap: where the excerpt leaves
  lines out (at its start and end too) it has a mark, and between two lines that
  follow each other in the listing it has none;
* its title, when it has one, is the listing's.

The tangler adds two rules for an excerpt of a package listing (tangle.py): its
``hl_lines`` names the excerpt's lines that the listing highlights, and it shows
every line the listing highlights outside docstrings, so no change is hidden in
the fold.
"""

from __future__ import annotations

import ast
import difflib

from .fences import Fence


ELISION = "# ..."
EXCERPT, OF_PREVIOUS = "excerpt", "excerpt-of-previous"


class ExcerptError(ValueError):
    """An excerpt that is not a verbatim part of its listing, or that has none."""


def is_excerpt(fence: Fence) -> bool:
    """True for a fence marked as an excerpt (``.excerpt`` or ``.excerpt-of-previous``)."""
    return EXCERPT in fence.classes or OF_PREVIOUS in fence.classes


def is_listing(fence: Fence) -> bool:
    """True for a Python listing the page runner runs: not an include, not an excerpt."""
    return fence.language == "python" and not fence.include and not is_excerpt(fence)


def source(blocks: list[Fence], index: int) -> Fence:
    """The listing the excerpt ``blocks[index]`` is cut from: the next listing, or the previous."""
    excerpt = blocks[index]
    if excerpt.language != "python":
        raise ExcerptError(
            f"line {excerpt.line}: an excerpt is a Python fence, "
            f"{{.python .excerpt ...}}; got language {excerpt.language!r}"
        )
    previous = OF_PREVIOUS in excerpt.classes
    others = reversed(blocks[:index]) if previous else blocks[index + 1 :]
    found = next((fence for fence in others if is_listing(fence)), None)
    if found is None:
        where = "before" if previous else "after"
        raise ExcerptError(
            f"line {excerpt.line}: an excerpt of the {'previous' if previous else 'next'} "
            f"listing, but no Python listing comes {where} it on the page"
        )
    if excerpt.title is not None and excerpt.title != found.title:
        raise ExcerptError(
            f"line {excerpt.line}: the excerpt is titled {excerpt.title!r}, but the listing "
            f"it is cut from (line {found.line}) is titled {found.title!r}"
        )
    return found


def _shown(code: str) -> list[str]:
    """The lines of a listing as the page shows them (Pygments drops leading blank lines)."""
    return [line.rstrip() for line in code.lstrip("\n").splitlines()]


def _first_shown_line(fence: Fence) -> int:
    """The page line of a fence's first shown code line."""
    return fence.line + 1 + len(fence.code) - len(fence.code.lstrip("\n"))


def line_map(excerpt: Fence, full: Fence) -> list[int | None]:
    """For each shown line of the excerpt, the shown line of ``full`` it is (from 1), or None
    for an elision mark; raise ``ExcerptError`` when the excerpt is not a verbatim part of it.

    Examples
    --------
    >>> from book.fences import fences
    >>> page = ("```{.python .excerpt}\\n# ...\\nb = 2\\n# ...\\n```\\n\\n"
    ...         "```python\\na = 1\\nb = 2\\nc = 3\\n```\\n")
    >>> excerpt, full = fences(page)
    >>> line_map(excerpt, full)
    [None, 2, None]
    >>> line_map(excerpt, fences(page.replace("b = 2\\nc", "b = 3\\nc"))[1])
    Traceback (most recent call last):
    ...
    book.excerpts.ExcerptError: line 3: the excerpt reads 'b = 2', which the listing ...
    """
    lines, listing = _shown(excerpt.code), _shown(full.code)
    first = _first_shown_line(excerpt)
    chunks: list[tuple[int, int]] = []  # (first, end) indices into lines, between the marks
    start = 0
    for index, line in enumerate([*lines, ELISION]):
        if line.strip() == ELISION:
            if index > start:
                chunks.append((start, index))
            start = index + 1
    if not chunks:
        raise ExcerptError(f"line {excerpt.line}: an excerpt with no line of its listing")
    mapping: list[int | None] = [None] * len(lines)
    earliest = 0  # the first index of the listing the next chunk may start at
    for number, (begin, end) in enumerate(chunks):
        chunk = lines[begin:end]
        marked_before = begin > 0  # an elision mark stands right before the chunk
        last = number == len(chunks) - 1
        marked_after = end < len(lines)
        candidates = [
            at
            for at in range(earliest + marked_before, len(listing) - len(chunk) + 1)
            if listing[at : at + len(chunk)] == chunk
        ]
        if not marked_before:
            candidates = [at for at in candidates if at == earliest]
        if last:
            candidates = [
                at
                for at in candidates
                if (at + len(chunk) < len(listing)) == marked_after
            ]
        if not candidates:
            raise ExcerptError(_why(full, lines, listing, (begin, end), earliest,
                                    (marked_before, last, marked_after), first))
        at = candidates[0]
        for offset in range(len(chunk)):
            mapping[begin + offset] = at + offset + 1
        earliest = at + len(chunk)
    return mapping


def _why(full, lines, listing, span, earliest, marks, first) -> str:
    """Say what keeps the excerpt's lines ``span`` (indices) from being a part of the listing."""
    (begin, end), (marked_before, last, marked_after) = span, marks
    chunk = lines[begin:end]
    what = f"the listing at line {full.line}"
    found = [
        at
        for at in range(earliest, len(listing) - len(chunk) + 1)
        if listing[at : at + len(chunk)] == chunk
    ]
    if found:  # the lines are there, but a gap is marked where there is none, or the reverse
        if marked_before and found == [earliest]:
            return (f"line {first + begin - 1}: an elision mark where {what} leaves nothing "
                    "out: drop the mark")
        if not marked_before and earliest not in found:
            return (f"line {first + begin}: the excerpt leaves out lines of {what} here "
                    f"without a mark: write a line '{ELISION}' where they are left out")
        if last and marked_after:
            return (f"line {first + end}: an elision mark after the last line of {what}: "
                    "drop the mark")
        return (f"line {first + end - 1}: the excerpt ends before {what} does, without a "
                f"mark: end it with a line '{ELISION}'")
    # The longest run of the chunk's first lines that the listing has, and where it breaks.
    best, best_at = 0, earliest
    for at in range(earliest, len(listing)):
        run = 0
        while run < len(chunk) and at + run < len(listing) and listing[at + run] == chunk[run]:
            run += 1
        if run > best:
            best, best_at = run, at
    wrong = chunk[best]
    close = difflib.get_close_matches(wrong, listing[earliest:], n=1, cutoff=0.6)
    hint = f" (the nearest line there reads {close[0].strip()!r})" if close and best == 0 else ""
    after = f" after its line {best_at + best}" if best else ""
    if best and best_at + best < len(listing):
        hint = f" (it reads {listing[best_at + best].strip()!r} there)"
    marking = f"; where it leaves lines out, a line '{ELISION}' says so" if best else ""
    return (f"line {first + begin + best}: the excerpt reads {wrong.strip()!r}, which {what} "
            f"does not have at this place{after}{hint}: an excerpt is a verbatim part of its "
            f"listing (copy it again from the listing){marking}")


def check(blocks: list[Fence]) -> dict[int, tuple[Fence, list[int | None]]]:
    """Check every excerpt among a page's fences; return, by the excerpt's index, the listing
    it is cut from and its line map."""
    return {
        index: (full := source(blocks, index), line_map(fence, full))
        for index, fence in enumerate(blocks)
        if is_excerpt(fence)
    }


def docstring_lines(code: str) -> set[int]:
    r"""The shown lines (from 1) of a listing that stand in a docstring (module, class, def).

    Examples
    --------
    >>> sorted(docstring_lines("def f():\n    '''Say it.\n\n    Twice.'''\n    return 1\n"))
    [2, 3, 4]
    """
    skipped = code.count("\n", 0, len(code) - len(code.lstrip("\n")))
    found = set()
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            if isinstance(body[0].value.value, str):
                found.update(range(body[0].lineno - skipped, body[0].end_lineno - skipped + 1))
    return found
