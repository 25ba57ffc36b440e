"""Tests of ``nn_from_scratch.checks``: the solutions pass, typical mistakes get their hint."""

import functools
import subprocess
import sys
import types

import matplotlib


matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nn_from_scratch import (  # noqa: E402
    NeuralNetwork,
    Neuron,
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    train,
)
from nn_from_scratch.checks import REQUIRED, check_exercise, main  # noqa: E402
from nn_from_scratch.solutions import (  # noqa: E402
    exercise_1,
    exercise_2,
    exercise_3,
    exercise_4,
    exercise_5,
    exercise_6,
    exercise_7,
    exercise_8,
)


# The book's solutions; 7 and 8 with fewer epochs (and 7 a smaller network), to stay fast.
SOLUTIONS = {
    1: exercise_1,
    2: exercise_2,
    3: exercise_3,
    4: exercise_4,
    5: exercise_5,
    6: exercise_6,
    7: {"network_mae": functools.partial(exercise_7.network_mae, hidden=(4,), epochs=30)},
    8: {"xor": functools.partial(exercise_8.xor, epochs=3000)},
}


@pytest.mark.parametrize("number", sorted(SOLUTIONS))
def test_the_books_solutions_pass(number, capsys):
    assert check_exercise(number, SOLUTIONS[number])
    printed = capsys.readouterr().out
    assert "FAIL" not in printed
    assert printed.count("pass  ") >= 1
    assert printed.splitlines()[-1] == f"Exercise {number}: every check passed"


def failed(number, *answer, capsys):
    """Check a wrong answer; return what was printed, which must report a failure."""
    assert not check_exercise(number, *answer)
    printed = capsys.readouterr().out
    assert "FAIL  " in printed and "hint:" in printed
    return printed


def test_a_name_the_exercise_asks_for_is_missing(capsys):
    def weighted(weights, inputs, bias):
        return 0.0

    printed = failed(1, weighted, capsys=capsys)
    assert "define `weighted_sum(weights, inputs, bias)`" in printed
    assert set(REQUIRED) == set(SOLUTIONS)


def test_exercise_1_without_the_bias(capsys):
    def weighted_sum(weights, inputs, bias):
        return sum(w * x for w, x in zip(weights, inputs))

    printed = failed(1, weighted_sum, capsys=capsys)
    assert "off by exactly the bias" in printed
    assert "input: weights=[" in printed and "bias=0.75" in printed


def test_exercise_1_with_np_dot(capsys):
    def weighted_sum(weights, inputs, bias):
        return np.dot(weights, inputs) + bias

    printed = failed(1, weighted_sum, capsys=capsys)
    assert "pass  weighted_sum(weights, inputs, bias) equals np.dot" in printed
    assert "FAIL  weighted_sum uses no NumPy" in printed


def test_exercise_2_tanh_from_its_formula_overflows(capsys):
    def tanh(x):
        return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))

    printed = failed(2, tanh, relu, leaky_relu, capsys=capsys)
    assert "pass  tanh matches math.tanh" in printed
    assert "e**x overflows for large x" in printed
    assert printed.count("FAIL") == 1
    assert "read  your plot" in printed


def test_exercise_3_seeded_once_at_the_top(capsys):
    np.random.seed(0)  # once, "at the top of the file"

    def make_reproducible_neuron(seed):
        return Neuron(2, sigmoid)

    printed = failed(3, make_reproducible_neuron, capsys=capsys)
    assert "seed NumPy's global generator (np.random.seed) inside the function" in printed


def test_exercise_4_derivative_of_the_input(capsys):
    def tanh_derivative(z):
        return 1 - np.tanh(z) ** 2  # right for z, but it is given y = tanh(z)

    answer = types.SimpleNamespace(tanh_derivative=tanh_derivative, relu_derivative=relu_derivative,
                                   leaky_relu_derivative=leaky_relu_derivative)
    printed = failed(4, answer, capsys=capsys)
    assert "FAIL  tanh_derivative(tanh(z))" in printed
    assert "gives the right slope when given the input z" in printed
    assert "FAIL  a neuron using tanh_derivative takes an exact gradient step" in printed
    assert "pass  relu_derivative" in printed


def test_exercise_5_the_handouts_step(capsys):
    def build_network(version="package"):
        return exercise_5.build_network("handout")  # the handout's Neuron for both

    printed = failed(5, build_network, capsys=capsys)
    assert "the package version uses the NeuralNetwork and Neuron of chapter 3d" in printed
    assert "got:   nn_from_scratch.handout.NeuralNetwork, nn_from_scratch.handout.Neuron" in printed
    # Target 1: the hidden layer's steps are too large; target 0: too small.
    assert "got:   hidden 1: w moved too far; hidden 1: b moved too far" in printed
    assert "hidden 1: w did not move far enough" in printed
    assert "output:" not in printed.split("FAIL  one backward pass")[1]


def test_exercise_6_one_hot_off_by_one(capsys):
    def and_network():
        np.random.seed(42)
        network = NeuralNetwork([[Neuron(2, sigmoid, sigmoid_derivative) for _ in range(2)]],
                                [Neuron(2, sigmoid, sigmoid_derivative) for _ in range(2)])
        swapped = np.eye(2)[1 - exercise_6.AND]  # [0, 1] for the answer 0
        train(network, exercise_6.INPUTS, swapped, epochs=1000, learning_rate=0.5,
              print_every=None)
        return network

    printed = failed(6, and_network, capsys=capsys)
    assert "the answers [1, 1, 1, 0]" in printed
    assert "the one-hot positions are swapped" in printed


def test_exercise_7_error_in_units_of_100000_dollars(capsys):
    def network_mae():
        return 0.242, [13.5, 1.1]

    printed = failed(7, network_mae, capsys=capsys)
    assert "got:   0.242" in printed and "looks like units of $100,000" in printed


def test_exercise_8_untrained_network(capsys):
    def xor(batch_size=1):
        return 1.0312  # the error of a network that was never trained

    printed = failed(8, xor, capsys=capsys)
    assert "XOR is not learned" in printed and "total error 1.0312" in printed
    assert "pass  xor(batch_size=2) trains on mini-batches" in printed


def test_the_command_loads_a_file_by_its_path(tmp_path, capsys):
    right, wrong = tmp_path / "right.py", tmp_path / "wrong.py"
    right.write_text("def weighted_sum(weights, inputs, bias):\n"
                     "    return sum(w * x for w, x in zip(weights, inputs)) + bias\n")
    wrong.write_text("def weighted_sum(weights, inputs, bias):\n"
                     "    return sum(w * x for w, x in zip(weights, inputs))\n")
    assert main(["1", str(right)]) == 0
    assert main(["1", str(wrong)]) == 1
    assert "off by exactly the bias" in capsys.readouterr().out
    assert main(["one", str(right)]) == 2
    assert main(["9", str(right)]) == 2


def test_exercise_5_with_classes_of_ones_own(capsys):
    """Chapter 2's own-code route: a reader's own NeuralNetwork and Neuron, and a typed copy of
    the handout's, pass as the package's do; the handout's step from the package's classes fails."""
    from nn_from_scratch import handout

    own = types.SimpleNamespace(
        package=types.SimpleNamespace(
            Neuron=type("Neuron", (Neuron,), {}), NeuralNetwork=type("NeuralNetwork",
                                                                      (NeuralNetwork,), {}),
            sigmoid=sigmoid),
        handout=types.SimpleNamespace(
            Neuron=type("Neuron", (handout.Neuron,), {}),
            NeuralNetwork=type("NeuralNetwork", (handout.NeuralNetwork,), {}),
            sigmoid=handout.sigmoid),
    )

    def build(modules):
        def build_network(version="package"):
            module = getattr(modules, version)
            hidden = [module.Neuron(1, module.sigmoid, sigmoid_derivative) for _ in range(2)]
            network = module.NeuralNetwork([hidden], [module.Neuron(2, module.sigmoid,
                                                                    sigmoid_derivative)])
            exercise_5.set_parameters(network, np.array([0.5, 0.0, 0.5, 0.0, 0.5, 0.5, 0.0]))
            return network
        return build_network

    assert check_exercise(5, build(own))
    capsys.readouterr()
    swapped = types.SimpleNamespace(package=own.package, handout=own.package)
    printed = failed(5, build(swapped), capsys=capsys)
    assert "FAIL  build_network(\"handout\")" in printed
    assert "whose step differs from the package's" in printed


def test_the_command_finds_a_relative_file_from_the_current_folder(tmp_path):
    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "exercise_1.py").write_text(
        "def weighted_sum(weights, inputs, bias):\n"
        "    return sum(w * x for w, x in zip(weights, inputs)) + bias\n")
    command = [sys.executable, "-m", "nn_from_scratch.checks", "1"]
    result = subprocess.run([*command, "answers/exercise_1.py"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "Exercise 1: every check passed"
    missing = subprocess.run([*command, "exercise_1.py"], cwd=tmp_path,
                             capture_output=True, text=True)
    assert missing.returncode == 2 and not missing.stderr  # a message, not a traceback
    assert missing.stdout == (f"no file exercise_1.py (looked for {tmp_path / 'exercise_1.py'}); "
                              f"give the path of your answer from the folder you are in "
                              f"({tmp_path}), or an absolute one\n")
