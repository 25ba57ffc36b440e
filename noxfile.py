"""The book's commands: ``nox -s tests``, ``nox -s docs``, ``nox -s serve``, ``nox -s student``,
``nox -s tangle``, ``nox -s accept``, ``nox -s tests_lowest``, ``nox -s lint``, ``nox -s bench``,
``nox -s dist``, ``nox -s notebooks``, ``nox -s browser``, ``nox -s clean``.

Each session uses the Python that runs nox (3.11 or newer), so no particular
interpreter has to be installed. uv makes the environments when it is present
(``pip install nox uv``); plain pip otherwise, except for ``tests_lowest``, which
needs uv's resolver.

Sessions that need the same packages share one environment: ``serve``, ``student`` and
the first half of ``notebooks`` run in the environment of ``docs``, and ``accept`` in that
of ``tests``. Each of them queues the session that owns the environment with its own name
before its arguments, so ``nox -s serve`` is ``nox -s docs -- serve`` and
``nox -s accept -- docs/PAGE.md`` is ``nox -s tests -- accept docs/PAGE.md``.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import nox


NEEDED = (3, 11)  # the Python the book needs; its sessions run with the Python that runs nox


def check_python(version=None):
    """Stop with a message, not a traceback, when nox runs with a Python older than the book's.

    Nothing above this function's call needs more than Python 3.8, so an old Python gets here.
    """
    version = sys.version_info if version is None else version
    if tuple(version[:2]) < NEEDED:
        found = ".".join(str(part) for part in version[:3])
        sys.exit(
            f"The book needs Python {NEEDED[0]}.{NEEDED[1]} or newer, and nox runs with Python "
            f"{found} ({sys.executable}). Its sessions use the Python that runs nox: delete "
            ".venv, then make it again with a newer Python (README.md, 'Quick start', says "
            "how to get one), for example `python3.12 -m venv .venv` in place of `python3 -m "
            "venv .venv`."
        )


check_python()

nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "uv|venv"
nox.options.reuse_existing_virtualenvs = True

# Building the site runs no code from the network and needs none.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# The book's tooling is the package tests/book/, run as ``python -m book.<module>``
# with its import root, tests/, on the path (pytest puts it there by itself).
TOOLING = {"PYTHONPATH": str(Path(__file__).resolve().parent / "tests")}
NOTEBOOKS = ".cache/notebooks"  # where ``nox -s notebooks`` makes the notebooks it runs


def run_in_environment_of(owner, session):
    """Queue the session ``owner``, whose environment has the packages ``session`` needs,
    with the arguments ``<session's name> <session's arguments>``."""
    session.notify(owner, [session.name, *session.posargs])


@nox.session
def tests(session):
    """Run every listing of the book, the package's doctests and tests/."""
    session.install("-e", ".[test]")
    if session.posargs[:1] == ["accept"]:  # queued by ``nox -s accept``
        session.run("python", "-m", "book.accept", *session.posargs[1:], env=TOOLING)
        return
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
    if session.posargs[:1] == ["serve"]:  # queued by ``nox -s serve``
        address = ["--dev-addr", "127.0.0.1:8000"]
        session.run("mkdocs", "serve", "--strict", *address, *session.posargs[1:])
        return
    if session.posargs[:1] == ["student"]:  # queued by ``nox -s student``
        build_student_edition(session)
        return
    if session.posargs[:1] == ["notebooks"]:  # queued by ``nox -s notebooks``
        session.run("python", "-m", "book.notebooks", "--run-stale", NOTEBOOKS, env=TOOLING)
        session.notify("run_notebooks", session.posargs[1:])
        return
    session.run("mkdocs", "build", "--strict", *session.posargs)


@nox.session(venv_backend="none")
def serve(session):
    """Build the site and serve it on http://127.0.0.1:8000, rebuilding on every change."""
    run_in_environment_of("docs", session)


@nox.session(venv_backend="none")
def student(session):
    """Build the student edition, without the solutions: the site into site-student/ and the
    package's wheel into dist-student/; then check that neither holds a solution."""
    run_in_environment_of("docs", session)


def build_student_edition(session):
    """What ``nox -s student`` does, in the environment of ``docs``."""
    student = {"NN_FROM_SCRATCH_EDITION": "student"}  # the MkDocs hook drops the Solution folds
    session.run("mkdocs", "build", "--strict", "-d", "site-student", env=student)
    # The wheel is built from a copy of what it is made of, without nn_from_scratch/solutions/.
    session.install("build", "setuptools>=77")
    wheels = Path("dist-student").resolve()
    shutil.rmtree(wheels, ignore_errors=True)
    with tempfile.TemporaryDirectory() as copy:
        for name in ["pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT"]:
            shutil.copy2(name, copy)
        skip = shutil.ignore_patterns("solutions", "__pycache__", "*.egg-info")
        shutil.copytree("nn_from_scratch", Path(copy, "nn_from_scratch"), ignore=skip)
        session.run("python", "-m", "build", "--wheel", "--no-isolation", "--outdir", str(wheels),
                    copy)
    # The student notebooks' first cell installs this wheel from the site (book/notebooks.py).
    Path("site-student", "downloads").mkdir(exist_ok=True)
    for wheel in wheels.glob("*.whl"):
        shutil.copy2(wheel, Path("site-student", "downloads"))
    # Fails if a solution is in a page, the search index or the wheel, or if a build is missing.
    session.run("python", "-m", "pytest", "-q", "tests/test_student_edition.py", env=student)


@nox.session(venv_backend="none")
def notebooks(session):
    """Make the chapters' notebooks (running the stale chapters first, as the docs build does)
    into .cache/notebooks/, then run each one top to bottom in a fresh kernel, outside the
    repository, with only the package installed (``run_notebooks``). About 2 minutes on 2 cores;
    not part of ``nox -s tests``. ``nox -s notebooks -- --jobs 1`` runs one at a time."""
    run_in_environment_of("docs", session)


@nox.session
def run_notebooks(session):
    """Run the notebooks that ``nox -s notebooks`` made (tests/book/notebook_run.py)."""
    # Not editable, and built anew: the kernels import the package as a student installs it.
    session.install("nbclient>=0.10", "nbformat>=5.10", "ipykernel>=6.29", ".")
    session.install("--no-deps", "--force-reinstall", ".")
    session.run("python", "tests/book/notebook_run.py", NOTEBOOKS, *session.posargs)


@nox.session
def dist(session):
    """Build the wheel and the sdist into dist/ and check what they hold; install the wheel into
    a new environment outside the repository, import it there and load the data it ships."""
    import tomllib  # here, not at the top: check_python() must run on any Python first

    with open("pyproject.toml", "rb") as file:
        config = tomllib.load(file)
    session.install("build", *config["build-system"]["requires"])
    for path in ["build", "dist"]:  # setuptools' build/ may still hold modules deleted since
        shutil.rmtree(path, ignore_errors=True)
    session.run("python", "-m", "build", "--quiet", "--no-isolation", "--outdir", "dist", ".")
    session.run("python", "-m", "book.distribution", "archives", "dist", env=TOOLING)
    (wheel,) = Path("dist").resolve().glob("*.whl")
    check = Path("tests/book/distribution.py").resolve()
    # Run from a folder outside the repository, with -I: `import nn_from_scratch` can only
    # find the installed wheel, never the source tree.
    with tempfile.TemporaryDirectory() as scratch, session.chdir(scratch):
        python = Path(scratch, "env", "Scripts" if os.name == "nt" else "bin", "python")
        if session.venv_backend == "uv":
            session.run("uv", "venv", "--quiet", "--python", sys.executable, "env", external=True)
            session.run("uv", "pip", "install", "--quiet", "--python", str(python), str(wheel),
                        external=True)
        else:
            session.run(sys.executable, "-m", "venv", "env", external=True)
            session.run(str(python), "-m", "pip", "install", "--quiet", str(wheel), external=True)
        project = config["project"]
        session.run(str(python), "-I", str(check), "installed", project["name"],
                    project["version"], external=True)


@nox.session
def browser(session):
    """Build the site into site/ and check every page in headless Chromium (tests/book/browser.py;
    screenshots in .cache/browser/screenshots/). ``CHROMIUM`` names the browser to drive (default
    /usr/bin/chromium); ``CHROMIUM=bundled`` installs and drives Playwright's own instead."""
    session.install("-e", ".[test,docs]", "playwright>=1.49")
    if os.environ.get("CHROMIUM") == "bundled":  # e.g. GitHub's runners; it cannot download here
        session.run("playwright", "install", "--with-deps", "chromium")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site")
    session.run("python", "-m", "book.browser", "site", *session.posargs, env=TOOLING)


@nox.session
def bench(session):
    """Time what the book says about speed; write benchmarks/results.json and results.md."""
    session.install("-e", ".")
    # About 10 minutes; ``nox -s bench -- --quick`` takes about 3. Not run by ``nox -s tests``.
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def check(session):
    """Check your answer to an exercise: ``nox -s check -- N FILE`` (N: 1 to 8; FILE a path
    from the folder nox was started in, or an absolute one)."""
    try:
        number, path = answer_arguments(session.posargs, session.invoked_from)
    except ValueError as error:
        session.error(str(error))
    session.install("-e", ".")
    session.run("python", "-m", "nn_from_scratch.checks", number, path)


def answer_arguments(posargs, invoked_from):
    """The exercise's number and the answer's absolute path, for ``nox -s check -- N FILE``.

    nox runs its sessions in the noxfile's folder, so a relative FILE is resolved against the
    folder nox was started in (``session.invoked_from``), where the student typed it.
    """
    if len(posargs) != 2:
        raise ValueError("usage: nox -s check -- N FILE   (N: the exercise, 1 to 8; FILE: "
                         f"your answer), got {len(posargs)} argument(s): {' '.join(posargs)}")
    number, file = posargs
    path = Path(invoked_from, file).resolve()  # an absolute FILE stays as it is
    if not path.is_file():
        raise ValueError(f"no file {file} (looked for {path})")
    return number, str(path)


@nox.session(venv_backend="none")
def tangle(session):
    """Write the package's generated modules from the chapters (``-- --check``: only compare).

    ``nox -s tangle -- --highlights docs/PAGE.md`` writes the ``hl_lines`` a page's
    listings need instead. The tangler needs only the standard library.
    """
    session.run(sys.executable, "-m", "book.tangle", *session.posargs, env=TOOLING)


@nox.session(venv_backend="none")
def accept(session):
    """Rewrite a page's Output blocks from a real run (``-- [--exact] docs/PAGE.md``)."""
    run_in_environment_of("tests", session)


@nox.session(venv_backend="none")
def clean(session):
    """Remove the built sites, the wheels and sdist, the figures and the record of which
    chapters ran."""
    for path in ["site", "site-student", "dist-student", "dist", ".cache/book", "docs/generated"]:
        shutil.rmtree(path, ignore_errors=True)
