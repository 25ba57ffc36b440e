"""Run the book as other processors run it: ``nox -s kernels``.

NumPy's matrix products go through OpenBLAS, which picks a *kernel* (the code
for one family of processors) when it loads, and NumPy's own functions, such as
``exp`` and ``tanh``, pick code for the processor's instructions (its *dispatch
level*). Each adds and rounds in its own order, so the last bit of a result can
differ from one processor to another. This module runs every page of the book,
the package's doctests and the figures the prose quotes from
``benchmarks/results.json`` (``quoted_figures.py``) under each combination of
the two that a real processor produces, forced through the environment:

- ``OPENBLAS_CORETYPE`` sets the kernel of every OpenBLAS the process loads
  (NumPy's and SciPy's);
- ``NPY_DISABLE_CPU_FEATURES`` keeps NumPy below a dispatch level;
- ``OPENBLAS_NUM_THREADS=1`` runs each combination on one BLAS thread.

One more run keeps the processor's own kernel and dispatch and sets 8 BLAS
threads from inside the process (``threadpool_limits``; the environment
variable is capped at the number of cores). Its idle BLAS threads go to sleep
at once (``OPENBLAS_THREAD_TIMEOUT=4``, 2**4 cycles of waiting instead of
OpenBLAS's 2**28): on fewer cores than threads, their waiting took the cores
from the threads at work, and the run took four times as long. It changes
when a thread sleeps, not what it computes.

A forced kernel is not checked by OpenBLAS: one whose instructions the
processor lacks dies with SIGILL. So a combination runs only where NumPy finds
the instructions it needs, and is reported as skipped, with what is missing,
otherwise. In every run, ``kernel_check.py`` makes sure that each loaded OpenBLAS
reports the kernel asked for and that NumPy's dispatch is the level asked for:
a misspelt kernel name, which OpenBLAS would quietly replace, fails the run.

Usage: ``python -m book.kernels [NAME ...] [-- PYTEST-ARGUMENT ...]``, NAME as in
:data:`COMBINATIONS` (``Haswell+X86_V3``, ``own+8-threads``); no NAME runs all. Arguments
after ``--`` replace what pytest runs (:data:`TARGETS`): ``-- docs/04b-regression.md``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .fences import ROOT


# NumPy's dispatch levels on x86-64, lowest first: X86_V2 is its baseline, always on; each one
# above it can be turned off with NPY_DISABLE_CPU_FEATURES (numpy._core's __cpu_dispatch__).
LEVELS = ("X86_V2", "X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR")

# What each OpenBLAS kernel executes, as NumPy names the processor's features.
KERNEL_NEEDS = {
    "Nehalem": ("SSE42",),
    "Sandybridge": ("AVX",),
    "Haswell": ("AVX2", "FMA3"),
    "SkylakeX": ("AVX512F", "AVX512CD", "AVX512BW", "AVX512DQ", "AVX512VL"),
}

# The variables this module sets; none of them is inherited from the caller's environment.
VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
             "OPENBLAS_THREAD_TIMEOUT", "NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES",
             "BOOK_KERNEL_EXPECTED")


@dataclass(frozen=True)
class Combination:
    """An OpenBLAS kernel (None: the processor's own) with NumPy's highest dispatch level
    (None: all the processor has), on ``threads`` BLAS threads.

    >>> Combination("Haswell", "X86_V3").name
    'Haswell+X86_V3'
    >>> Combination("Haswell", "X86_V3").disabled()
    ('X86_V4', 'AVX512_ICL', 'AVX512_SPR')
    >>> Combination(None, None, threads=8).name
    'own+8-threads'
    """

    kernel: str | None
    level: str | None
    threads: int = 1

    @property
    def name(self) -> str:
        if self.kernel is None:
            return f"own+{self.threads}-threads"
        return f"{self.kernel}+{self.level}"

    def disabled(self) -> tuple[str, ...]:
        """The dispatch levels above this one, which NumPy must not use."""
        if self.level is None:
            return ()
        return LEVELS[LEVELS.index(self.level) + 1 :]

    def needs(self) -> tuple[str, ...]:
        """The processor's features that the kernel and the dispatch level execute."""
        kernel = KERNEL_NEEDS[self.kernel] if self.kernel is not None else ()
        return kernel + ((self.level,) if self.level is not None else ())

    def environment(self, base: dict[str, str]) -> dict[str, str]:
        """``base`` without the variables of :data:`VARIABLES`, then with this combination's."""
        env = {key: value for key, value in base.items() if key not in VARIABLES}
        if self.kernel is not None:
            env["OPENBLAS_CORETYPE"] = self.kernel
        if self.disabled():
            env["NPY_DISABLE_CPU_FEATURES"] = ",".join(self.disabled())
        if self.threads == 1:
            env["OPENBLAS_NUM_THREADS"] = "1"
        else:
            env["OPENBLAS_THREAD_TIMEOUT"] = "4"
        expected = {"kernel": self.kernel, "level": self.level, "threads": self.threads}
        env["BOOK_KERNEL_EXPECTED"] = json.dumps(expected)
        return env


COMBINATIONS = (
    Combination("Nehalem", "X86_V2"),  # before AVX: NumPy at its baseline
    Combination("Sandybridge", "X86_V2"),  # AVX without AVX2: the same for NumPy
    Combination("Haswell", "X86_V3"),  # AVX2 and FMA
    Combination("SkylakeX", "X86_V4"),  # AVX-512, as on Skylake-SP and Cascade Lake
    Combination("SkylakeX", "AVX512_ICL"),  # AVX-512 with Ice Lake's and Zen 4's additions
    Combination(None, None, threads=8),  # the processor's own, 8 BLAS threads
)


def numpy_cpu() -> tuple[list[str], dict[str, bool]]:
    """NumPy's dispatch targets and its view of the processor's features, in NumPy 1 and 2."""
    import numpy

    core = getattr(numpy, "_core", None) or numpy.core  # numpy.core: NumPy 1
    return core._multiarray_umath.__cpu_dispatch__, core._multiarray_umath.__cpu_features__


def missing(combination: Combination, features: dict[str, bool]) -> list[str]:
    """The features ``combination`` needs that the processor lacks.

    >>> missing(Combination("SkylakeX", "X86_V4"), {"AVX512F": False, "X86_V4": False})
    ['AVX512F', 'AVX512CD', 'AVX512BW', 'AVX512DQ', 'AVX512VL', 'X86_V4']
    >>> missing(Combination("Nehalem", "X86_V2"), {"SSE42": True, "X86_V2": True})
    []
    """
    return [feature for feature in combination.needs() if not features.get(feature)]


def processor_features(python: str = sys.executable) -> dict[str, bool]:
    """NumPy's view of the processor (``__cpu_features__``), read in a process whose dispatch
    nothing restricts."""
    code = "import json; from book.kernels import numpy_cpu; print(json.dumps(numpy_cpu()[1]))"
    env = Combination(None, None).environment(dict(os.environ))
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])  # tests/, the import root
    found = subprocess.run([python, "-c", code], env=env, capture_output=True, text=True,
                           check=True)
    return json.loads(found.stdout)


def select(names: list[str]) -> list[Combination]:
    """The combinations named (all of them for no name); an unknown name is an error.

    >>> [c.name for c in select(["Haswell+X86_V3"])]
    ['Haswell+X86_V3']
    >>> select(["Skylakex+X86_V4"])
    Traceback (most recent call last):
    ...
    ValueError: no combination Skylakex+X86_V4; the combinations: Nehalem+X86_V2, \
Sandybridge+X86_V2, Haswell+X86_V3, SkylakeX+X86_V4, SkylakeX+AVX512_ICL, own+8-threads
    """
    by_name = {combination.name: combination for combination in COMBINATIONS}
    for name in names:
        if name not in by_name:
            raise ValueError(f"no combination {name}; the combinations: {', '.join(by_name)}")
    return [by_name[name] for name in names] if names else list(COMBINATIONS)


def summary(ran: list[str], failed: list[str], skipped: list[str]) -> str:
    """The line CI's log keeps.

    >>> summary(["Haswell+X86_V3 (212 s)"], [], ["SkylakeX+X86_V4 (no AVX512F)"])
    'kernels: ran: Haswell+X86_V3 (212 s); failed: none; skipped: SkylakeX+X86_V4 (no AVX512F)'
    """
    parts = {"ran": ran, "failed": failed, "skipped": skipped}
    return "kernels: " + "; ".join(f"{key}: {', '.join(items) or 'none'}"
                                  for key, items in parts.items())


# Every page, the package's doctests, and the figures the prose quotes from the benchmarks.
TARGETS = ("docs", "nn_from_scratch", "tests/book/quoted_figures.py")


def pytest_command(arguments: list[str]) -> list[str]:
    """pytest on ``arguments`` (default: :data:`TARGETS`) with the plugin book.kernel_check,
    one page per worker at a time as in ``nox -s tests``."""
    return [sys.executable, "-m", "pytest", "-q", "-p", "book.kernel_check", "-n", "auto",
            "--dist", "loadfile", *(arguments or TARGETS)]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    names, extra = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv \
        else (argv, [])
    try:
        chosen = select(names)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    features = processor_features()
    ran, failed, skipped = [], [], []
    for combination in chosen:
        lacking = missing(combination, features)
        if lacking:
            skipped.append(f"{combination.name} (no {', '.join(lacking)})")
            print(f"\n=== {combination.name}: skipped, the processor has no {', '.join(lacking)}",
                  flush=True)
            continue
        print(f"\n=== {combination.name}", flush=True)
        start = time.perf_counter()
        code = subprocess.run(pytest_command(extra), cwd=ROOT,
                              env=combination.environment(dict(os.environ))).returncode
        seconds = time.perf_counter() - start
        (ran if code == 0 else failed).append(
            f"{combination.name} ({seconds:.0f} s{'' if code == 0 else f', exit code {code}'})")
    print("\n" + summary(ran, failed, skipped), flush=True)
    return 1 if failed or not ran else 0


if __name__ == "__main__":
    sys.exit(main())
