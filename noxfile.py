"""The book's commands: ``nox -s tests``, ``nox -s docs``, ``nox -s serve``, ``nox -s tangle``,
``nox -s bench``.

Each session uses the Python that runs nox (3.11 or newer), so no particular
interpreter has to be installed. uv makes the environments when it is present
(``pip install nox uv``); plain pip otherwise.
"""

import os
import shutil

import nox

nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "uv|venv"
nox.options.reuse_existing_virtualenvs = True

# Building the site runs no code from the network and needs none.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@nox.session
def tests(session):
    """Run every listing of the book, the package's doctests and tests/."""
    session.install("-e", ".[test]")
    # One worker per core; a page's listings stay together, in order, on one worker.
    session.run("python", "-m", "pytest", "-n", "auto", "--dist", "loadfile", *session.posargs)


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
    """Write the package's generated modules from the chapters."""
    session.run("python", "tests/book/tangle.py", *session.posargs)


@nox.session(venv_backend="none")
def clean(session):
    """Remove the built site, the figures and the record of which chapters ran."""
    for path in ["site", ".cache/book", "docs/generated"]:
        shutil.rmtree(path, ignore_errors=True)
