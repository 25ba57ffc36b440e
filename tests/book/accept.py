"""Rewrite the Output blocks of pages with what their listings print now.

    nox -s accept -- [--exact] docs/04a-universal-approximation.md [...]

or ``PYTHONPATH=tests python -m book.accept ...`` from the repository's top
folder, in an environment that has the package and its test dependencies.

For the writer of a chapter: run it after changing a listing, read the diff of
the page, and keep the change only if the new output is right. Blocks that
already match (including those that use ``...``, unless ``--exact``) are left
as they are. The tests never rewrite anything: they compare.
"""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

from .pages import execute, listings, setup_page, teardown_page


def accept(page: Path, exact: bool = False) -> int:
    text = page.read_text(encoding="utf-8")
    namespace = {"__file__": str(page), "__name__": "__main__"}
    setup_page(namespace)
    replacements = []
    try:
        state = namespace["__book__"]
        for _, _, listing in listings(text):
            state["listing"], state["made"] = listing, []  # so that plt.show() names its figures
            got = execute(listing, namespace, str(page))
            fence = listing.output
            if fence is None:
                if got:
                    print(f"{page.name}:{listing.line}: prints but shows no Output block:\n{got}")
                continue
            if listing.expected == got or (
                not exact
                and doctest.OutputChecker().check_output(listing.expected, got, doctest.ELLIPSIS)
            ):
                continue
            block = text[fence.start : fence.end]
            indent = block[: len(block) - len(block.lstrip(" \t"))]
            body_start = fence.start + block.index("\n") + 1
            body_end = fence.start + block.rindex("\n") + 1
            body = "".join(
                indent + line if line.strip() else line for line in got.splitlines(keepends=True)
            )
            replacements.append((body_start, body_end, body))
    finally:
        teardown_page(namespace)
    for start, end, body in reversed(replacements):
        text = text[:start] + body + text[end:]
    page.write_text(text, encoding="utf-8")
    print(f"{page.name}: {len(replacements)} Output block(s) rewritten")
    return len(replacements)


if __name__ == "__main__":
    exact = "--exact" in sys.argv
    for name in sys.argv[1:]:
        if name != "--exact":
            accept(Path(name).resolve(), exact)
