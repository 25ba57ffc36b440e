"""Check the package's built distributions (``nox -s dist``).

    python -m book.distribution archives dist/

checks the wheel and the sdist that ``python -m build`` wrote into ``dist/``: one of each,
named after the distribution and version in pyproject.toml, each holding the package's
modules, the data it ships and the two licences, and nothing else of the repository (no
tests, no figures or stamps of the book's runs, no bytecode).

    python -I tests/book/distribution.py installed NAME VERSION

is run by the Python of a new environment into which the wheel was installed, from a
folder outside the repository: it imports the package, checks that it comes from that
environment and that ``importlib.metadata`` gives NAME's version as VERSION, and loads the
California Housing data through the package's loader with every network call refused.
``-I`` keeps the repository's files off ``sys.path``; this module imports only the standard
library at the top, so the same file serves both commands.

Each command exits with a message listing every problem it found.
"""

from __future__ import annotations

import fnmatch
import re
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "nn_from_scratch"
HANDOUT_NOTICE = "not covered by the MIT grant"  # what nn_from_scratch/handout.py must say


def project(root: Path = ROOT) -> dict:
    """What the checks need of pyproject.toml: the name, the version, the licence files and the
    package-data patterns."""
    with open(root / "pyproject.toml", "rb") as file:
        config = tomllib.load(file)
    return {
        "name": config["project"]["name"],
        "version": config["project"]["version"],
        "licences": config["project"].get("license-files", []),
        "package_data": config["tool"]["setuptools"]["package-data"][PACKAGE],
    }


def normalised(name: str) -> str:
    """A distribution's name as archive file names spell it (``nn-from-scratch-book`` ->
    ``nn_from_scratch_book``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def package_files(root: Path = ROOT) -> set[str]:
    """The files of the package the distributions must hold, relative to ``root``: every
    module (outside ``__pycache__``) and every file the package-data patterns match."""
    package = root / PACKAGE
    found = {p for p in package.rglob("*.py") if "__pycache__" not in p.parts}
    for pattern in project(root)["package_data"]:
        found |= set(package.glob(pattern))
    return {p.relative_to(root).as_posix() for p in found if p.is_file()}


def compare(archive: str, held: set[str], expected: set[str], allowed: set[str]) -> list[str]:
    """What is missing from ``held`` and what it holds beyond ``expected`` and ``allowed``
    (``fnmatch`` patterns), one message a file."""
    problems = [f"{archive}: missing {name}" for name in sorted(expected - held)]
    for name in sorted(held - expected):
        if not any(fnmatch.fnmatchcase(name, pattern) for pattern in allowed):
            problems.append(f"{archive}: holds {name}, which is not part of the package")
    return problems


def check_sdist(path: Path, root: Path = ROOT) -> list[str]:
    """Problems with the sdist at ``path``: the package, its data, the licences, the README
    and pyproject.toml must be in it, with the metadata setuptools adds, and nothing else."""
    info = project(root)
    top = f"{normalised(info['name'])}-{info['version']}"
    with tarfile.open(path) as archive:
        members = [m.name for m in archive.getmembers() if m.isfile()]
    outside = [name for name in members if not name.startswith(f"{top}/")]
    if outside:
        return [f"{path.name}: expected every file under {top}/, got {outside[:3]}"]
    held = {name.removeprefix(f"{top}/") for name in members}
    expected = package_files(root) | set(info["licences"]) | {"README.md", "pyproject.toml"}
    metadata = {"PKG-INFO", "setup.cfg", "MANIFEST.in", f"{normalised(info['name'])}.egg-info/*"}
    return compare(path.name, held, expected, metadata)


def check_wheel(path: Path, root: Path = ROOT) -> list[str]:
    """Problems with the wheel at ``path``: the package, its data and, in its metadata, the
    licences must be in it, and nothing else."""
    info = project(root)
    dist_info = f"{normalised(info['name'])}-{info['version']}.dist-info"
    with zipfile.ZipFile(path) as archive:
        held = {name for name in archive.namelist() if not name.endswith("/")}
    expected = package_files(root) | {f"{dist_info}/licenses/{n}" for n in info["licences"]}
    expected |= {f"{dist_info}/{name}" for name in ("METADATA", "WHEEL", "RECORD")}
    return compare(path.name, held, expected, {f"{dist_info}/*"})


def check_archives(folder: Path, root: Path = ROOT) -> list[str]:
    """Problems with the distributions in ``folder``: exactly one sdist and one wheel of the
    version in pyproject.toml, each checked by ``check_sdist`` and ``check_wheel``."""
    info = project(root)
    stem = f"{normalised(info['name'])}-{info['version']}"
    found = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    wanted = [f"{stem}.tar.gz", f"{stem}-py3-none-any.whl"]
    if found != sorted(wanted):
        return [f"{folder}: expected exactly {wanted}, got {found}"]
    return check_sdist(folder / wanted[0], root) + check_wheel(folder / wanted[1], root)


def refuse_network() -> list[str]:
    """Make every attempt to open a connection or resolve a host name raise ``OSError``;
    return the list into which each attempt is also written (a caller may catch the error)."""
    import socket

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(f"a network call was made: {args[:2]}")
        raise OSError(f"nox -s dist: the network was used ({args[:2]}), which must not happen")

    socket.socket.connect = socket.socket.connect_ex = refuse
    socket.create_connection = socket.getaddrinfo = refuse
    return attempts


def check_installed(name: str, version: str) -> list[str]:
    """Problems with the package as installed in the running Python's environment."""
    import tempfile
    from importlib import metadata

    attempts = refuse_network()
    problems = []
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        return [f"expected the distribution {name} installed in {sys.prefix}, found none"]
    print(f"{name} {installed}, installed in {sys.prefix}")
    if installed != version:
        problems.append(f"expected {name} {version}, got {installed}")

    import importlib
    import pkgutil

    import nn_from_scratch
    from nn_from_scratch.datasets import fetch_california_housing

    where = Path(nn_from_scratch.__file__).resolve()
    if not where.is_relative_to(Path(sys.prefix).resolve()):
        problems.append(f"expected {PACKAGE} from {sys.prefix}, got it from {where.parent}")
    # Every module imports with only the package and its dependencies installed.
    modules = [m.name for m in pkgutil.walk_packages(nn_from_scratch.__path__, f"{PACKAGE}.")]
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as error:  # report every module, not only the first
            problems.append(f"import {module} failed: {type(error).__name__}: {error}")
    print(f"imported {PACKAGE} and its {len(modules)} modules from {where.parent}")
    # The handout's code says whose it is, and the licence files say so too.
    from nn_from_scratch import handout

    if HANDOUT_NOTICE not in " ".join((handout.__doc__ or "").split()):
        problems.append(f"expected {PACKAGE}.handout's docstring to say its statements are "
                        f"{HANDOUT_NOTICE}, got {handout.__doc__!r}")
    licences = [file.name for file in metadata.files(name) or [] if "licenses" in file.parts]
    if "NOTICE" not in licences:
        problems.append(f"expected NOTICE among the installed licence files, got {licences}")

    # An empty scikit-learn data folder: the loader must fall back to the shipped copy.
    with tempfile.TemporaryDirectory() as empty:
        housing = fetch_california_housing(data_home=empty)
    shape = (housing.data.shape, housing.target.shape)
    if shape != ((20640, 8), (20640,)):
        problems.append(f"expected data of shape (20640, 8) and (20640,), got {shape}")
    if not housing.DESCR.startswith("# California Housing, shipped with nn_from_scratch"):
        problems.append(f"expected the shipped copy's README as DESCR, got {housing.DESCR[:60]!r}")
    if housing.target[:3].tolist() != [4.526, 3.585, 3.521]:
        problems.append(f"expected targets 4.526, 3.585, 3.521 first, got {housing.target[:3]}")
    print(f"California Housing from the shipped copy: data {housing.data.shape}, "
          f"target {housing.target.shape}")
    return problems + attempts


def main(argv: list[str]) -> int:
    usage = ("usage: python -m book.distribution archives FOLDER\n"
             "       python -I tests/book/distribution.py installed NAME VERSION")
    match argv:
        case ["archives", folder]:
            problems = check_archives(Path(folder))
        case ["installed", name, version]:
            problems = check_installed(name, version)
        case _:
            print(f"{usage}\ngot: {' '.join(argv) or '(no arguments)'}", file=sys.stderr)
            return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems and argv[0] == "archives":
        print(f"{argv[1]}: the sdist and the wheel hold the package, its data and the licences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
