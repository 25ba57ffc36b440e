"""The reference measurements in benchmarks/: complete, and the table agrees with the data.

The chapters quote times from benchmarks/results.json and the site shows
benchmarks/results.md. These tests check that the JSON holds every measurement
the book quotes, and that the table is exactly what benchmarks/run.py renders
from the JSON, so that the two files cannot drift apart. They measure nothing:
``nox -s bench`` does that.
"""

import doctest
import importlib.util
import json
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

# The measurements the chapters quote (3a, 3b, 4a, 4b, 4c and the errata page).
QUOTED = [
    "neuron_forward_2",
    "neuron_forward_8",
    "layer_comprehension",
    "layer_append_loop",
    "loop_comprehension",
    "loop_append",
    "sigmoid_tanh_scalar",
    "sigmoid_exp_scalar",
    "sigmoid_tanh_array",
    "sigmoid_exp_array",
    "network_forward_2_4_4_1",
    "quadratic",
    "california",
    "iris",
]


@pytest.fixture(scope="module")
def script():
    """benchmarks/run.py as a module (importing it runs nothing)."""
    spec = importlib.util.spec_from_file_location("benchmarks_run", BENCHMARKS / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results():
    return json.loads((BENCHMARKS / "results.json").read_text(encoding="utf-8"))


def test_results_hold_what_the_book_quotes(results):
    measured = {entry["key"]: entry for entry in results["results"]}
    missing = [key for key in QUOTED if key not in measured]
    assert not missing, f"benchmarks/results.json lacks {missing}: run `nox -s bench`"
    for key in QUOTED:
        entry = measured[key]
        assert 0 < entry["min"] <= entry["median"] <= entry["max"], key
        quoted = {"best": entry["min"], "median": entry["median"]}[entry["statistic"]]
        assert entry["time"] == quoted, key


def test_results_are_a_full_run_of_the_current_script(script, results):
    assert not results["quick"], "the reference measurements must not come from a --quick run"
    assert [entry["key"] for entry in results["results"]] == [
        key for key, *_ in [*script.SMALL, *script.RUNS]
    ], "benchmarks/run.py measures something else than results.json holds: run `nox -s bench`"
    for field in ["platform", "processor", "cpu_count", "python", "numpy"]:
        assert results["machine"][field], field


def test_table_is_the_rendering_of_the_json(script, results):
    table = (BENCHMARKS / "results.md").read_text(encoding="utf-8")
    assert table == script.render_markdown(results), (
        "benchmarks/results.md differs from what results.json renders to: "
        "run `python benchmarks/run.py --render`"
    )


def test_script_examples(script):
    failures, attempted = doctest.testmod(script)
    assert attempted and not failures
