"""The reference measurements in benchmarks/: complete, and the table agrees with the data.

The chapters quote times from benchmarks/results.json through placeholders
(``{{ bench.iris | s }}``, tests/book/measured.py) that the site's build fills in,
and the site shows benchmarks/results.md. These tests check that every
placeholder of the book resolves against the JSON, and that the table is exactly
what benchmarks/run.py renders from the JSON, so that the two files cannot drift
apart. They measure nothing: ``nox -s bench`` does that.
"""

import doctest
import importlib.util
import json
import re
from pathlib import Path

import pytest
from book.fences import fences, pages
from book.measured import MeasurementError, placeholders, render


BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

# The measurements the chapters quote: the keys of their placeholders.
PLACES = {page: placeholders(page.read_text(encoding="utf-8")) for page in pages()}
QUOTED = sorted({placeholder.key for found in PLACES.values() for placeholder in found})


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


def test_the_book_quotes_measurements():
    assert "iris" in QUOTED and len(QUOTED) > 10, QUOTED


@pytest.mark.parametrize(
    "page", [page for page, found in PLACES.items() if found], ids=lambda page: page.name
)
def test_every_placeholder_resolves(page, results):
    text = page.read_text(encoding="utf-8")
    rendered = render(text, results)  # raises MeasurementError, naming the line, for a typo
    assert not placeholders(rendered)


@pytest.mark.parametrize(
    "page", [page for page, found in PLACES.items() if found], ids=lambda page: page.name
)
def test_placeholders_stand_in_prose_or_fence_titles_only(page):
    """A listing or an Output block runs or is compared as written: a placeholder would stay raw."""
    text = page.read_text(encoding="utf-8")
    for fence in fences(text):
        assert not placeholders(fence.code), f"{page.name}:{fence.line}"
        if placeholders(fence.title or ""):
            assert fence.language == "text" and fence.title.startswith("Output"), (
                f"{page.name}:{fence.line}"
            )


@pytest.mark.parametrize(
    "text, message",
    [
        ("about {{ bench.irsi | s }}", "has no entry 'irsi'"),
        ("{{ bench.iris.ratio:.1f }}", "has no field 'ratio'"),
        ("{{ bench.iris | seconds }}", "unknown unit 'seconds'"),
        ("line 1\n{{ bench iris }}", "line 2: {{ bench iris }} is not a measurement placeholder"),
        ("{{ bench.iris.what }}", "not a number"),
    ],
)
def test_a_wrong_placeholder_is_refused(results, text, message):
    with pytest.raises(MeasurementError, match=re.escape(message)):
        render(text, results)


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
        key for key, *_ in [*script.SMALL, *script.RUNS, *script.DIGITS]
    ], "benchmarks/run.py measures something else than results.json holds: run `nox -s bench`"
    for field in ["platform", "processor", "cpu_count", "python", "numpy", "numpy_dispatch",
                  "blas", "blas_settings", "blas_threads"]:
        assert results["machine"][field], field
    # Each OpenBLAS with its kernel and the package that loads it (nox -s kernels runs others).
    assert re.search(r"kernel \w+, loaded by NumPy", results["machine"]["blas"])


def test_results_hold_the_digits_comparison(script, results):
    """The fields that add_digits_figures derives, for chapter 5c to quote."""
    measured = {entry["key"]: entry for entry in results["results"]}
    derived = {
        "digits_per_neuron": ["samples_per_second", "test_accuracy", "recipe_time"],
        "digits_layer_1": [
            "samples_per_second",
            "test_accuracy",
            "speedup_over_per_neuron",
            "first_epoch_error",
            "final_total_error",
        ],
        "digits_layer_16": [
            "samples_per_second",
            "test_accuracy",
            "speedup_over_per_neuron",
            "ratio_to_mlp",
            "first_epoch_error",
            "final_total_error",
        ],
        "digits_mlp_16": ["samples_per_second", "test_accuracy", "ratio_to_layer_16"],
        "digits_torch_16": [
            "samples_per_second",
            "test_accuracy",
            "ratio_to_layer_16",
            "step_largest_move",
            "first_epoch_error",
            "final_total_error",
        ],
        "digits_handout_recipe": ["final_total_error", "speedup_over_per_neuron"],
        "digits_step_layer": ["ratio_to_floor"],
        "digits_step_torch": ["ratio_to_floor", "ratio_to_layer_step"],
        **{key: ["speedup_over_neurons"] for key in script.EXERCISE_8_PAIRS},
    }
    assert set(derived) <= {key for key, *_ in [*script.SMALL, *script.RUNS, *script.DIGITS]}
    for key, fields in derived.items():
        assert key in measured, f"benchmarks/results.json lacks {key}: run `nox -s bench`"
        for field in fields:
            assert measured[key].get(field, 0) > 0, (key, field)


def test_table_is_the_rendering_of_the_json(script, results):
    table = (BENCHMARKS / "results.md").read_text(encoding="utf-8")
    assert table == script.render_markdown(results), (
        "benchmarks/results.md differs from what results.json renders to: "
        "run `python benchmarks/run.py --render`"
    )


def test_script_examples(script):
    failures, attempted = doctest.testmod(script)
    assert attempted and not failures


PACKAGE_COPY = BENCHMARKS.parent / "nn_from_scratch" / "data" / "speed.json"


def test_the_package_carries_the_figures_chapter_5c_prints(script, results):
    """nn_from_scratch/data/speed.json is what run.py writes from results.json, and the
    package's measured_speeds reads it: 5c's table runs wherever the package is installed."""
    from nn_from_scratch.speed import measured_speeds

    assert PACKAGE_COPY.read_text(encoding="utf-8") == script.package_json(results), (
        "nn_from_scratch/data/speed.json differs from what results.json renders to: "
        "run `python benchmarks/run.py --render`"
    )
    speeds = measured_speeds()
    assert speeds == json.loads(script.package_json(results))
    measured = {entry["key"]: entry for entry in results["results"]}
    assert [row["key"] for row in speeds["digits"]] == [key for key, *_ in script.DIGITS]
    for row in speeds["digits"]:
        assert row["seconds_per_epoch"] == measured[row["key"]]["time"]
    # The comparison can fail: another measurement renders to another copy.
    other = json.loads(json.dumps(results))
    other["results"][-1]["time"] *= 2
    assert script.package_json(other) != PACKAGE_COPY.read_text(encoding="utf-8")


def test_the_package_data_is_shipped():
    config = (BENCHMARKS.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"data/*.json"' in config
    manifest = (BENCHMARKS.parent / "MANIFEST.in").read_text(encoding="utf-8")
    assert "nn_from_scratch/data/*.json" in manifest


def test_pytorch_lands_on_our_weights_with_the_pinned_version(results):
    """The PyTorch contender's step from our weights lands on ours, measured with the PyTorch
    that benchmarks/requirements-torch.txt pins."""
    measured = {entry["key"]: entry for entry in results["results"]}
    torch_run = measured["digits_torch_16"]
    assert torch_run["torch_step_difference"] < 1e-12 < torch_run["step_largest_move"]
    pins = re.findall(r"^torch==([\w.]+)$",
                      (BENCHMARKS / "requirements-torch.txt").read_text(encoding="utf-8"), re.M)
    assert len(pins) == 1 and torch_run["torch"].split("+")[0] == pins[0]


def test_every_contender_learns_at_our_learning_rate_on_chapter_6_s_pixels(script, monkeypatch):
    """MLPClassifier gets the learning rate of the Layer network, and the data are chapter 6's
    raw pixels, from 0 to 16."""
    import sklearn.neural_network

    captured = {}

    class Stop(Exception):
        pass

    def fake(**kwargs):
        captured.update(kwargs)
        raise Stop

    monkeypatch.setattr(sklearn.neural_network, "MLPClassifier", fake)
    with pytest.raises(Stop):
        script.digits_mlp()
    assert captured["learning_rate_init"] == script.LEARNING_RATE == 0.16
    assert captured["batch_size"] == script.BATCH and captured["momentum"] == 0
    x_train, _, _, _ = script.digits_data()
    assert x_train.max() == 16 and x_train.shape == (1437, 64)
    source = (BENCHMARKS / "torch_contender.py").read_text(encoding="utf-8")
    assert "torch.optim.SGD(network.parameters(), lr=learning_rate)" in source
    assert "0.5 * ((outputs - targets) ** 2).sum(1).mean()" in source


def test_a_run_without_torch_keeps_the_pytorch_entries(script, results, monkeypatch):
    monkeypatch.setattr(script, "machine", lambda: results["machine"])
    monkeypatch.setattr(
        script, "measure_all", lambda repeats, log, torch, carried: list(carried.values())
    )
    kept = {entry["key"]: entry for entry in script.measure(previous=results)["results"]}
    assert set(kept) == set(script.TORCH)
    for key in script.TORCH:
        original = next(entry for entry in results["results"] if entry["key"] == key)
        assert kept[key]["carried_from"] == original.get("carried_from", results["date"])
        assert kept[key]["time"] == original["time"]
    kept_out = [entry for entry in results["results"] if entry["key"] not in script.TORCH]
    without = {**results, "results": kept_out}
    with pytest.raises(SystemExit, match="--torch"):
        script.measure(previous=without)
