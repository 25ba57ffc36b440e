"""A pytest plugin for ``nox -s kernels`` (kernels.py): before any test, the process runs the
OpenBLAS kernel, NumPy dispatch level and BLAS threads it was asked for, or the run stops.

What was asked for comes in ``BOOK_KERNEL_EXPECTED``, a JSON object
``{"kernel": ..., "level": ..., "threads": ...}`` (kernel and level None for the
processor's own). It is checked in every process that runs tests (each xdist worker
too), after loading both OpenBLAS libraries (NumPy's, and SciPy's through
``scipy.linalg``), whose kernel and threads threadpoolctl reads.
"""

from __future__ import annotations

import json
import os

import pytest

from .kernels import LEVELS, numpy_cpu


def problems(expected: dict, blas: list[dict], features: dict[str, bool]) -> list[str]:
    """What differs from ``expected`` in ``blas`` (threadpoolctl's records of the loaded
    OpenBLAS libraries) and in NumPy's ``features``.

    >>> blas = [{"filepath": "numpy.libs/a.so", "architecture": "Haswell", "num_threads": 1},
    ...         {"filepath": "scipy.libs/b.so", "architecture": "Zen", "num_threads": 1}]
    >>> features = {"X86_V3": True, "X86_V4": False, "AVX512_ICL": False, "AVX512_SPR": False}
    >>> problems({"kernel": "Haswell", "level": "X86_V3", "threads": 1}, blas, features)
    ['scipy.libs/b.so runs the kernel Zen, not Haswell']
    >>> problems({"kernel": "Haswell", "level": "X86_V4", "threads": 1}, blas[:1], features)
    ['found 1 OpenBLAS library, not 2 (NumPy has one, SciPy another)', \
'NumPy does not dispatch to X86_V4']
    """
    found = []
    if len(blas) < 2:
        found.append(f"found {len(blas)} OpenBLAS library, not 2 (NumPy has one, SciPy another)")
    kernels = {library["architecture"] for library in blas}
    for library in blas:
        wanted = expected["kernel"] or min(kernels)  # the processor's own: the same in all
        if library["architecture"].lower() != wanted.lower():
            found.append(f"{library['filepath']} runs the kernel {library['architecture']}, "
                         f"not {wanted}")
        if library["num_threads"] != expected["threads"]:
            found.append(f"{library['filepath']} runs {library['num_threads']} threads, not "
                         f"{expected['threads']}")
    level = expected["level"]
    if level is not None:
        top = LEVELS.index(level)
        if level != LEVELS[0] and not features.get(level):
            found.append(f"NumPy does not dispatch to {level}")
        found += [f"NumPy still dispatches to {above}" for above in LEVELS[top + 1 :]
                  if features.get(above)]
    return found


_LIMITS = []  # threadpoolctl's limiter, kept alive for the whole run


def pytest_configure(config):
    expected = json.loads(os.environ["BOOK_KERNEL_EXPECTED"])
    import scipy.linalg  # noqa: F401  (loads SciPy's OpenBLAS beside NumPy's)
    from threadpoolctl import threadpool_info, threadpool_limits

    if expected["threads"] != 1:  # one thread comes from OPENBLAS_NUM_THREADS
        _LIMITS.append(threadpool_limits(expected["threads"], user_api="blas"))
    __cpu_features__ = numpy_cpu()[1]
    blas = [info for info in threadpool_info() if info["internal_api"] == "openblas"]
    found = problems(expected, blas, __cpu_features__)
    if found:
        raise pytest.UsageError("the run is not the combination asked for: " + "; ".join(found))
    config._kernel_report = (  # for the header of the report
        f"OpenBLAS {', '.join(sorted({info['architecture'] for info in blas}))}, "
        f"{expected['threads']} thread(s); NumPy dispatch "
        + ", ".join(name for name in LEVELS if __cpu_features__.get(name)))


def pytest_report_header(config):
    return f"kernels: {config._kernel_report}"
