"""The noxfile's own logic: an old Python gets a message, and ``nox -s check -- N FILE`` finds
FILE from the folder nox was started in.

nox itself is not a test dependency: the noxfile is loaded with a stand-in ``nox`` module
that records nothing but the sessions' functions.
"""

import ast
import importlib.util
import subprocess
import sys
import types
from pathlib import Path

import pytest


NOXFILE = Path(__file__).resolve().parents[1] / "noxfile.py"

# What the noxfile uses of nox when it is loaded: nox.options and the nox.session decorator.
STAND_IN = """
import sys, types
nox = types.ModuleType("nox")
nox.options = types.SimpleNamespace()
def session(function=None, **options):
    return function if function is not None else (lambda f: f)
nox.session = session
sys.modules["nox"] = nox
"""


@pytest.fixture(scope="module")
def noxfile():
    saved = sys.modules.get("nox")
    exec(STAND_IN, {})
    try:
        spec = importlib.util.spec_from_file_location("noxfile_under_test", NOXFILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            sys.modules.pop("nox", None)
        else:
            sys.modules["nox"] = saved
    return module


def test_an_old_python_gets_a_message_naming_what_is_needed_and_what_came(noxfile):
    with pytest.raises(SystemExit) as stopped:
        noxfile.check_python((3, 10, 12, "final", 0))
    message = str(stopped.value.code)
    assert message.startswith("The book needs Python 3.11 or newer, and nox runs with Python "
                              f"3.10.12 ({sys.executable}).")
    assert "python3.12 -m venv .venv" in message
    noxfile.check_python((3, 11, 0, "final", 0))  # new enough: nothing happens
    noxfile.check_python()  # this Python runs the tests, so it is new enough


def test_loading_the_noxfile_on_an_old_python_stops_before_anything_else(tmp_path):
    """As nox loads it, on a Python that reports 3.9: a message and exit status 1, no traceback."""
    script = STAND_IN + f"""
sys.version_info = (3, 9, 6, "final", 0)  # Apple's python3
import runpy
runpy.run_path({str(NOXFILE)!r})
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("The book needs Python 3.11 or newer, and nox runs with "
                                    "Python 3.9.6 (")
    assert "Traceback" not in result.stderr


def test_the_noxfile_parses_as_python_3_8():
    """The version check must be reached: nothing before it may be syntax of a newer Python."""
    source = NOXFILE.read_text(encoding="utf-8")
    ast.parse(source, feature_version=(3, 8))
    top = [node for node in ast.parse(source).body if isinstance(node, ast.Import | ast.ImportFrom)]
    assert "tomllib" not in {alias.name for node in top for alias in node.names}


def test_check_finds_the_answer_from_where_nox_was_started(noxfile, tmp_path):
    (tmp_path / "work").mkdir()
    answer = tmp_path / "work" / "exercise_1.py"
    answer.write_text("def weighted_sum(weights, inputs, bias):\n    return bias\n")
    started = str(tmp_path / "work")
    assert noxfile.answer_arguments(["1", "exercise_1.py"], started) == ("1", str(answer))
    assert noxfile.answer_arguments(["1", "./exercise_1.py"], started) == ("1", str(answer))
    assert noxfile.answer_arguments(["1", "work/exercise_1.py"], str(tmp_path)) == (
        "1", str(answer))
    elsewhere = str(tmp_path / "somewhere" / "else")
    assert noxfile.answer_arguments(["1", str(answer)], elsewhere) == ("1", str(answer))
    with pytest.raises(ValueError, match=r"^no file exercise_1.py \(looked for .*somewhere"):
        noxfile.answer_arguments(["1", "exercise_1.py"], elsewhere)
    with pytest.raises(ValueError, match=r"^usage: nox -s check -- N FILE .* got 1 argument"):
        noxfile.answer_arguments(["exercise_1.py"], started)


def test_the_check_session_runs_the_checker_on_that_path(noxfile, tmp_path):
    answer = tmp_path / "exercise_2.py"
    answer.write_text("")
    calls = []
    session = types.SimpleNamespace(
        posargs=["2", "exercise_2.py"], invoked_from=str(tmp_path),
        install=lambda *args: calls.append(("install", *args)),
        run=lambda *args: calls.append(("run", *args)),
        error=lambda message: pytest.fail(message),
    )
    noxfile.check(session)
    assert calls == [("install", "-e", "."),
                     ("run", "python", "-m", "nn_from_scratch.checks", "2", str(answer))]
