"""Say which lines of a definition shown again are new or changed, in ``hl_lines`` terms.

When a chapter shows again a ``def`` or ``class`` that an earlier listing wrote
into the same package file, its fence highlights the lines that changed since
(``hl_lines="12 15-18"``, read by pymdownx.highlight; lines count from 1). The
tangler knows which definition a listing replaces and where it stands in the
fence; this module diffs the two versions and reads and writes the attribute.
"""

from __future__ import annotations

import difflib
import re


_VALUE = re.compile(r"\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*")  # what pymdownx accepts
_ATTRIBUTE = re.compile(r'[ \t]*\bhl_lines="[^"]*"')


def changed_lines(old: str, new: str) -> set[int]:
    r"""Return the lines of ``new`` (counted from 0) that ``old`` does not have.

    A line is changed when the diff inserts it or replaces an old line by it;
    trailing whitespace does not count, and a blank line is never changed.

    Examples
    --------
    >>> sorted(changed_lines("a\nb\nc", "a\nB\nc\n\nd"))
    [1, 4]
    """
    before = [line.rstrip() for line in old.splitlines()]
    after = [line.rstrip() for line in new.splitlines()]
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    return {
        line
        for tag, _, _, first, last in opcodes
        if tag in ("insert", "replace")
        for line in range(first, last)
        if after[line]
    }


def parse(value: str) -> set[int]:
    """Return the line numbers an ``hl_lines`` value names.

    Examples
    --------
    >>> sorted(parse("3 5-7"))
    [3, 5, 6, 7]
    """
    if not _VALUE.fullmatch(value.strip()):
        raise ValueError(f'hl_lines="{value}" is not line numbers and ranges such as "3 5-7"')
    lines = set()
    for entry in value.split():
        first, _, last = entry.partition("-")
        lines.update(range(int(first), int(last or first) + 1))
    return lines


def compact(lines: set[int]) -> str:
    """Write line numbers as an ``hl_lines`` value, runs as ranges.

    Examples
    --------
    >>> compact({7, 3, 5, 6})
    '3 5-7'
    """
    runs: list[list[int]] = []
    for line in sorted(lines):
        if runs and line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    return " ".join(str(first) if first == last else f"{first}-{last}" for first, last in runs)


def with_attribute(opening: str, lines: set[int]) -> str:
    """Return an opening fence line whose ``hl_lines`` names ``lines`` (none: no attribute).

    Examples
    --------
    >>> with_attribute('```python title="a.py"', {2, 3})
    '```python title="a.py" hl_lines="2-3"'
    >>> with_attribute('```{.python .excerpt title="a.py"}', {4})
    '```{.python .excerpt title="a.py" hl_lines="4"}'
    """
    if not lines:
        return _ATTRIBUTE.sub("", opening)
    attribute = f'hl_lines="{compact(lines)}"'
    if _ATTRIBUTE.search(opening):
        return _ATTRIBUTE.sub(" " + attribute, opening, count=1)
    opening = opening.rstrip()
    if opening.endswith("}"):  # the braced form: the attribute goes inside the braces
        return f"{opening[:-1].rstrip()} {attribute}}}"
    return f"{opening} {attribute}"
