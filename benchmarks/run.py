"""Measure what the book says about speed, on the chapters' own code.

Run from the repository's top folder, with the package installed
(``pip install -e .``, or ``nox -s bench``)::

    python benchmarks/run.py            # the reference measurements, about 7 minutes
    python benchmarks/run.py --quick    # fewer repeats, about 2 minutes
    python benchmarks/run.py --render   # only rewrite results.md from results.json

It writes ``benchmarks/results.json`` (every repeat, and the machine) and
``benchmarks/results.md`` (the table the book shows, rendered from the JSON by
``render_markdown``). The chapters quote the ``time`` of each entry.

Two kinds of measurement, both timed with ``time.perf_counter``:

- **Small operations** (one call of ``Neuron.forward``, the loop around a
  layer, the sigmoid): ``timeit`` runs the statement enough times to fill at
  least 0.2 seconds, and that is one repeat; the time per call is the repeat's
  total divided by the number of calls. The statements take turns, one repeat
  of each per round. Garbage collection is off while timeit runs, as it always
  is in timeit.
- **Training runs**: the chapter's listing, network and seed included, run once
  per repeat, with what it prints captured and thrown away; the runs take
  turns too.

Which repeat is quoted:

- for a small operation, the **fastest** repeat (best of N), as timeit's
  documentation advises: the code does the same work in every repeat, and a
  slower repeat measures, on top of it, whatever else the machine was doing;
- for a training run, the **median** run: that is what a reader re-running the
  chapter can expect to wait, and it does not reward a lucky run.

The table shows the fastest and the slowest repeat of every measurement too.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import os
import platform
import statistics
import sys
import time
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPEATS = {"small": 15, "short run": 5, "long run": 3}
QUICK_REPEATS = {"small": 5, "short run": 1, "long run": 1}


# ---------------------------------------------------------------------------
# Small operations


def neuron_forward(num_inputs):
    import numpy as np

    from nn_from_scratch import Neuron, sigmoid

    np.random.seed(1)
    neuron = Neuron(num_inputs, sigmoid)
    x = np.random.uniform(-1, 1, num_inputs)
    return "neuron.forward(x)", {"neuron": neuron, "x": x}, 1


def layer(statement):
    """A layer of 4 neurons with 4 inputs each, as the second hidden layer of chapter 3b."""
    import numpy as np

    from nn_from_scratch import Neuron, sigmoid

    np.random.seed(1)
    neurons = [Neuron(4, sigmoid) for _ in range(4)]
    return statement, {"layer": neurons, "x": np.random.uniform(-1, 1, 4)}, len(neurons)


COMPREHENSION = "outputs = [neuron.forward(x) for neuron in layer]"
APPEND_LOOP = "outputs = []\nfor neuron in layer:\n    outputs.append(neuron.forward(x))"
BARE_COMPREHENSION = "outputs = [neuron for neuron in layer]"
BARE_APPEND_LOOP = "outputs = []\nfor neuron in layer:\n    outputs.append(neuron)"


def sigmoid_call(which, size):
    import numpy as np

    import nn_from_scratch.handout as handout
    from nn_from_scratch import sigmoid

    function = sigmoid if which == "package" else handout.sigmoid
    # The weighted sum a neuron hands its sigmoid is a NumPy float; an array of
    # them is what a vectorised layer would hand it.
    z = np.float64(0.3) if size is None else np.linspace(-5, 5, size)
    return "sigmoid(z)", {"sigmoid": function, "z": z}, 1


def quadratic_network_forward():
    """One input through the 2-4-4-1 network of chapter 4a (untrained: the time is the same)."""
    import numpy as np

    np.random.seed(42)
    network = quadratic_network()
    return "network.forward(x)", {"network": network, "x": np.array([0.3, -0.5])}, 1


def time_small(setups, repeats):
    """Seconds per call (per neuron for a layer) of each statement, one list of repeats each.

    The statements take turns (one repeat of each, then the next round), so that
    a slow moment of the machine touches all of them alike, not one.
    """
    timers = []
    for setup in setups:
        statement, namespace, calls_per_run = setup()
        timer = timeit.Timer(statement, globals=namespace)
        number, _ = timer.autorange()  # enough calls to fill at least 0.2 s
        timers.append((timer, number, calls_per_run))
    times = [[] for _ in timers]
    for _ in range(repeats):
        for timer_times, (timer, number, calls_per_run) in zip(times, timers):
            timer_times.append(timer.timeit(number) / (number * calls_per_run))
    hows = [f"{repeats} repeats of {number:,} calls".replace(",", " ") for _, number, _ in timers]
    return times, hows


# ---------------------------------------------------------------------------
# Training runs: the chapters' listings


def xor_data():
    import numpy as np

    return np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), np.array([[0], [1], [1], [0]])


def xor_handout():
    """Chapter 4a: the handout's classes and train, 2-2-1, 10 000 epochs."""
    import numpy as np

    import nn_from_scratch.handout as handout

    inputs, targets = xor_data()
    np.random.seed(42)
    hidden_layers = [[handout.Neuron(2, handout.sigmoid, handout.sigmoid_derivative) for _ in range(2)]]
    output_layer = [handout.Neuron(2, handout.sigmoid, handout.sigmoid_derivative)]
    network = handout.NeuralNetwork(hidden_layers=hidden_layers, output_layer=output_layer)
    handout.train(network, inputs, targets, epochs=10000, learning_rate=0.5)
    return sum(float(np.sum((t - network.forward(x)) ** 2)) for x, t in zip(inputs, targets))


def xor_package():
    """Chapter 4a: the package's classes and train, 2-2-1, 10 000 epochs."""
    import numpy as np

    from nn_from_scratch import NeuralNetwork, Neuron, sigmoid, sigmoid_derivative, train

    inputs, targets = xor_data()
    np.random.seed(42)
    hidden_layers = [[Neuron(2, sigmoid, sigmoid_derivative) for _ in range(2)]]
    output_layer = [Neuron(2, sigmoid, sigmoid_derivative)]
    network = NeuralNetwork(hidden_layers=hidden_layers, output_layer=output_layer)
    return train(network, inputs, targets, epochs=10000, learning_rate=0.5)[-1]


def quadratic_network():
    from nn_from_scratch import NeuralNetwork, Neuron, sigmoid, sigmoid_derivative

    hidden_layers = [
        [Neuron(2, sigmoid, sigmoid_derivative) for _ in range(4)],
        [Neuron(4, sigmoid, sigmoid_derivative) for _ in range(4)],
    ]
    output_layer = [Neuron(4, sigmoid, sigmoid_derivative)]
    return NeuralNetwork(hidden_layers=hidden_layers, output_layer=output_layer)


def quadratic():
    """Chapter 4a: the first quadratic run, 2-4-4-1 on 35 points, 4500 epochs."""
    import numpy as np

    from nn_from_scratch import train

    np.random.seed(42)
    inputs = np.random.uniform(-1, 1, (35, 2))
    targets = np.sum(np.square(inputs), axis=1, keepdims=True)
    network = quadratic_network()
    return train(network, inputs, targets, epochs=4500, learning_rate=0.1, print_every=1000)[-1]


def california():
    """Chapter 4b: 8-8-1 on 200 training districts, 3000 epochs."""
    import numpy as np
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from nn_from_scratch import NeuralNetwork, Neuron, sigmoid, sigmoid_derivative, train
    from nn_from_scratch.datasets import fetch_california_housing

    housing = fetch_california_housing()
    X, y = housing.data[:250], housing.target[:250]
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train_scaled = StandardScaler().fit_transform(X_train)
    t_train = (y_train - y_train.min()) / (y_train.max() - y_train.min())

    np.random.seed(42)
    hidden_layer = [Neuron(X_train_scaled.shape[1], sigmoid, sigmoid_derivative) for _ in range(8)]
    output_layer = [Neuron(8, sigmoid, sigmoid_derivative)]
    network = NeuralNetwork([hidden_layer], output_layer)
    return train(network, X_train_scaled, t_train, epochs=3000, learning_rate=0.03, print_every=500)[-1]


def iris():
    """Chapter 4c: 4-4-3 on 120 training flowers, 1000 epochs."""
    import numpy as np
    from sklearn.datasets import load_iris
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from nn_from_scratch import NeuralNetwork, Neuron, sigmoid, sigmoid_derivative, train

    data = load_iris()
    y_one_hot = np.eye(3, dtype=int)[data.target]
    X_train, _, y_train, _ = train_test_split(data.data, y_one_hot, test_size=0.2, random_state=42)
    X_train = StandardScaler().fit_transform(X_train)

    np.random.seed(42)
    hidden_layers = [[Neuron(4, sigmoid, sigmoid_derivative) for _ in range(4)]]
    output_layer = [Neuron(4, sigmoid, sigmoid_derivative) for _ in range(3)]
    network = NeuralNetwork(hidden_layers, output_layer)
    return train(network, X_train, y_train, epochs=1000, learning_rate=0.1, print_every=100)[-1]


def time_runs(runs, repeats, log=print):
    """Seconds per run of each training run, and the total error after its last epoch.

    Like the small operations, the runs take turns: one of each per round,
    until each has had its number of repeats.
    """
    times = [[] for _ in runs]
    final_errors = [None] * len(runs)
    for round_ in range(max(repeats)):
        for i, run in enumerate(runs):
            if round_ < repeats[i]:
                start = time.perf_counter()
                with contextlib.redirect_stdout(io.StringIO()):  # the epochs the chapter prints
                    final_errors[i] = round(float(run()), 4)
                times[i].append(time.perf_counter() - start)
                log(f"  {run.__name__} {format_time(times[i][-1])}")
    return times, final_errors


# ---------------------------------------------------------------------------
# What is measured. The key is what the book and tests/test_benchmarks.py refer to.

SMALL = [
    ("neuron_forward_2", "3b", "`Neuron.forward`, 2 inputs, per call", lambda: neuron_forward(2)),
    ("neuron_forward_8", "3b", "`Neuron.forward`, 8 inputs, per call", lambda: neuron_forward(8)),
    ("layer_comprehension", "3b", "a layer of 4 neurons as a list comprehension, per neuron",
     lambda: layer(COMPREHENSION)),
    ("layer_append_loop", "3b", "the same layer as a loop with `append`, per neuron",
     lambda: layer(APPEND_LOOP)),
    ("loop_comprehension", "3b", "the comprehension's own work (no `forward` inside), per neuron",
     lambda: layer(BARE_COMPREHENSION)),
    ("loop_append", "3b", "the `append` loop's own work (no `forward` inside), per neuron",
     lambda: layer(BARE_APPEND_LOOP)),
    ("sigmoid_tanh_scalar", "3a", "the package's sigmoid (tanh form), one number",
     lambda: sigmoid_call("package", None)),
    ("sigmoid_exp_scalar", "3a", "the handout's sigmoid (exp form), one number",
     lambda: sigmoid_call("handout", None)),
    ("sigmoid_tanh_array", "3a", "the package's sigmoid (tanh form), 1000 numbers",
     lambda: sigmoid_call("package", 1000)),
    ("sigmoid_exp_array", "3a", "the handout's sigmoid (exp form), 1000 numbers",
     lambda: sigmoid_call("handout", 1000)),
    ("network_forward_2_4_4_1", "4a", "`NeuralNetwork.forward`, 2-4-4-1 network, one input",
     quadratic_network_forward),
]

RUNS = [
    ("xor_handout", "4a", "XOR, the handout's code: 2-2-1, 4 samples, 10 000 epochs", "short run", xor_handout),
    ("xor_package", "4a", "XOR, the package's code: 2-2-1, 4 samples, 10 000 epochs", "short run", xor_package),
    ("quadratic", "4a", "the quadratic surface: 2-4-4-1, 35 samples, 4500 epochs", "long run", quadratic),
    ("california", "4b", "California Housing: 8-8-1, 200 samples, 3000 epochs", "long run", california),
    ("iris", "4c", "Iris: 4-4-3, 120 samples, 1000 epochs", "long run", iris),
]


def machine():
    """What the measurements were made on."""
    import numpy as np

    processor = platform.processor()
    try:  # Linux names the processor model here; platform.processor() often gives only the architecture
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                processor = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": processor,
        "cpu_count": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "numpy": np.__version__,
    }


def measure(quick=False, log=print):
    repeats = QUICK_REPEATS if quick else REPEATS
    results = []
    all_times, hows = time_small([setup for *_, setup in SMALL], repeats["small"])
    for (key, chapter, what, _), times, how in zip(SMALL, all_times, hows):
        results.append(entry(key, chapter, what, "small", times, how))
        log(f"{key:24s} {format_time(results[-1]['time'])}")
    counts = [repeats[kind] for _, _, _, kind, _ in RUNS]
    all_times, final_errors = time_runs([run for *_, run in RUNS], counts, log)
    for (key, chapter, what, kind, _), times, count, final_error in zip(RUNS, all_times, counts, final_errors):
        how = f"{count} run{'s' if count > 1 else ''}"
        results.append(entry(key, chapter, what, kind, times, how, final_total_error=final_error))
        log(f"{key:24s} {format_time(results[-1]['time'])}")
    return {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "quick": quick,
        "results": results,
    }


def entry(key, chapter, what, kind, times, how, **extra):
    return {
        "key": key,
        "chapter": chapter,
        "what": what,
        "kind": kind,
        "statistic": "best" if kind == "small" else "median",
        "time": min(times) if kind == "small" else statistics.median(times),
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "repeats": how,
        "times": times,
        **extra,
    }


# ---------------------------------------------------------------------------
# The table


def format_time(seconds):
    """Three significant figures in a unit that keeps them readable.

    >>> format_time(54.6e-9), format_time(2.2946e-6), format_time(0.0312), format_time(57.04)
    ('54.6 ns', '2.29 µs', '31.2 ms', '57.0 s')
    """
    for unit, scale in [("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3)]:
        if seconds < 1000 * scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds:.1f} s" if seconds < 100 else f"{seconds:.0f} s"


def render_markdown(results):
    """The Markdown table of benchmarks/results.md, from the contents of results.json."""
    m = results["machine"]
    lines = [
        f"Measured on {results['date']} with `python benchmarks/run.py"
        f"{' --quick' if results['quick'] else ''}`, on {m['platform']} "
        f"({m['processor']}, {m['cpu_count']} CPUs), {m['python']}, NumPy {m['numpy']}.",
        "",
        "| Chapter | What | Time | Taken as | Fastest – slowest |",
        "|:-------:|------|-----:|----------|------------------:|",
    ]
    for r in results["results"]:
        taken_as = f"{r['statistic']} of {r['repeats']}" if len(r["times"]) > 1 else r["repeats"]
        lines.append(
            f"| {r['chapter']} | {r['what']} | {format_time(r['time'])} | {taken_as} "
            f"| {format_time(r['min'])} – {format_time(r['max'])} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats (one of each training run): about 2 minutes instead of 7")
    parser.add_argument("--output-dir", type=Path, default=HERE,
                        help="where to write results.json and results.md (default: benchmarks/)")
    parser.add_argument("--render", action="store_true",
                        help="measure nothing: rewrite results.md from the results.json already there")
    args = parser.parse_args(argv)

    json_file = args.output_dir / "results.json"
    if args.render:
        results = json.loads(json_file.read_text(encoding="utf-8"))
    else:
        results = measure(quick=args.quick, log=lambda line: print(line, file=sys.stderr, flush=True))
        args.output_dir.mkdir(parents=True, exist_ok=True)
        json_file.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.output_dir / "results.md").write_text(render_markdown(results), encoding="utf-8")
    print(render_markdown(results))


if __name__ == "__main__":
    main()
