"""MkDocs hook: bring the chapters' figures up to date, and fill in the measured times.

Before the site is built, the figures are made by the chapters' own code, by
the same runner as the tests (tests/book/pages.py). A page whose text, package
code, runner and library versions have not changed since its last passing run
(its stamp, ``is_fresh``) is not run again, so
``nox -s docs`` right after ``nox -s tests`` executes nothing. Then a notebook of
each chapter is written into docs/notebooks/ (tests/book/notebooks.py), which
mkdocs-jupyter renders; each page that has one gets a download and a Colab link.

On each page, before its Markdown is parsed, the placeholders of measured
figures (``{{ bench.iris | s }}``) become the values in
benchmarks/results.json (tests/book/measured.py). In the student edition
(``NN_FROM_SCRATCH_EDITION=student``, ``nox -s student``) every
``??? success "Solution"`` block is dropped first, so no page, and no search
index made from the pages, holds a solution. Then each chapter gets its links
to the API reference, and the API page its entries, each linking the section
that introduces it (tests/book/reference.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


# The tooling's one path patch: MkDocs loads this file by its path, with tests/book/
# on sys.path but not the import root tests/ that pytest's ``pythonpath`` gives the rest.
_IMPORT_ROOT = str(Path(__file__).resolve().parents[1])
if _IMPORT_ROOT not in sys.path:
    sys.path.insert(0, _IMPORT_ROOT)

from book.fences import ROOT, pages  # noqa: E402
from book.measured import MeasurementError, render  # noqa: E402
from book.notebooks import notebook_links, write_notebooks  # noqa: E402
from book.pages import is_fresh, listings  # noqa: E402
from book.reference import cross_links  # noqa: E402


EDITION = "NN_FROM_SCRATCH_EDITION"
_SOLUTION = re.compile(r'^(?P<indent>[ \t]*)\?\?\?\+? success "Solution')


def drop_solutions(markdown: str) -> str:
    """Remove every ``??? success "Solution"`` block: its opening line and its indented body.

    >>> print(drop_solutions('Try.\\n\\n??? success "Solution"\\n    x\\n\\n    y\\nNext.\\n'))
    Try.
    <BLANKLINE>
    Next.
    <BLANKLINE>
    """
    kept, block_indent = [], None
    for line in markdown.splitlines(keepends=True):
        if block_indent is not None:
            indent = len(line) - len(line.lstrip(" \t"))
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        if match := _SOLUTION.match(line):
            block_indent = len(match["indent"])
            continue
        kept.append(line)
    return "".join(kept)


def stale_pages() -> list[Path]:
    return [
        page
        for page in pages()
        if listings(page.read_text(encoding="utf-8")) and not is_fresh(page)
    ]


def on_pre_build(config, **kwargs) -> None:
    from mkdocs.exceptions import PluginError  # mkdocs is there when it calls this hook

    run_stale_pages()
    # A notebook per chapter, with the outputs and figures those runs checked (notebooks.py).
    try:
        write_notebooks(Path(config["docs_dir"]) / "notebooks", site_url=config["site_url"],
                        repo_url=config["repo_url"], directory_urls=config["use_directory_urls"])
    except ValueError as error:
        raise PluginError(f"the notebooks: {error}") from error


def on_page_context(context, page, config, **kwargs):
    # The download and Colab links at the top of a page that has a notebook (main.html).
    context["notebook"] = notebook_links(page, config)
    return context


def run_stale_pages() -> None:
    from mkdocs.exceptions import PluginError

    stale = stale_pages()
    if not stale:
        return
    names = ", ".join(page.name for page in stale)
    print(f"Running the chapters whose figures are out of date: {names}", flush=True)
    # With pytest-xdist, several pages run on all cores; each page stays whole on one worker.
    parallel = ["-n", "auto", "--dist", "loadfile"] if len(stale) > 1 else []
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *parallel, *map(str, stale)], cwd=ROOT
    )
    if result.returncode != 0:
        raise PluginError(f"the chapters {names} failed to run (see the pytest report above)")


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    from mkdocs.exceptions import PluginError

    student = os.environ.get(EDITION) == "student"
    if student:
        markdown = drop_solutions(markdown)
    # Links from each chapter to the API reference, and the reference's entries with theirs.
    markdown = cross_links(markdown, page.file.src_uri, drop_solutions if student else None)
    if page.file.src_uri.endswith(".ipynb"):
        # No lightbox: a notebook's figures are inline data, which its links would repeat.
        page.meta["glightbox"] = False
    try:
        return render(markdown)
    except MeasurementError as error:
        raise PluginError(f"docs/{page.file.src_uri}, {error}") from error
