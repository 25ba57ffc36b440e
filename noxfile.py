"""The book's commands: ``nox -s tests``, ``nox -s docs``, ``nox -s serve``, ``nox -s student``,
``nox -s tangle``, ``nox -s accept``, ``nox -s tests_lowest``, ``nox -s lint``, ``nox -s bench``,
``nox -s dist``, ``nox -s notebooks``, ``nox -s browser``, ``nox -s pdf``, ``nox -s kernels``,
``nox -s clean``, ``nox -s lock``, ``nox -s newest``.

Each session uses the Python that runs nox (3.11 or newer), so no particular
interpreter has to be installed. uv makes the environments when it is present
(``pip install nox uv``); plain pip otherwise, except for ``tests_lowest``, which
needs uv's resolver.

Sessions that need the same packages share one environment: ``serve``, ``student``, ``pdf`` and
the first half of ``notebooks`` run in the environment of ``docs``, and ``accept`` in that
of ``tests``. Each of them queues the session that owns the environment with its own name
before its arguments, so ``nox -s serve`` is ``nox -s docs -- serve`` and
``nox -s accept -- docs/PAGE.md`` is ``nox -s tests -- accept docs/PAGE.md``.
"""

import os
import re
import shutil
import subprocess
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

# The lock: every session installs the versions the book was last built and tested with,
# constraints.txt (exported from uv.lock by ``nox -s lock``), read by pip and by uv alike.
# The variables reach every install a session makes, the packages it builds and the
# environments its scripts make. ``tests_lowest`` and ``newest`` install without it.
CONSTRAINTS = Path(__file__).resolve().parent / "constraints.txt"
UNLOCKED = {"PIP_CONSTRAINT": os.devnull, "UV_CONSTRAINT": os.devnull}
if not os.environ.get("BOOK_UNLOCKED"):
    os.environ.setdefault("PIP_CONSTRAINT", str(CONSTRAINTS))
    os.environ.setdefault("UV_CONSTRAINT", str(CONSTRAINTS))

# The book's tooling is the package tests/book/, run as ``python -m book.<module>``
# with its import root, tests/, on the path (pytest puts it there by itself).
TOOLING = {"PYTHONPATH": str(Path(__file__).resolve().parent / "tests")}
NOTEBOOKS = ".cache/notebooks"  # where ``nox -s notebooks`` makes the notebooks it runs
# What printing the book needs besides the site's packages: the plugin that puts every page on
# one print page, Playwright to drive Chromium, and pypdf, with which tests/test_pdf.py reads
# the PDF's text, bookmarks and links (pure Python, no system library).
PDF = ["mkdocs-print-site-plugin>=2.9", "playwright>=1.49", "pypdf>=5"]


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


@nox.session
def kernels(session):
    """Run every page, the package's doctests and the figures the prose quotes under each OpenBLAS
    kernel and NumPy dispatch level a real processor gives them, and once on 8 BLAS threads
    (tests/book/kernels.py); those this processor cannot run are reported as skipped. Ends with
    one line: ``kernels: ran: ...; failed: ...; skipped: ...``. About 30 minutes on 2 cores.
    ``nox -s kernels -- Haswell+X86_V3`` runs one combination."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "book.kernels", *session.posargs, env=TOOLING)


@nox.session(venv_backend="uv")  # the lowest-direct resolution is uv's
def tests_lowest(session):
    """Run the same tests with the lowest versions that pyproject.toml allows."""
    # uv's lowest-direct resolution: the lowest allowed version of each dependency that
    # pyproject.toml names, the newest that fits of what they depend on in turn.
    session.install("--resolution", "lowest-direct", "-e", ".[test]", env=UNLOCKED)
    session.run("python", "-m", "pytest", "-n", "auto", "--dist", "loadfile", *session.posargs)


@nox.session(venv_backend="uv")
def newest(session):
    """Try the newest releases that pyproject.toml allows, without the lock: install them, say
    which differ from the lock, run the tests and build the site, and report what broke. Never
    fails (it is not part of .ci/run)."""
    session.install("--upgrade", "-e", ".[test,docs]", env=UNLOCKED)
    frozen = session.run("uv", "pip", "freeze", "--python", session.virtualenv.location,
                         silent=True, external=True)
    locked = pins(CONSTRAINTS.read_text())
    moved = [f"{name} {locked[name]} -> {version}" for name, version in pins(frozen).items()
             if name in locked and locked[name] != version]
    session.log("Newer than the lock: " + (", ".join(moved) or "nothing"))
    # The session's environment first on the path, as session.run would have it.
    env = {**os.environ, **UNLOCKED, "VIRTUAL_ENV": session.virtualenv.location,
           "PATH": os.pathsep.join([session.bin, os.environ.get("PATH", "")])}
    steps = {
        "tests": ["python", "-m", "pytest", "-q", "-n", "auto", "--dist", "loadfile"],
        "docs": ["mkdocs", "build", "--strict", "--site-dir", ".cache/newest-site"],
    }
    failed = []
    for name, command in steps.items():
        session.log(" ".join(command))
        code = subprocess.run(command, env=env).returncode
        if code:
            failed.append(f"{name} (exit code {code})")
    report = ", ".join(failed) if failed else "nothing: `nox -s lock` can move the lock there"
    session.log(f"With the newest allowed releases, what broke: {report}")


def pins(requirements):
    """``{name: version}`` of the ``name==version`` lines of a requirements or constraints
    text whose markers hold for the Python running nox (the one the sessions use), names
    normalised (``Foo_Bar`` -> ``foo-bar``)."""
    from packaging.markers import Marker  # a dependency of nox

    found = {}
    for line in requirements.splitlines():
        if match := re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)\s*(?:;(.*))?$", line):
            if match[3] is None or Marker(match[3]).evaluate():
                found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


@nox.session
def lock(session):
    """Update the lock to the newest releases pyproject.toml allows: uv.lock, then its export
    constraints.txt (``-- --upgrade-package NAME``: that package only). Then run the tests
    (``nox -s tests``) and commit both files."""
    session.install("uv", env=UNLOCKED)
    session.run("uv", "lock", *(session.posargs or ["--upgrade"]))
    export_constraints(session, CONSTRAINTS)


def export_constraints(session, path):
    """Write the lock as a constraints file: every package pinned, with its markers, no hashes
    (pip refuses hashes in a constraints file) and no line for the book's own package."""
    session.run("uv", "export", "--quiet", "--frozen", "--all-extras", "--all-groups",
                "--no-hashes", "--no-emit-project", "--no-header", "--output-file", str(path))


@nox.session
def lint(session):
    """Check the package, the tooling, the tests and the benchmarks with ruff (pyproject.toml)."""
    session.install("ruff>=0.6", "uv")
    session.run("ruff", "check", ".")
    # The lock agrees with pyproject.toml, and constraints.txt is its export.
    session.run("uv", "lock", "--check")
    with tempfile.TemporaryDirectory() as scratch:
        exported = Path(scratch, "constraints.txt")
        export_constraints(session, exported)
        if exported.read_text() != CONSTRAINTS.read_text():
            session.error("constraints.txt is not the export of uv.lock: run `nox -s lock`")


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
    if session.posargs[:1] == ["pdf"]:  # queued by ``nox -s pdf``
        make_pdf(session, "full")
        session.run("mkdocs", "build", "--strict", *session.posargs[1:])  # with the PDF
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
    """Build the student edition, without the solutions: its PDF, the site (which carries the
    PDF) into site-student/ and the package's wheel into dist-student/; then check that none
    of them holds a solution."""
    run_in_environment_of("docs", session)


@nox.session(venv_backend="none")
def pdf(session):
    """Print the whole book to one PDF through Chromium (tests/book/pdf.py), into
    .cache/pdf/nn-from-scratch.pdf, check it (tests/test_pdf.py), then build the site into
    site/ with it: downloads/nn-from-scratch.pdf, linked from the home page. ``CHROMIUM`` names
    the browser as for ``nox -s browser``. About a minute and a half on 2 cores."""
    run_in_environment_of("docs", session)


def make_pdf(session, edition):
    """Print ``edition``'s PDF and check it; a PDF that fails its checks is deleted, so that no
    site build publishes it."""
    session.install(*PDF)
    if os.environ.get("CHROMIUM") == "bundled":  # as in ``nox -s browser``
        session.run("playwright", "install", "--with-deps", "chromium")
    session.run("python", "-m", "book.pdf", "--edition", edition, env=TOOLING)
    try:
        session.run("python", "-m", "pytest", "-q", "tests/test_pdf.py",
                    env={"NN_FROM_SCRATCH_PDF": edition})
    except nox.command.CommandFailed:
        session.run("python", "-m", "book.pdf", "--edition", edition, "--discard", env=TOOLING)
        raise


def build_student_edition(session):
    """What ``nox -s student`` does, in the environment of ``docs``."""
    student = {"NN_FROM_SCRATCH_EDITION": "student"}  # the MkDocs hook drops the Solution folds
    make_pdf(session, "student")  # first, so that the site's build finds it and carries it
    session.run("mkdocs", "build", "--strict", "-d", "site-student", env=student)
    # The wheel is built from a copy of what it is made of, without nn_from_scratch/solutions/.
    session.install("build", "setuptools>=77")
    wheels = Path("dist-student").resolve()
    shutil.rmtree(wheels, ignore_errors=True)
    with tempfile.TemporaryDirectory() as copy:
        for name in ["pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT", "NOTICE"]:
            shutil.copy2(name, copy)
        skip = shutil.ignore_patterns("solutions", "__pycache__", "*.egg-info")
        shutil.copytree("nn_from_scratch", Path(copy, "nn_from_scratch"), ignore=skip)
        session.run("python", "-m", "build", "--wheel", "--no-isolation", "--outdir", str(wheels),
                    copy)
    # The student notebooks' first cell installs this wheel from the site (book/notebooks.py).
    Path("site-student", "downloads").mkdir(exist_ok=True)
    for wheel in wheels.glob("*.whl"):
        shutil.copy2(wheel, Path("site-student", "downloads"))
    # Fails if a solution is in a page, the search index, the PDF or the wheel, or if a build is
    # missing.
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
    screenshots in .cache/browser/screenshots/), then weigh it (tests/book/weight.py). ``CHROMIUM``
    names the browser to drive (default /usr/bin/chromium); ``CHROMIUM=bundled`` installs and
    drives Playwright's own instead."""
    # axe-playwright-python bundles axe-core (4.12.1 in 0.1.8): the test injects it itself.
    session.install("-e", ".[test,docs]", "playwright>=1.49", "axe-playwright-python==0.1.8")
    if os.environ.get("CHROMIUM") == "bundled":  # e.g. GitHub's runners; it cannot download here
        session.run("playwright", "install", "--with-deps", "chromium")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site")
    session.run("python", "-m", "book.browser", "site", *session.posargs, env=TOOLING)
    # The same site's weight: first loads, CLS, notebook HTML, search index, figure text on a
    # phone (tests/book/weight.py). Not with --pages: that checks some pages, this all of them.
    if not any(argument.startswith("--pages") for argument in session.posargs):
        session.run("python", "-m", "book.weight", "site", "--jobs", "2", env=TOOLING)


@nox.session
def bench(session):
    """Time what the book says about speed; write benchmarks/results.json and results.md, and
    the copy of chapter 5c's figures that the package carries (nn_from_scratch/data/speed.json).

    ``nox -s bench -- --torch`` measures PyTorch too, which it installs into this session's
    environment from benchmarks/requirements-torch.txt with pip (pip honours a local wheel
    folder or index set in pip's configuration; see the file for PyTorch's CPU-only build).
    Without ``--torch``, the PyTorch entries of the committed results are kept.
    """
    session.install("-e", ".")
    if "--torch" in session.posargs:
        session.install("pip")
        session.run("python", "-m", "pip", "install", "--quiet", "-r",
                    "benchmarks/requirements-torch.txt")
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
    """Remove the built sites, the PDFs, the wheels and sdist, the figures and the record of
    which chapters ran."""
    for path in ["site", "site-student", "dist-student", "dist", ".cache/book", ".cache/pdf",
                 "docs/generated"]:
        shutil.rmtree(path, ignore_errors=True)
