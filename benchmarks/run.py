"""Measure what the book says about speed, on the chapters' own code.

Run from the repository's top folder, with the package installed
(``pip install -e .``, or ``nox -s bench``)::

    python benchmarks/run.py            # the reference measurements, about 10 minutes
    python benchmarks/run.py --quick    # fewer repeats, about 3 minutes
    python benchmarks/run.py --render   # only rewrite results.md from results.json

It writes ``benchmarks/results.json`` (every repeat, and the machine) and
``benchmarks/results.md`` (the table the book shows, rendered from the JSON by
``render_markdown``). The chapters quote the ``time`` of each entry, and the
other numbers of an entry (a ratio, samples per second), through placeholders
that the site's build fills in (tests/book/measured.py).

Three kinds of measurement, all timed with ``time.perf_counter``:

- **Small operations** (one call of ``Neuron.forward``, the loop around a
  layer, the sigmoid): ``timeit`` runs the statement enough times to fill at
  least 0.2 seconds, and that is one repeat; the time per call is the repeat's
  total divided by the number of calls. The statements take turns, one repeat
  of each per round. Garbage collection is off while timeit runs, as it always
  is in timeit.
- **Training runs**: the chapter's listing, network and seed included, run once
  per repeat, with what it prints captured and thrown away; the runs take
  turns too.
- **The digits comparison** (chapter 5c): on the 1437 training digits, a few
  epochs of the per-neuron ``NeuralNetwork``, of the ``Layer`` network one
  sample at a time and in batches of 16, and of scikit-learn's
  ``MLPClassifier`` (the same 64-32-10 sigmoid network and plain SGD, batches
  of 16; it learns with softmax and cross-entropy, its own way), taking turns
  like the training runs. Each gives a time per epoch (the run's time over its
  number of epochs), samples per second and the test accuracy it reaches. The
  derived figures the chapter quotes (speed-ups, the ratio to
  ``MLPClassifier``, the handout's 3000-epoch recipe projected for the
  per-neuron network) are stored as extra fields of the entries
  (``add_digits_figures``).

BLAS threads: every measurement runs with the BLAS libraries (the OpenBLAS of
NumPy and of SciPy) limited to one thread (``threadpoolctl.threadpool_limits(1)``),
the same for every contender, scikit-learn included. The digits network's
matrices are small: a batch's products (16x64 @ 64x32) stay on one thread
anyway with the OpenBLAS of NumPy 2.4, but larger ones, such as the pass over
the whole training set after each epoch (1437x64 @ 64x32), are split over the
cores by default, and on the 2-core shared reference machine the threads cost
more than they save (that product took about 240 µs instead of 150 µs) and make
the timings scatter; older OpenBLAS builds split even the small products. One
thread measures the code, not the thread scheduler of a shared machine, and
matches what the book says: this code runs on one core. ``results.json``
records the BLAS libraries, their default numbers of threads and the number
used (``machine``).

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
import importlib.util
import io
import json
import os
import platform
import statistics
import sys
import time
import timeit
import warnings
from functools import cache
from pathlib import Path


HERE = Path(__file__).resolve().parent


def _load(name):
    """A module of this folder, by file name (run.py is run, and imported in tests, by path)."""
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


chapter6 = _load("chapter6")  # chapter 6's two training runs, as the chapter runs them
exercise7 = _load("exercise7")  # the runs of the exercises' solutions, timed once each
exercise8 = _load("exercise8")

REPEATS = {"small": 15, "short run": 5, "long run": 3, "digits": 5, "solution run": 1}
QUICK_REPEATS = {"small": 5, "short run": 1, "long run": 1, "digits": 1, "solution run": 1}
BLAS_THREADS = 1


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
    hidden_layers = [
        [handout.Neuron(2, handout.sigmoid, handout.sigmoid_derivative) for _ in range(2)]
    ]
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
    return train(
        network, X_train_scaled, t_train, epochs=3000, learning_rate=0.03, print_every=500
    )[-1]


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
    """Seconds per run of each training run, and what it returns (its final total error).

    Like the small operations, the runs take turns: one of each per round,
    until each has had its number of repeats.
    """
    times = [[] for _ in runs]
    outcomes = [None] * len(runs)  # {"final_total_error": ...}, and any other field a run returns
    for round_ in range(max(repeats)):
        for i, run in enumerate(runs):
            if round_ < repeats[i]:
                start = time.perf_counter()
                with contextlib.redirect_stdout(io.StringIO()):  # the epochs the chapter prints
                    outcome = run()
                times[i].append(time.perf_counter() - start)
                if not isinstance(outcome, dict):
                    outcome = {"final_total_error": round(float(outcome), 4)}
                outcomes[i] = outcome
                log(f"  {run.__name__} {format_time(times[i][-1])}")
    return times, outcomes


# ---------------------------------------------------------------------------
# The digits comparison (chapter 5c): the same 64-32-10 sigmoid network, four ways

DIGITS_EPOCHS = (
    50  # the Layer networks and MLPClassifier: enough for the accuracies to mean something
)
PER_NEURON_EPOCHS = 2  # the per-neuron network takes seconds per epoch
RECIPE_EPOCHS = 3000  # the handout's recipe: 3000 epochs in batches of 16
LEARNING_RATE = (
    0.16  # the handout's 0.01 on a summed batch loss is 0.16 on our mean over 16 samples
)
BATCH = 16


@cache
def digits_data():
    """Pixels scaled to [0, 1], one-hot targets; 1437 training and 360 test digits."""
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    inputs, targets = digits.data / 16, np.eye(10)[digits.target]
    return tuple(train_test_split(inputs, targets, test_size=0.2, random_state=42))


def layer_network():
    from nn_from_scratch import Layer, SpeedyNeuralNetwork, sigmoid, sigmoid_derivative

    return SpeedyNeuralNetwork(
        [
            Layer(64, 32, sigmoid, sigmoid_derivative, init_method="lecun_normal"),
            Layer(32, 10, sigmoid, sigmoid_derivative, init_method="lecun_normal"),
        ]
    )


def per_neuron_network():
    from nn_from_scratch import NeuralNetwork, Neuron, sigmoid, sigmoid_derivative

    hidden_layer = [
        Neuron(64, sigmoid, sigmoid_derivative, init_method="lecun_normal") for _ in range(32)
    ]
    output_layer = [
        Neuron(32, sigmoid, sigmoid_derivative, init_method="lecun_normal") for _ in range(10)
    ]
    return NeuralNetwork([hidden_layer], output_layer)


def accuracy(outputs, targets):
    """Arg-max accuracy: the share of samples whose largest output is the right class."""
    import numpy as np

    return float(np.mean(np.argmax(outputs, axis=1) == np.argmax(targets, axis=1)))


def train_digits(network, epochs, batch_size):
    """Seconds per epoch of the package's train, and the test accuracy it leaves."""
    import numpy as np

    from nn_from_scratch import train

    x_train, x_test, t_train, t_test = digits_data()
    start = time.perf_counter()
    train(
        network,
        x_train,
        t_train,
        epochs=epochs,
        learning_rate=LEARNING_RATE,
        print_every=None,
        shuffle=True,
        batch_size=batch_size,
    )
    seconds = time.perf_counter() - start
    outputs = np.array(
        [network.forward(x) for x in x_test]
    )  # one at a time: the per-neuron network's way
    return seconds / epochs, accuracy(outputs, t_test)


def digits_per_neuron():
    """The NeuralNetwork of Neuron objects, one sample at a time."""
    import numpy as np

    np.random.seed(42)
    return train_digits(per_neuron_network(), PER_NEURON_EPOCHS, None)


def digits_layer(batch_size):
    import numpy as np

    np.random.seed(42)
    return train_digits(layer_network(), DIGITS_EPOCHS, batch_size)


def digits_mlp():
    """scikit-learn's MLPClassifier with the same network and plain SGD, batches of 16."""
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x_train, x_test, t_train, t_test = digits_data()
    classifier = MLPClassifier(
        hidden_layer_sizes=(32,),
        activation="logistic",
        solver="sgd",
        batch_size=BATCH,
        learning_rate_init=0.01,
        momentum=0.0,
        alpha=0.0,
        tol=0,
        n_iter_no_change=DIGITS_EPOCHS,
        max_iter=DIGITS_EPOCHS,
        random_state=0,
        shuffle=True,
    )
    labels = np.argmax(t_train, axis=1)  # class labels: MLPClassifier's usual softmax output
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # it stops at max_iter, as asked
        start = time.perf_counter()
        classifier.fit(x_train, labels)
        seconds = time.perf_counter() - start
    return seconds / DIGITS_EPOCHS, float(
        np.mean(classifier.predict(x_test) == np.argmax(t_test, axis=1))
    )


def time_digits(contenders, repeats, log=print):
    """Seconds per epoch of each contender (name, function), one list of repeats each; its accuracy.

    The contenders take turns, one run of each per round, like the training runs.
    """
    times = [[] for _ in contenders]
    accuracies = [None] * len(contenders)
    for _ in range(repeats):
        for i, (name, contender) in enumerate(contenders):
            seconds, accuracies[i] = contender()
            times[i].append(seconds)
            log(f"  {name} {format_time(seconds)} per epoch")
    return times, accuracies


def step_setup(which):
    """One mini-batch step (16 digits) of the Layer network, or of the bare NumPy calls it makes."""
    import numpy as np

    x_train, _, t_train, _ = digits_data()
    np.random.seed(42)
    network = layer_network()
    namespace = {"x": x_train[:BATCH], "t": t_train[:BATCH], "learning_rate": LEARNING_RATE}
    if which == "layer":
        return "network.backpropagate(x, t, learning_rate)", {**namespace, "network": network}, 1
    first, second = network.layers
    namespace.update(
        step=floor_step,
        w1=first.weights.copy(),
        b1=first.biases.copy(),
        w2=second.weights.copy(),
        b2=second.biases.copy(),
    )
    return "step(x, t, w1, b1, w2, b2, learning_rate)", namespace, 1


def floor_step(x, t, w1, b1, w2, b2, learning_rate):
    """The floor: one step of a 64-32-10 sigmoid network on the batch's mean loss, NumPy calls only.

    What ``SpeedyNeuralNetwork.backpropagate`` computes, without its checks, its
    objects and its calls between them: forward through two layers, backward,
    update in place.
    """
    import numpy as np

    h = 0.5 * (1.0 + np.tanh(0.5 * (x @ w1 + b1)))
    y = 0.5 * (1.0 + np.tanh(0.5 * (h @ w2 + b2)))
    d_z2 = (y - t) / len(x) * (y * (1 - y))
    d_z1 = (d_z2 @ w2.T) * (h * (1 - h))
    w2 -= learning_rate * (h.T @ d_z2)
    b2 -= learning_rate * d_z2.sum(axis=0, keepdims=True)
    w1 -= learning_rate * (x.T @ d_z1)
    b1 -= learning_rate * d_z1.sum(axis=0, keepdims=True)


def add_digits_figures(results):
    """The figures the chapter quotes, derived from the digits entries, as extra fields of them."""
    entries = {entry["key"]: entry for entry in results}
    per_neuron, layer_1, layer_16, mlp = (entries[key] for key, *_ in DIGITS)
    n_train = len(digits_data()[0])
    for entry in (per_neuron, layer_1, layer_16, mlp):
        entry["samples"] = n_train
        entry["samples_per_second"] = n_train / entry["time"]
    for entry in (layer_1, layer_16):
        entry["speedup_over_per_neuron"] = per_neuron["time"] / entry["time"]
    layer_16["ratio_to_mlp"] = layer_16["time"] / mlp["time"]
    per_neuron["recipe_time"] = (
        per_neuron["time"] * RECIPE_EPOCHS
    )  # projected: an hour is too long to wait
    recipe = entries["digits_handout_recipe"]
    recipe["speedup_over_per_neuron"] = per_neuron["recipe_time"] / recipe["time"]
    step, floor = entries["digits_step_layer"], entries["digits_step_floor"]
    step["ratio_to_floor"] = step["time"] / floor["time"]


# ---------------------------------------------------------------------------
# What is measured. The key is what the book and tests/test_benchmarks.py refer to.

SMALL = [
    ("neuron_forward_2", "3b", "`Neuron.forward`, 2 inputs, per call", lambda: neuron_forward(2)),
    ("neuron_forward_8", "3b", "`Neuron.forward`, 8 inputs, per call", lambda: neuron_forward(8)),
    (
        "layer_comprehension",
        "3b",
        "a layer of 4 neurons as a list comprehension, per neuron",
        lambda: layer(COMPREHENSION),
    ),
    (
        "layer_append_loop",
        "3b",
        "the same layer as a loop with `append`, per neuron",
        lambda: layer(APPEND_LOOP),
    ),
    (
        "loop_comprehension",
        "3b",
        "the comprehension's own work (no `forward` inside), per neuron",
        lambda: layer(BARE_COMPREHENSION),
    ),
    (
        "loop_append",
        "3b",
        "the `append` loop's own work (no `forward` inside), per neuron",
        lambda: layer(BARE_APPEND_LOOP),
    ),
    (
        "sigmoid_tanh_scalar",
        "3a",
        "the package's sigmoid (tanh form), one number",
        lambda: sigmoid_call("package", None),
    ),
    (
        "sigmoid_exp_scalar",
        "3a",
        "the handout's sigmoid (exp form), one number",
        lambda: sigmoid_call("handout", None),
    ),
    (
        "sigmoid_tanh_array",
        "3a",
        "the package's sigmoid (tanh form), 1000 numbers",
        lambda: sigmoid_call("package", 1000),
    ),
    (
        "sigmoid_exp_array",
        "3a",
        "the handout's sigmoid (exp form), 1000 numbers",
        lambda: sigmoid_call("handout", 1000),
    ),
    (
        "network_forward_2_4_4_1",
        "4a",
        "`NeuralNetwork.forward`, 2-4-4-1 network, one input",
        quadratic_network_forward,
    ),
    (
        "digits_step_layer",
        "5c",
        "one step of the `Layer` network, 64-32-10, a batch of 16 digits",
        lambda: step_setup("layer"),
    ),
    (
        "digits_step_floor",
        "5c",
        "the same step as bare NumPy calls, no checks, no objects: the floor",
        lambda: step_setup("floor"),
    ),
]

RUNS = [
    (
        "xor_handout",
        "4a",
        "XOR, the handout's code: 2-2-1, 4 samples, 10 000 epochs",
        "short run",
        xor_handout,
    ),
    (
        "xor_package",
        "4a",
        "XOR, the package's code: 2-2-1, 4 samples, 10 000 epochs",
        "short run",
        xor_package,
    ),
    (
        "quadratic",
        "4a",
        "the quadratic surface: 2-4-4-1, 35 samples, 4500 epochs",
        "long run",
        quadratic,
    ),
    (
        "california",
        "4b",
        "California Housing: 8-8-1, 200 samples, 3000 epochs",
        "long run",
        california,
    ),
    ("iris", "4c", "Iris: 4-4-3, 120 samples, 1000 epochs", "long run", iris),
    (
        "digits_handout_recipe",
        "6",
        "digits, the handout's recipe: 64-32-10 `Layer` network, 1437 samples, "
        "raw pixels, batches of 16, 3000 epochs",
        "long run",
        chapter6.digits_handout_recipe,
    ),
    (
        "digits_improved",
        "6",
        "digits, the improved network: 64-64-10, momentum 0.9, batches of 16, "
        "100 epochs, five seeds",
        "long run",
        chapter6.digits_improved,
    ),
    (
        "exercise_7_larger_network",
        "4b",
        "Exercise 7's solution: 8-16-8-1 on 200 samples, 3000 epochs",
        "solution run",
        exercise7.exercise_7_larger_network,
    ),
    (
        "exercise_8_xor_layers",
        "5c",
        "Exercise 8's solution: XOR on `Layer` objects, one sample at a time, 10 000 epochs",
        "solution run",
        exercise8.exercise_8_xor_layers,
    ),
    (
        "exercise_8_quadratic_layers",
        "5c",
        "Exercise 8's solution: the quadratic surface on `Layer` objects, 4500 epochs",
        "solution run",
        exercise8.exercise_8_quadratic_layers,
    ),
    (
        "exercise_8_california_layers",
        "5c",
        "Exercise 8's solution: California Housing on `Layer` objects, 3000 epochs",
        "solution run",
        exercise8.exercise_8_california_layers,
    ),
    (
        "exercise_8_california_layers_16",
        "5c",
        "Exercise 8's solution: California Housing on `Layer` objects, batches of 16, 3000 epochs",
        "solution run",
        exercise8.exercise_8_california_layers_16,
    ),
    (
        "exercise_8_iris_layers",
        "5c",
        "Exercise 8's solution: Iris on `Layer` objects, 1000 epochs",
        "solution run",
        exercise8.exercise_8_iris_layers,
    ),
]

# The digits comparison: each takes a time per epoch. The order matters to add_digits_figures.
DIGITS = [
    (
        "digits_per_neuron",
        "5c",
        "digits, `NeuralNetwork` of `Neuron`s, one sample at a time, per epoch",
        digits_per_neuron,
    ),
    (
        "digits_layer_1",
        "5c",
        "digits, `Layer` network, one sample at a time, per epoch",
        lambda: digits_layer(1),
    ),
    (
        "digits_layer_16",
        "5c",
        "digits, `Layer` network, batches of 16, per epoch",
        lambda: digits_layer(BATCH),
    ),
    (
        "digits_mlp_16",
        "5c",
        "digits, scikit-learn's `MLPClassifier`, batches of 16, per epoch",
        digits_mlp,
    ),
]


def machine():
    """What the measurements were made on, with the BLAS libraries and their default threads."""
    import numpy as np
    from threadpoolctl import threadpool_info

    processor = platform.processor()
    # Linux names the processor model here; platform.processor() often gives only the architecture.
    try:
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
        "blas": "; ".join(
            f"{pool['internal_api']} {pool['version']} ({pool['num_threads']} threads by default)"
            for pool in threadpool_info()
            if pool["user_api"] == "blas"
        ),
        "blas_threads": BLAS_THREADS,
    }


def measure(quick=False, log=print):
    from threadpoolctl import threadpool_limits

    digits_data()  # loaded before any timing
    with threadpool_limits(BLAS_THREADS):  # see the module's docstring
        results = measure_all(QUICK_REPEATS if quick else REPEATS, log)
    return {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "quick": quick,
        "results": results,
    }


def measure_all(repeats, log):
    results = []
    all_times, hows = time_small([setup for *_, setup in SMALL], repeats["small"])
    for (key, chapter, what, _), times, how in zip(SMALL, all_times, hows):
        results.append(entry(key, chapter, what, "small", times, how))
        log(f"{key:24s} {format_time(results[-1]['time'])}")
    counts = [repeats[kind] for _, _, _, kind, _ in RUNS]
    all_times, outcomes = time_runs([run for *_, run in RUNS], counts, log)
    for (key, chapter, what, kind, _), times, count, outcome in zip(
        RUNS, all_times, counts, outcomes
    ):
        how = f"{count} run{'s' if count > 1 else ''}"
        results.append(entry(key, chapter, what, kind, times, how, **outcome))
        log(f"{key:24s} {format_time(results[-1]['time'])}")
    all_times, accuracies = time_digits(
        [(key, run) for key, *_, run in DIGITS], repeats["digits"], log
    )
    for (key, chapter, what, run), times, test_accuracy in zip(DIGITS, all_times, accuracies):
        epochs = PER_NEURON_EPOCHS if run is digits_per_neuron else DIGITS_EPOCHS
        how = f"{len(times)} run{'s' if len(times) > 1 else ''} of {epochs} epochs"
        results.append(
            entry(
                key, chapter, what, "digits", times, how, epochs=epochs, test_accuracy=test_accuracy
            )
        )
        log(f"{key:24s} {format_time(results[-1]['time'])} per epoch")
    add_digits_figures(results)
    return results


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
    blas = f" {m['blas']}, used with {m['blas_threads']} thread." if "blas" in m else ""
    lines = [
        f"Measured on {results['date']} with `python benchmarks/run.py"
        f"{' --quick' if results['quick'] else ''}`, on {m['platform']} "
        f"({m['processor']}, {m['cpu_count']} CPUs), {m['python']}, NumPy {m['numpy']}.{blas}",
        "",
        "| Chapter | What | Time | Taken as | Fastest – slowest |",
        "|:-------:|------|-----:|----------|------------------:|",
    ]
    for r in results["results"]:
        if r["kind"] != "digits":
            lines.append(
                f"| {r['chapter']} | {r['what']} | {format_time(r['time'])} | {_taken_as(r)} "
                f"| {_time_range(r)} |"
            )
    digits = {r["key"]: r for r in results["results"] if r["kind"] == "digits"}
    if digits:
        lines += _render_digits(digits, {r["key"]: r for r in results["results"]})
    return "\n".join(lines) + "\n"


def _taken_as(r):
    return f"{r['statistic']} of {r['repeats']}" if len(r["times"]) > 1 else r["repeats"]


def _time_range(r):
    return f"{format_time(r['min'])} – {format_time(r['max'])}"


def _render_digits(digits, entries):
    """The digits comparison of chapter 5c: a table of its own, and the ratios 5c quotes."""
    per_neuron, layer_1, layer_16, mlp = (digits[key] for key, *_ in DIGITS)
    step, floor, recipe = (
        entries["digits_step_layer"],
        entries["digits_step_floor"],
        entries["digits_handout_recipe"],
    )
    lines = [
        "",
        "The digits comparison (chapter 5c): the same 64-32-10 sigmoid network, trained on "
        f"{mlp['samples']} digits, tested on the other 360.",
        "",
        "| What | Time per epoch | Samples per second | Test accuracy after | Taken as "
        "| Fastest – slowest |",
        "|------|---------------:|-------------------:|---------------------|----------"
        "|------------------:|",
    ]
    for r in digits.values():
        lines.append(
            f"| {r['what'].removesuffix(', per epoch')} | {format_time(r['time'])} "
            f"| {r['samples_per_second']:,.0f} | {r['test_accuracy']:.1%} ({r['epochs']} epochs) "
            f"| {_taken_as(r)} | {_time_range(r)} |"
        )
    lines += [
        "",
        f"- The `Layer` network is {layer_1['speedup_over_per_neuron']:.1f} times as fast "
        f"as the per-neuron network one sample at a time, "
        f"{layer_16['speedup_over_per_neuron']:.0f} times in batches of 16.",
        f"- In batches of 16 it takes {layer_16['ratio_to_mlp']:.2f} times "
        f"`MLPClassifier`'s time per epoch.",
        f"- One of its steps takes {step['ratio_to_floor']:.1f} times the floor, "
        f"the same NumPy calls alone "
        f"({format_time(step['time'])} against {format_time(floor['time'])}).",
        f"- The handout's recipe, 3000 epochs in batches of 16: "
        f"{format_time(recipe['time'])} measured on the `Layer` network, "
        f"{per_neuron['recipe_time'] / 60:.0f} minutes projected for the per-neuron network "
        f"({recipe['speedup_over_per_neuron']:.0f} times as long).",
    ]
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repeats (one of each training run): about 3 minutes instead of 10",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=HERE,
        help="where to write results.json and results.md (default: benchmarks/)",
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help="measure nothing: rewrite results.md from the results.json already there",
    )
    args = parser.parse_args(argv)

    json_file = args.output_dir / "results.json"
    if args.render:
        results = json.loads(json_file.read_text(encoding="utf-8"))
    else:
        results = measure(
            quick=args.quick, log=lambda line: print(line, file=sys.stderr, flush=True)
        )
        args.output_dir.mkdir(parents=True, exist_ok=True)
        json_file.write_text(
            json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    (args.output_dir / "results.md").write_text(render_markdown(results), encoding="utf-8")
    print(render_markdown(results))


if __name__ == "__main__":
    main()
