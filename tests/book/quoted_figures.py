"""The figures the prose quotes from the benchmarks that are not times (the errors after the
first and the last epoch, accuracies), recomputed in this process: each run of
benchmarks/run.py that a ``{{ bench.KEY.FIELD:SPEC }}`` placeholder quotes, run once, and its
field formatted as the page formats it.

Run by ``nox -s kernels`` (kernels.py) under each OpenBLAS kernel and NumPy dispatch level,
so that a figure the book quotes holds on every processor the book was checked on, as an
Output block does. Not collected by ``nox -s tests`` (its name is no test file's): the
quoted runs take a few minutes.
"""

from __future__ import annotations

import contextlib
import functools
import io

import pytest

from .fences import DOCS
from .measured import _script, load, placeholders


# The fields of a run that are not times, nor ratios of times.
OUTCOMES = ("first_epoch_error", "final_total_error", "test_accuracy")


def quoted() -> dict[str, list]:
    """{key: [(page, the placeholders quoting a field of OUTCOMES of that entry)]}."""
    found = {}
    for page in sorted(DOCS.glob("*.md")):
        for placeholder in placeholders(page.read_text(encoding="utf-8")):
            if placeholder.field in OUTCOMES:
                found.setdefault(placeholder.key, []).append((page.name, placeholder))
    return found


def runs() -> dict:
    """{key: the function of benchmarks/run.py that makes the entry}."""
    script = _script()
    made = {key: run for key, *_, run in script.RUNS}
    made.update({key: run for key, *_, run in script.DIGITS})
    return made


@functools.cache
def computed(key: str) -> dict:
    """What the run ``key`` reports, as benchmarks/run.py records it (its printed epochs muted)."""
    with contextlib.redirect_stdout(io.StringIO()):
        result = runs()[key]()
    if isinstance(result, tuple):  # a digits run: seconds per epoch, accuracy, errors
        _, accuracy, errors = result
        return {"test_accuracy": accuracy, **errors}
    if isinstance(result, dict):
        return result
    return {"final_total_error": round(float(result), 4)}


QUOTED = quoted()


@pytest.mark.parametrize("key", sorted(QUOTED))
def test_a_quoted_figure_is_what_this_processor_computes(key):
    entries = {entry["key"]: entry for entry in load()["results"]}
    got = computed(key)
    wrong = []
    for page, placeholder in QUOTED[key]:
        value = entries[key][placeholder.field]
        mine = got[placeholder.field]
        for divisor in placeholder.divisors:
            value, mine = value / divisor, mine / divisor
        spec = placeholder.spec or ""
        if format(value, spec) != format(mine, spec):
            wrong.append(f"{page}:{placeholder.line}: {placeholder.text} shows "
                         f"{format(value, spec)}, this run gives {format(mine, spec)} ({mine!r})")
    assert not wrong, "\n".join(wrong)

