"""``nox -s kernels`` (book/kernels.py, book/kernel_check.py): a combination runs only where the
processor can run it, a run under another kernel than the one asked for stops, and no
variable of the caller's environment leaks into a combination."""

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from book import kernels
from book.kernel_check import problems
from book.kernels import COMBINATIONS, Combination, missing


# What the process reports, read as kernel_check.py reads it.
REPORT = """
import json, scipy.linalg
from threadpoolctl import threadpool_info
from book.kernels import numpy_cpu
__cpu_features__ = numpy_cpu()[1]
blas = [info for info in threadpool_info() if info["internal_api"] == "openblas"]
print(json.dumps({"blas": blas, "features": __cpu_features__}))
"""


def report(env):
    env = env | {"PYTHONPATH": str(Path(__file__).parent)}  # for book.kernels
    done = subprocess.run([sys.executable, "-c", REPORT], env=env, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


@functools.cache
def features():
    return kernels.processor_features()


def runnable(combination):
    return not missing(combination, features())


def test_a_misspelt_kernel_falls_back_in_openblas_and_fails_the_check():
    combination = Combination("Haswell", "X86_V3")
    if not runnable(combination):
        pytest.skip("this processor cannot run Haswell's kernel")
    env = combination.environment(dict(os.environ)) | {"OPENBLAS_CORETYPE": "Haswel"}
    seen = report(env)
    expected = {"kernel": "Haswel", "level": "X86_V3", "threads": 1}
    found = problems(expected, seen["blas"], seen["features"])
    assert len(found) == 2 and all("not Haswel" in problem for problem in found), found


@pytest.mark.parametrize("combination", [c for c in COMBINATIONS if c.kernel], ids=str)
def test_a_runnable_combination_is_what_the_check_expects(combination):
    if not runnable(combination):
        pytest.skip(f"this processor has no {', '.join(missing(combination, {}))}")
    seen = report(combination.environment(dict(os.environ)))
    expected = json.loads(combination.environment({})["BOOK_KERNEL_EXPECTED"])
    assert problems(expected, seen["blas"], seen["features"]) == []


def test_the_processor_s_own_run_drops_the_caller_s_kernel_and_dispatch_settings():
    caller = {"PATH": "/bin", "OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_L2_SIZE": "512",
              "NPY_DISABLE_CPU_FEATURES": "X86_V4", "OPENBLAS_NUM_THREADS": "1"}
    env = Combination(None, None, threads=8).environment(caller)
    assert set(env) == {"PATH", "BOOK_KERNEL_EXPECTED", "OPENBLAS_THREAD_TIMEOUT"}
    assert json.loads(env["BOOK_KERNEL_EXPECTED"]) == {"kernel": None, "level": None,
                                                      "threads": 8}


def test_a_combination_the_processor_lacks_is_skipped_with_what_it_lacks(monkeypatch, capsys):
    monkeypatch.setattr(kernels, "processor_features",
                        lambda: {"SSE42": True, "AVX": True, "X86_V2": True})
    ran = []
    monkeypatch.setattr(kernels.subprocess, "run",
                        lambda command, **_: ran.append(command) or
                        subprocess.CompletedProcess(command, 0))
    code = kernels.main(["Sandybridge+X86_V2", "Haswell+X86_V3", "SkylakeX+X86_V4"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert code == 0 and len(ran) == 1
    assert last.startswith("kernels: ran: Sandybridge+X86_V2 (")
    assert last.endswith("; failed: none; skipped: Haswell+X86_V3 (no AVX2, FMA3, X86_V3), "
                         "SkylakeX+X86_V4 (no AVX512F, AVX512CD, AVX512BW, AVX512DQ, AVX512VL, "
                         "X86_V4)")


def test_a_failed_run_fails_the_session_and_an_unknown_name_is_refused(monkeypatch, capsys):
    monkeypatch.setattr(kernels, "processor_features", lambda: {"SSE42": True, "X86_V2": True})
    monkeypatch.setattr(kernels.subprocess, "run",
                        lambda command, **_: subprocess.CompletedProcess(command, 1))
    assert kernels.main(["Nehalem+X86_V2"]) == 1
    assert "failed: Nehalem+X86_V2 (" in capsys.readouterr().out
    assert kernels.main(["Nehalem+X86_V3"]) == 2
    assert "no combination Nehalem+X86_V3" in capsys.readouterr().err
