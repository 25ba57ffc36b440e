"""The quick start's first step, check_python.py: an older Python gets a message, not pip's
ResolutionImpossible (.ci/run shows that pip cannot resolve the quick start on 3.9 and 3.10);
and every copy of the quick start takes that step first."""

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "check_python.py"
MESSAGE = "The book needs Python 3.11 or newer, and this is Python {}"


def older_pythons():
    """Interpreters older than 3.11 on this machine (pyenv's, or on the PATH)."""
    found = {}
    for version in ["2.7", "3.9", "3.10"]:
        candidates = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
        path = str(candidates[-1]) if candidates else shutil.which(f"python{version}")
        if path and subprocess.run([path, "-c", "pass"], capture_output=True).returncode == 0:
            found[version] = path
    return found


OLDER = older_pythons()


def test_this_python_passes():
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_an_older_python_is_told_which_it_is_and_what_to_do():
    pretend = ("import sys; sys.version_info = (3, 10, 13, 'final', 0); "
               "sys.version = '3.10.13 (main)'; "
               f"exec(compile(open({str(SCRIPT)!r}).read(), 'check_python.py', 'exec'))")
    done = subprocess.run([sys.executable, "-c", pretend], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith(MESSAGE.format("3.10.13"))
    assert "'Quick start'" in done.stderr and "python3.12 in place of python3" in done.stderr


@pytest.mark.parametrize("version", ["2.7", "3.9", "3.10"])
def test_a_real_older_python_gets_the_message(version):
    if version not in OLDER:
        pytest.skip(f"no Python {version} on this machine")
    done = subprocess.run([OLDER[version], str(SCRIPT)], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith(MESSAGE.format(version + ".")), done.stderr


def test_every_copy_of_the_quick_start_checks_the_python_first():
    """Each command that installs nox from the lock runs check_python.py first: the lines of
    README.md, pages.yml and .ci/run, and chapter 2's commands, which are wrapped to fit the
    page (bash continues after a trailing ``&&``; PowerShell's ``if ($?)`` lines carry on
    only while the line before succeeded)."""
    install = re.compile(r"pip install -c constraints\.txt nox")
    first = re.compile(r"^\s*py(thon3?)? check_python\.py(;| &&)( |$)")
    for name in ["README.md", ".github/workflows/pages.yml", ".ci/run"]:
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if install.search(line) and "`" not in line:
                assert re.search(r"\bpy(thon3?)? check_python\.py(;| &&) ", line), (name, line)
    chapter = (ROOT / "docs" / "02-getting-set-up.md").read_text(encoding="utf-8")
    commands = [fence for fence in re.findall(r"```(?:bash|powershell)\n(.*?)```", chapter, re.S)
                if install.search(fence)]
    assert len(commands) == 4
    for fence in commands:
        lines = [line for line in fence.splitlines()
                 if line.strip() and not line.strip().startswith("#")]
        assert first.match(lines[0]), fence
        for before, line in zip(lines, lines[1:]):
            assert before.rstrip().endswith("&&") or line.strip().startswith("if ($?)"), fence


def test_check_from_another_folder_runs_as_chapter_2_writes_it(tmp_path):
    """docs/02's line for another folder, with BOOK replaced by the book's folder, run from a
    folder outside it, on the book's own solution of Exercise 1."""
    nox = ROOT / ".venv" / "bin" / "nox"
    if not nox.exists():
        pytest.skip("no .venv/bin/nox: the quick start makes it")
    try:  # without -R, the line's install step asks the package index (chapter 2 says so)
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError:
        pytest.skip("no network: offline the line needs nox's -R")
    text = (ROOT / "docs" / "02-getting-set-up.md").read_text(encoding="utf-8")
    [line] = re.findall(r"`(BOOK/\.venv/bin/nox -f BOOK/noxfile\.py -s check -- 1 [^`]+)`", text)
    solution = ROOT / "nn_from_scratch" / "solutions" / "exercise_1.py"
    shutil.copy(solution, tmp_path / "exercise_1.py")
    command = line.replace("BOOK", str(ROOT)).split()
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pass" in done.stdout and "FAIL" not in done.stdout, done.stdout
