"""The book's commands: ``nox -s tests``, ``nox -s docs``, ``nox -s serve``, ``nox -s tangle``,
``nox -s accept``, ``nox -s tests_lowest``, ``nox -s lint``, ``nox -s bench``, ``nox -s clean``.

Each session uses the Python that runs nox (3.11 or newer), so no particular
interpreter has to be installed. uv makes the environments when it is present
(``pip install nox uv``); plain pip otherwise, except for ``tests_lowest``, which
needs uv's resolver.
"""

import os
import shutil
import sys
from pathlib import Path

import nox


nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "uv|venv"
nox.options.reuse_existing_virtualenvs = True

# Building the site runs no code from the network and needs none.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# The book's tooling is the package tests/book/, run as ``python -m book.<module>``
# with its import root, tests/, on the path (pytest puts it there by itself).
TOOLING = {"PYTHONPATH": str(Path(__file__).resolve().parent / "tests")}


@nox.session
def tests(session):
    """Run every listing of the book, the package's doctests and tests/."""
    session.install("-e", ".[test]")
    # One worker per core; a page's listings stay together, in order, on one worker.
    session.run("python", "-m", "pytest", "-n", "auto", "--dist", "loadfile", *session.posargs)


@nox.session(venv_backend="uv")  # the lowest-direct resolution is uv's
def tests_lowest(session):
    """Run the same tests with the lowest versions that pyproject.toml allows."""
    # uv's lowest-direct resolution: the lowest allowed version of each dependency that
    # pyproject.toml names, the newest that fits of what they depend on in turn.
    session.install("--resolution", "lowest-direct", "-e", ".[test]")
    session.run("python", "-m", "pytest", "-n", "auto", "--dist", "loadfile", *session.posargs)


@nox.session
def lint(session):
    """Check the package, the tooling, the tests and the benchmarks with ruff (pyproject.toml)."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")


@nox.session
def docs(session):
    """Build the site into site/ (running only the chapters whose figures are out of date)."""
    session.install("-e", ".[test,docs]")
    session.run("mkdocs", "build", "--strict", *session.posargs)


@nox.session
def serve(session):
    """Build the site and serve it on http://127.0.0.1:8000, rebuilding on every change."""
    session.install("-e", ".[test,docs]")
    session.run("mkdocs", "serve", "--strict", "--dev-addr", "127.0.0.1:8000", *session.posargs)


@nox.session
def bench(session):
    """Time what the book says about speed; write benchmarks/results.json and results.md."""
    session.install("-e", ".")
    # About 10 minutes; ``nox -s bench -- --quick`` takes about 3. Not run by ``nox -s tests``.
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session(venv_backend="none")
def tangle(session):
    """Write the package's generated modules from the chapters (``-- --check``: only compare).

    ``nox -s tangle -- --highlights docs/PAGE.md`` writes the ``hl_lines`` a page's
    listings need instead. The tangler needs only the standard library.
    """
    session.run(sys.executable, "-m", "book.tangle", *session.posargs, env=TOOLING)


@nox.session
def accept(session):
    """Rewrite a page's Output blocks from a real run (``-- [--exact] docs/PAGE.md``)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "book.accept", *session.posargs, env=TOOLING)


@nox.session(venv_backend="none")
def clean(session):
    """Remove the built site, the figures and the record of which chapters ran."""
    for path in ["site", ".cache/book", "docs/generated"]:
        shutil.rmtree(path, ignore_errors=True)
