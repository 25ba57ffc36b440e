"""MkDocs hook: bring the chapters' figures up to date, and fill in the measured times.

Before the site is built, the figures are made by the chapters' own code, by
the same runner as the tests (tests/book/pages.py). A page whose text, package
code, runner and library versions have not changed since its last passing run
(its stamp, ``is_fresh``) is not run again, so
``nox -s docs`` right after ``nox -s tests`` executes nothing.

On each page, before its Markdown is parsed, the placeholders of measured
figures (``{{ bench.iris | s }}``) become the values in
benchmarks/results.json (tests/book/measured.py).
"""

from __future__ import annotations

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
from book.pages import is_fresh, listings  # noqa: E402


def stale_pages() -> list[Path]:
    return [
        page
        for page in pages()
        if listings(page.read_text(encoding="utf-8")) and not is_fresh(page)
    ]


def on_pre_build(config, **kwargs) -> None:
    from mkdocs.exceptions import PluginError  # mkdocs is there when it calls this hook

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

    try:
        return render(markdown)
    except MeasurementError as error:
        raise PluginError(f"docs/{page.file.src_uri}, {error}") from error
