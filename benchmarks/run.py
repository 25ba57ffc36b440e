"""Measure what the book says about speed, on the chapters' own code.

Run from the repository's top folder, with the package installed
(``pip install -e .``, or ``nox -s bench``)::

    python benchmarks/run.py            # the reference measurements, about 10 minutes
    python benchmarks/run.py --torch    # the same, PyTorch included (installed beforehand)
    python benchmarks/run.py --quick    # fewer repeats, about 3 minutes
    python benchmarks/run.py --render   # only rewrite results.md and speed.json from results.json

It writes ``benchmarks/results.json`` (every repeat, and the machine),
``benchmarks/results.md`` (the table the book shows, rendered from the JSON by
``render_markdown``) and ``nn_from_scratch/data/speed.json`` (what chapter 5c
prints, which the package carries). The chapters quote the ``time`` of each entry, and the
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
- **The digits comparison** (chapter 5c): chapter 6's first recipe, the
  64-32-10 sigmoid network on the 1437 training digits as chapter 6 gives them
  (raw pixels, 0 to 16), at a learning rate of 0.16 on the mean loss of each
  batch: a few epochs of the per-neuron ``NeuralNetwork``, of the ``Layer``
  network one sample at a time and in batches of 16, and, in batches of 16
  at the same learning rate, of scikit-learn's ``MLPClassifier`` (given one-hot
  targets, it has ten sigmoid outputs like ours; its loss is binary
  cross-entropy, the only one it has) and, with ``--torch``, of PyTorch
  (torch_contender.py: our loss, plain SGD, our starting weights), taking
  turns like the training runs. Each gives a time per epoch (the run's time
  over its number of epochs), samples per second, the test accuracy it
  reaches and, where it reports them, the total training error after the
  first and the last epoch. The derived figures the chapter quotes
  (speed-ups, the ratios to the peers, the handout's 3000-epoch recipe
  projected for the per-neuron network) are stored as extra fields of the
  entries (``add_digits_figures``), and what chapter 5c prints is copied into
  the package (``package_figures``, nn_from_scratch/data/speed.json).
- **PyTorch** is measured only with ``--torch`` (``nox -s bench -- --torch``
  installs it first, from requirements-torch.txt); without it, its entries
  are kept from the results this run replaces, with the day they were
  measured (``carried_from``), their ratios those of that run. Before it is
  timed, ``torch_same_step`` checks that one of its steps from our weights
  lands on ours.

BLAS threads: every measurement runs with the BLAS libraries (the OpenBLAS of
NumPy and of SciPy) limited to one thread (``threadpoolctl.threadpool_limits(1)``),
the same for every contender, scikit-learn included, and PyTorch's own threads to one
(``torch.set_num_threads(1)`` in torch_contender.py). The digits network's
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
PACKAGE_DATA = HERE.parent / "nn_from_scratch" / "data"  # speed.json: what chapter 5c prints


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

DIGITS_EPOCHS = 50  # the Layer networks and the peers: enough for the accuracies to mean something
PER_NEURON_EPOCHS = 2  # the per-neuron network takes a third of a second per epoch
RECIPE_EPOCHS = 3000  # the handout's recipe: 3000 epochs in batches of 16
# The handout's 0.01 on a summed batch loss is 0.16 on our mean over 16 samples; every
# contender follows a mean over the batch, so every one gets 0.16.
LEARNING_RATE = 0.16
BATCH = 16


@cache
def digits_data():
    """Chapter 6's data: the raw pixels (0 to 16), one-hot targets; 1437 training and 360 test
    digits, split as the chapter splits them."""
    return tuple(chapter6.digits_data())


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
    """Seconds per epoch of the package's train, the test accuracy it leaves, and its errors."""
    import numpy as np

    from nn_from_scratch import train

    x_train, x_test, t_train, t_test = digits_data()
    start = time.perf_counter()
    history = train(
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
    return seconds / epochs, accuracy(outputs, t_test), errors(history)


def errors(history):
    """The total error over the training set after the first and after the last epoch."""
    return {"first_epoch_error": round(history[0], 4), "final_total_error": round(history[-1], 4)}


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
    """scikit-learn's MLPClassifier: the same 64-32-10 sigmoid network, plain SGD, batches of 16.

    Given one-hot targets, MLPClassifier learns them as ten yes-or-no labels, with
    ten sigmoid outputs, as our network has; its loss is binary cross-entropy (the
    only loss it has), a mean over the batch like ours, so it gets our learning rate.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x_train, x_test, t_train, t_test = digits_data()
    classifier = MLPClassifier(
        hidden_layer_sizes=(32,),
        activation="logistic",
        solver="sgd",
        batch_size=BATCH,
        learning_rate_init=LEARNING_RATE,
        momentum=0.0,
        alpha=0.0,
        tol=0,
        n_iter_no_change=DIGITS_EPOCHS,
        max_iter=DIGITS_EPOCHS,
        random_state=0,
        shuffle=True,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # it stops at max_iter, as asked
        start = time.perf_counter()
        classifier.fit(x_train, t_train)  # one-hot targets: sigmoid outputs, as ours
        seconds = time.perf_counter() - start
    if classifier.out_activation_ != "logistic":
        raise RuntimeError(f"MLPClassifier chose {classifier.out_activation_!r} outputs, "
                           "expected 'logistic' (sigmoids, as ours)")
    return seconds / DIGITS_EPOCHS, accuracy(classifier.predict_proba(x_test), t_test), {}


@cache
def torch_contender():
    """benchmarks/torch_contender.py, loaded only when PyTorch is measured (it imports torch)."""
    return _load("torch_contender")


def digits_torch():
    """The PyTorch contender, from the Layer network's starting weights, batches of 16."""
    import numpy as np
    import torch

    contender = torch_contender()
    x_train, x_test, t_train, t_test = digits_data()
    np.random.seed(42)
    network = contender.network_like(layer_network())
    inputs, targets = torch.from_numpy(x_train), torch.from_numpy(t_train)
    torch.manual_seed(42)  # its shuffling
    start = time.perf_counter()
    history = contender.train(network, inputs, targets, DIGITS_EPOCHS, LEARNING_RATE, BATCH)
    seconds = time.perf_counter() - start
    with torch.no_grad():
        outputs = network(torch.from_numpy(x_test)).numpy()
    return seconds / DIGITS_EPOCHS, accuracy(outputs, t_test), errors(history)


def torch_same_step():
    """One step of ours and one of PyTorch's from the same weights, on the first 16 training
    digits: the largest difference between the weights they land on, and the largest move."""
    import numpy as np
    import torch

    contender = torch_contender()
    x_train, _, t_train, _ = digits_data()
    x, t = x_train[:BATCH], t_train[:BATCH]
    np.random.seed(42)
    ours = layer_network()
    theirs = contender.network_like(ours)
    before = [layer.weights.copy() for layer in ours.layers]
    optimizer = torch.optim.SGD(theirs.parameters(), lr=LEARNING_RATE)
    contender.step(theirs, optimizer, torch.from_numpy(x), torch.from_numpy(t))
    ours.backpropagate(x, t, LEARNING_RATE)
    linears = [module for module in theirs if isinstance(module, torch.nn.Linear)]
    difference = max(
        max(np.max(np.abs(linear.weight.detach().numpy().T - layer.weights)),
            np.max(np.abs(linear.bias.detach().numpy() - layer.biases[0])))
        for linear, layer in zip(linears, ours.layers)
    )
    moved = max(np.max(np.abs(layer.weights - old)) for layer, old in zip(ours.layers, before))
    if not difference < 1e-12:
        raise RuntimeError(f"one PyTorch step lands {difference:.3g} away from ours: "
                           "the contenders do not compute the same step")
    return {"torch_step_difference": float(difference), "step_largest_move": float(moved),
            "torch": torch.__version__}


def time_digits(contenders, repeats, log=print):
    """Seconds per epoch of each contender (name, function), one list of repeats each; its test
    accuracy and the training errors it reports.

    The contenders take turns, one run of each per round, like the training runs.
    """
    times = [[] for _ in contenders]
    outcomes = [None] * len(contenders)  # {"test_accuracy": ..., and the errors it reports}
    for _ in range(repeats):
        for i, (name, contender) in enumerate(contenders):
            seconds, test_accuracy, reported = contender()
            times[i].append(seconds)
            outcomes[i] = {"test_accuracy": test_accuracy, **reported}
            log(f"  {name} {format_time(seconds)} per epoch")
    return times, outcomes


def step_setup(which):
    """One mini-batch step (16 digits) of the Layer network, of the bare NumPy calls it makes,
    or of the PyTorch contender, from the same weights."""
    import numpy as np

    x_train, _, t_train, _ = digits_data()
    np.random.seed(42)
    network = layer_network()
    namespace = {"x": x_train[:BATCH], "t": t_train[:BATCH], "learning_rate": LEARNING_RATE}
    if which == "layer":
        return "network.backpropagate(x, t, learning_rate)", {**namespace, "network": network}, 1
    if which == "torch":
        import torch

        contender = torch_contender()
        theirs = contender.network_like(network)
        namespace = {
            "step": contender.step,
            "network": theirs,
            "optimizer": torch.optim.SGD(theirs.parameters(), lr=LEARNING_RATE),
            "x": torch.from_numpy(x_train[:BATCH]),
            "t": torch.from_numpy(t_train[:BATCH]),
        }
        return "step(network, optimizer, x, t)", namespace, 1
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
    """The figures the chapter quotes, derived from the digits entries, as extra fields of them.

    The PyTorch entries compare with the entries of the run that measured them: a run
    without ``--torch`` keeps them, ratios included, from the run before (``carried_from``).
    """
    entries = {entry["key"]: entry for entry in results}
    per_neuron, layer_1, layer_16, mlp, torch_16 = (entries[key] for key, *_ in DIGITS)
    n_train = len(digits_data()[0])
    for key, *_ in DIGITS:
        entries[key]["name"] = NAMES[key]
        entries[key]["samples"] = n_train
        entries[key]["samples_per_second"] = n_train / entries[key]["time"]
    for entry in (layer_1, layer_16):
        entry["speedup_over_per_neuron"] = per_neuron["time"] / entry["time"]
    layer_16["ratio_to_mlp"] = layer_16["time"] / mlp["time"]
    mlp["ratio_to_layer_16"] = mlp["time"] / layer_16["time"]
    per_neuron["recipe_time"] = (
        per_neuron["time"] * RECIPE_EPOCHS
    )  # projected: an hour is too long to wait
    recipe = entries["digits_handout_recipe"]
    recipe["speedup_over_per_neuron"] = per_neuron["recipe_time"] / recipe["time"]
    step, floor, torch_step = (
        entries[key] for key in ("digits_step_layer", "digits_step_floor", "digits_step_torch")
    )
    step["ratio_to_floor"] = step["time"] / floor["time"]
    if "carried_from" not in torch_16:
        torch_16["ratio_to_layer_16"] = torch_16["time"] / layer_16["time"]
        torch_step["ratio_to_floor"] = torch_step["time"] / floor["time"]
        torch_step["ratio_to_layer_step"] = torch_step["time"] / step["time"]


# Exercise 8's runs on layers, and the chapters' runs on neurons they compare with.
EXERCISE_8_PAIRS = {
    "exercise_8_xor_layers": "xor_package",
    "exercise_8_quadratic_layers": "quadratic",
    "exercise_8_california_layers": "california",
    "exercise_8_iris_layers": "iris",
}


def add_exercise_8_figures(results):
    """How many times as fast as the network of neurons each of Exercise 8's runs on layers is."""
    entries = {entry["key"]: entry for entry in results}
    for layers, neurons in EXERCISE_8_PAIRS.items():
        entries[layers]["speedup_over_neurons"] = entries[neurons]["time"] / entries[layers]["time"]


def package_figures(results):
    """What chapter 5c's speed table prints, for nn_from_scratch/data/speed.json.

    The package carries this copy, so that the chapter's listing runs wherever the
    package is installed; tests/test_benchmarks.py checks that it is this function's
    rendering of results.json.
    """
    entries = {entry["key"]: entry for entry in results["results"]}
    rows = []
    for key, *_ in DIGITS:
        entry = entries[key]
        rows.append({
            "key": key,
            "name": entry["name"],
            "seconds_per_epoch": entry["time"],
            "samples_per_second": entry["samples_per_second"],
            "test_accuracy": entry["test_accuracy"],
            "epochs": entry["epochs"],
            "measured": entry.get("carried_from", results["date"]),
        })
    machine = results["machine"]
    return {
        "about": "The digits comparison of chapter 5c, as benchmarks/run.py measured it.",
        "date": results["date"],
        "machine": {"processor": machine["processor"], "cpu_count": machine["cpu_count"],
                    "openblas_kernel": machine.get("blas_kernels", "not recorded"),
                    "numpy_dispatch": machine.get("numpy_dispatch", "not recorded")},
        "digits": rows,
    }


def package_json(results):
    """The text of nn_from_scratch/data/speed.json."""
    return json.dumps(package_figures(results), indent=2, ensure_ascii=False) + "\n"


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
    (
        "digits_step_torch",
        "5c",
        "the same step in PyTorch, float64, one thread (`torch_contender.step`)",
        lambda: step_setup("torch"),
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
    (
        "digits_torch_16",
        "5c",
        "digits, PyTorch, batches of 16, per epoch",
        digits_torch,
    ),
]

# The names chapter 5c's table gives the digits contenders.
NAMES = {
    "digits_per_neuron": "neurons, one sample at a time",
    "digits_layer_1": "layers, one sample at a time",
    "digits_layer_16": "layers, batches of 16",
    "digits_mlp_16": "MLPClassifier, batches of 16",
    "digits_torch_16": "PyTorch, batches of 16",
}

# Measured only with --torch (PyTorch is not one of the book's dependencies); a run without
# it keeps these entries from the results it replaces.
TORCH = ("digits_step_torch", "digits_torch_16")


def machine():
    """What the measurements were made on: the processor, NumPy and its dispatch levels, and each
    BLAS library with the kernel it runs, which library loads it and its default threads."""
    import numpy as np
    import scipy.linalg  # noqa: F401  (loads SciPy's OpenBLAS, as scikit-learn's runs do)
    from threadpoolctl import threadpool_info

    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:  # NumPy 1
        from numpy.core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    processor = platform.processor()
    # Linux names the processor model here; platform.processor() often gives only the architecture.
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                processor = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    pools = threadpool_info()
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": processor,
        "cpu_count": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "numpy": np.__version__,
        "numpy_dispatch": " ".join(name for name in __cpu_dispatch__ if __cpu_features__.get(name)),
        "blas": "; ".join(
            f"{pool['internal_api']} {pool['version']}, kernel {pool.get('architecture')}, "
            f"loaded by {loaded_by(pool['filepath'])} ({pool['num_threads']} threads by default)"
            for pool in pools
            if pool["user_api"] == "blas"
        ),
        "blas_kernels": ", ".join(sorted({pool.get("architecture") for pool in pools
                                          if pool["internal_api"] == "openblas"})),
        "blas_settings": " ".join(f"{name}={os.environ[name]}" for name in BLAS_SETTINGS
                                  if name in os.environ) or "none",
        "blas_threads": BLAS_THREADS,
    }


# The variables that choose an OpenBLAS kernel or NumPy's dispatch: recorded when set.
BLAS_SETTINGS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "NPY_DISABLE_CPU_FEATURES")


def loaded_by(path):
    """The package whose wheel ships a shared library (``.../numpy.libs/...`` is NumPy's)."""
    parts = Path(path).parts
    for name, package in [("numpy.libs", "NumPy"), ("scipy.libs", "SciPy")]:
        if name in parts:
            return package
    return Path(path).name


def measure(quick=False, log=print, torch=False, previous=None):
    """Every measurement, in the order of SMALL, RUNS and DIGITS.

    With ``torch``, PyTorch's entries are measured too, taking turns with the others;
    without it they are copied from ``previous`` (the results this run replaces).
    """
    from threadpoolctl import threadpool_limits

    carried = {}
    if not torch:
        old = {entry["key"]: entry for entry in (previous or {}).get("results", [])}
        missing = [key for key in TORCH if key not in old]
        if missing:
            raise SystemExit(f"no earlier measurement of {', '.join(missing)} to keep: "
                             "measure PyTorch too (nox -s bench -- --torch)")
        date = previous["date"]
        carried = {key: {**old[key], "carried_from": old[key].get("carried_from", date)}
                   for key in TORCH}
    digits_data()  # loaded before any timing
    if torch:
        torch_contender()  # imported before any timing
    with threadpool_limits(BLAS_THREADS):  # see the module's docstring
        results = measure_all(QUICK_REPEATS if quick else REPEATS, log, torch, carried)
    return {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "quick": quick,
        "results": results,
    }


def measure_all(repeats, log, torch=False, carried=None):
    measured = {}
    small = [item for item in SMALL if torch or item[0] not in TORCH]
    all_times, hows = time_small([setup for *_, setup in small], repeats["small"])
    for (key, chapter, what, _), times, how in zip(small, all_times, hows):
        measured[key] = entry(key, chapter, what, "small", times, how)
        log(f"{key:24s} {format_time(measured[key]['time'])}")
    counts = [repeats[kind] for _, _, _, kind, _ in RUNS]
    all_times, outcomes = time_runs([run for *_, run in RUNS], counts, log)
    for (key, chapter, what, kind, _), times, count, outcome in zip(
        RUNS, all_times, counts, outcomes
    ):
        how = f"{count} run{'s' if count > 1 else ''}"
        measured[key] = entry(key, chapter, what, kind, times, how, **outcome)
        log(f"{key:24s} {format_time(measured[key]['time'])}")
    digits = [item for item in DIGITS if torch or item[0] not in TORCH]
    all_times, outcomes = time_digits(
        [(key, run) for key, *_, run in digits], repeats["digits"], log
    )
    for (key, chapter, what, run), times, outcome in zip(digits, all_times, outcomes):
        epochs = PER_NEURON_EPOCHS if run is digits_per_neuron else DIGITS_EPOCHS
        how = f"{len(times)} run{'s' if len(times) > 1 else ''} of {epochs} epochs"
        measured[key] = entry(key, chapter, what, "digits", times, how, epochs=epochs, **outcome)
        log(f"{key:24s} {format_time(measured[key]['time'])} per epoch")
    if torch:
        measured["digits_torch_16"].update(torch_same_step())
    measured.update(carried or {})
    results = [measured[key] for key, *_ in [*SMALL, *RUNS, *DIGITS]]
    add_digits_figures(results)
    add_exercise_8_figures(results)
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
    if "numpy_dispatch" in m:
        blas = (f" NumPy's dispatch levels: {m['numpy_dispatch']}; kernel and dispatch settings: "
                f"{m['blas_settings']}.{blas}")
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
    repeated = [r for r in results["results"] if len(r["times"]) > 1]
    widest = max(repeated, key=lambda r: r["max"] / r["min"])
    lines += [
        "",
        f"The slowest repeat of a measurement took at most {widest['max'] / widest['min']:.1f} "
        f"times as long as its fastest ({widest['what']}).",
    ]
    digits = {r["key"]: r for r in results["results"] if r["kind"] == "digits"}
    if digits:
        lines += _render_digits(digits, {r["key"]: r for r in results["results"]})
    return "\n".join(lines) + "\n"


def _taken_as(r):
    taken = f"{r['statistic']} of {r['repeats']}" if len(r["times"]) > 1 else r["repeats"]
    return f"{taken}, measured on {r['carried_from']}" if "carried_from" in r else taken


def _time_range(r):
    return f"{format_time(r['min'])} – {format_time(r['max'])}"


def _render_digits(digits, entries):
    """The digits comparison of chapter 5c: a table of its own, and the ratios 5c quotes."""
    per_neuron, layer_1, layer_16, mlp, torch_16 = (digits[key] for key, *_ in DIGITS)
    step, floor, torch_step, recipe = (
        entries[key]
        for key in ("digits_step_layer", "digits_step_floor", "digits_step_torch",
                    "digits_handout_recipe")
    )
    lines = [
        "",
        "The digits comparison (chapter 5c): the same 64-32-10 sigmoid network, trained on "
        f"{mlp['samples']} digits (chapter 6's raw pixels, from 0 to 16) at a learning rate of "
        f"{LEARNING_RATE} on the mean loss of each batch, tested on the other 360.",
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
        f"- In batches of 16, `MLPClassifier` takes {mlp['ratio_to_layer_16']:.2f} times "
        f"the `Layer` network's time per epoch, and PyTorch "
        f"{torch_16['ratio_to_layer_16']:.2f} times"
        + (f" (in the run of {torch_16['carried_from']})." if "carried_from" in torch_16
           else "."),
        f"- One step of the `Layer` network takes {step['ratio_to_floor']:.2f} times the floor, "
        f"the same NumPy calls alone ({format_time(step['time'])} against "
        f"{format_time(floor['time'])}); one step of PyTorch "
        f"{torch_step['ratio_to_floor']:.2f} times ({format_time(torch_step['time'])}).",
        f"- From the same weights, one PyTorch step on 16 digits lands within "
        f"{torch_16['torch_step_difference']:.1e} of ours (the step moves a weight by up to "
        f"{torch_16['step_largest_move']:.1e}); PyTorch {torch_16['torch']}.",
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
        "--torch",
        action="store_true",
        help="measure PyTorch too (it must be installed: benchmarks/requirements-torch.txt); "
        "without it, the PyTorch entries of the results this run replaces are kept",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=None,
        help="where to write results.json, results.md and speed.json (default: results.json "
        "and results.md in benchmarks/, speed.json in nn_from_scratch/data/)",
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help="measure nothing: rewrite results.md and speed.json from the results.json "
        "already there",
    )
    args = parser.parse_args(argv)

    folder = args.output_dir or HERE
    json_file = folder / "results.json"
    package_file = (args.output_dir or PACKAGE_DATA) / "speed.json"
    if args.render:
        results = json.loads(json_file.read_text(encoding="utf-8"))
    else:
        # The results this run replaces: PyTorch's entries are kept from them without --torch.
        previous_file = json_file if json_file.exists() else HERE / "results.json"
        previous = json.loads(previous_file.read_text(encoding="utf-8"))
        results = measure(
            quick=args.quick,
            log=lambda line: print(line, file=sys.stderr, flush=True),
            torch=args.torch,
            previous=previous,
        )
        folder.mkdir(parents=True, exist_ok=True)
        json_file.write_text(
            json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    (folder / "results.md").write_text(render_markdown(results), encoding="utf-8")
    package_file.write_text(package_json(results), encoding="utf-8")
    print(render_markdown(results))


if __name__ == "__main__":
    main()
