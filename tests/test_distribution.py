"""Tests of book.distribution, the checks of ``nox -s dist``, on small archives made here.

``nox -s dist`` runs the same checks on the real wheel and sdist.
"""

import io
import tarfile
import zipfile

import pytest
from book import distribution


PYPROJECT = """[project]
name = "demo-book"
version = "1.2"
license-files = ["LICENSE", "LICENSE-CONTENT"]

[tool.setuptools.package-data]
nn_from_scratch = ["data/*.csv.gz", "data/*.md"]
"""
SDIST_EXTRAS = ["PKG-INFO", "setup.cfg", "demo_book.egg-info/SOURCES.txt", "README.md",
                "pyproject.toml", "LICENSE", "LICENSE-CONTENT"]
WHEEL_EXTRAS = [f"demo_book-1.2.dist-info/{name}" for name in
                ["METADATA", "WHEEL", "RECORD", "top_level.txt",
                 "licenses/LICENSE", "licenses/LICENSE-CONTENT"]]


@pytest.fixture
def root(tmp_path):
    """A repository with a package of two modules and a data file, and a stray bytecode file."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for name in ["__init__.py", "neuron.py", "data/demo.csv.gz", "__pycache__/neuron.pyc"]:
        path = tmp_path / "nn_from_scratch" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    return tmp_path


def package(root):
    return sorted(distribution.package_files(root))


def write_sdist(path, names):
    with tarfile.open(path, "w:gz") as archive:
        for name in names:
            info = tarfile.TarInfo(f"demo_book-1.2/{name}")
            archive.addfile(info, io.BytesIO(b""))
    return path


def write_wheel(path, names):
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, "")
    return path


def test_the_package_files_are_the_modules_and_data_without_bytecode(root):
    assert package(root) == ["nn_from_scratch/__init__.py", "nn_from_scratch/data/demo.csv.gz",
                             "nn_from_scratch/neuron.py"]


def test_complete_archives_pass(root, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    write_sdist(dist / "demo_book-1.2.tar.gz", package(root) + SDIST_EXTRAS)
    write_wheel(dist / "demo_book-1.2-py3-none-any.whl", package(root) + WHEEL_EXTRAS)
    assert distribution.check_archives(dist, root) == []


def test_sdist_with_tests_and_build_artefacts_or_without_a_licence_fails(root, tmp_path):
    extras = [name for name in SDIST_EXTRAS if name != "LICENSE-CONTENT"]
    stray = ["tests/test_demo.py", "nn_from_scratch/__pycache__/neuron.pyc",
             "docs/generated/03e-training-loop-or-loss.png"]
    sdist = write_sdist(tmp_path / "demo_book-1.2.tar.gz", package(root) + extras + stray)
    assert distribution.check_sdist(sdist, root) == [
        "demo_book-1.2.tar.gz: missing LICENSE-CONTENT",
        "demo_book-1.2.tar.gz: holds docs/generated/03e-training-loop-or-loss.png, "
        "which is not part of the package",
        "demo_book-1.2.tar.gz: holds nn_from_scratch/__pycache__/neuron.pyc, "
        "which is not part of the package",
        "demo_book-1.2.tar.gz: holds tests/test_demo.py, which is not part of the package",
    ]


def test_wheel_without_the_data_or_the_licences_fails(root, tmp_path):
    names = [name for name in package(root) + WHEEL_EXTRAS
             if not name.endswith(".gz") and "licenses/" not in name]
    wheel = write_wheel(tmp_path / "demo_book-1.2-py3-none-any.whl", names)
    assert distribution.check_wheel(wheel, root) == [
        f"demo_book-1.2-py3-none-any.whl: missing {name}"
        for name in ["demo_book-1.2.dist-info/licenses/LICENSE",
                     "demo_book-1.2.dist-info/licenses/LICENSE-CONTENT",
                     "nn_from_scratch/data/demo.csv.gz"]
    ]


def test_archives_of_another_name_or_version_are_refused(root, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    write_sdist(dist / "nn_from_scratch-1.2.tar.gz", package(root) + SDIST_EXTRAS)
    write_wheel(dist / "demo_book-1.1-py3-none-any.whl", package(root) + WHEEL_EXTRAS)
    (problem,) = distribution.check_archives(dist, root)
    assert problem.startswith(f"{dist}: expected exactly ['demo_book-1.2.tar.gz', "
                              "'demo_book-1.2-py3-none-any.whl'], got ['demo_book-1.1-py3")


def test_the_real_distribution_name_is_the_book_s():
    # `nn-from-scratch` on the package index is an unrelated project.
    assert distribution.project()["name"] == "nn-from-scratch-book"
    assert distribution.normalised("nn-from-scratch-book") == "nn_from_scratch_book"


def test_a_command_without_its_arguments_says_what_it_expects(capsys):
    assert distribution.main(["archives"]) == 2
    assert "usage: python -m book.distribution archives FOLDER" in capsys.readouterr().err
