"""Check your own answer to one of the book's exercises.

Write your answer in a file of your own, defining the names that the exercise
asks for, and run, from the folder you are in,

    python -m nn_from_scratch.checks 1 my_exercises/exercise_1.py

with the Python that has the book's package installed (in the book's repository,
``nox -s check -- 1 my_exercises/exercise_1.py`` does the same; chapter 2 says
which to use where). In a notebook, pass the functions themselves, or a module
or namespace that holds them:

    from nn_from_scratch.checks import check_exercise
    check_exercise(1, weighted_sum)

Every check prints one line, ``pass`` or ``FAIL``; a failure adds the input, what
came back and a hint. The checks test properties of the answer (central
differences for a derivative, agreement with ``np.dot``, a training step
against the exact gradient) or stored values; they never compare with the
book's own solutions. An answer may use the package's classes or classes of
its own written from the chapters. A ``read`` line names what only a person
can judge: an explanation, a plot, a discussion.

This module is written by hand, not from the chapters.
"""

import copy
import importlib.util
import math
import sys
import types
import warnings
from pathlib import Path

import numpy as np

from nn_from_scratch import NeuralNetwork, Neuron, handout, leaky_relu, relu, tanh
from nn_from_scratch.gradients import (
    get_parameters,
    numerical_gradient,
    set_parameters,
    step_taken,
)


__all__ = ["REQUIRED", "check_exercise", "main"]


REQUIRED = {
    1: ["weighted_sum(weights, inputs, bias)"],
    2: ["tanh(x)", "relu(x)", "leaky_relu(x, slope=0.01)"],
    3: ["make_reproducible_neuron(seed)"],
    4: [
        "tanh_derivative(output)",
        "relu_derivative(output)",
        "leaky_relu_derivative(output, slope=0.01)",
    ],
    5: ['build_network(version="package")'],
    6: ["and_network()"],
    7: ["network_mae()"],
    8: ["xor(batch_size=1)"],
}
"""What each exercise's answer must define, as the exercise states it: the exercise's number
gives the signatures, e.g. ``["weighted_sum(weights, inputs, bias)"]`` for Exercise 1."""


# Reporting -------------------------------------------------------------------


class Failed(Exception):
    """A check failed: what went in, what came back, and a hint about the likely mistake."""

    def __init__(self, hint, given=None, got=None):
        super().__init__(hint)
        self.hint, self.given, self.got = hint, given, got


class Report:
    """Runs the checks of one answer, printing one line for each."""

    def __init__(self):
        self.failures = 0

    def check(self, description, test):
        """Run ``test()``: it passes unless it raises (``Failed`` carries the details)."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)  # an overflow is a failure
                test()
        except Failed as failure:
            self.fail(description, failure.hint, failure.given, failure.got)
        except Exception as error:  # the answer's own code raised
            hint = "your code raised this: read the message, and the line of your code it names"
            self.fail(description, hint, got=f"{type(error).__name__}: {error}")
        else:
            print(f"pass  {description}")

    def fail(self, description, hint, given=None, got=None):
        self.failures += 1
        print(f"FAIL  {description}")
        if given is not None:
            print(f"        input: {given}")
        if got is not None:
            print(f"        got:   {got}")
        print(f"        hint:  {hint}")

    def read(self, what):
        """Name what a person must read: no check can judge it."""
        print(f"read  {what}")


def _namespace(answers):
    """The names an answer defines: from modules, namespaces, dicts, or functions by name."""
    names = {}
    for answer in answers:
        if isinstance(answer, dict):
            names.update(answer)
        elif isinstance(answer, (types.ModuleType, types.SimpleNamespace)):
            names.update(vars(answer))
        else:
            names[answer.__name__] = answer
    return types.SimpleNamespace(**names)


def _close(got, expected, tolerance=1e-9):
    got = np.asarray(got, dtype=float)
    return got.shape == np.shape(expected) and np.allclose(got, expected, rtol=tolerance,
                                                           atol=tolerance)


def _short(values):
    return np.array2string(np.asarray(values, dtype=float), precision=4, separator=", ")


# Exercise 1: the weighted sum without NumPy ------------------------------------


def _uses_numpy(function):
    """Whether the function's code (nested functions included) names NumPy or one of its objects."""
    codes = [function.__code__]
    for code in codes:
        codes += [const for const in code.co_consts if isinstance(const, types.CodeType)]
        for name in code.co_names:
            value = function.__globals__.get(name)
            module = value.__name__ if isinstance(value, types.ModuleType) else getattr(
                value, "__module__", None)
            if name == "numpy" or str(module).split(".")[0] == "numpy":
                return True
    return False


def _weighted_sum_hint(got, weights, inputs, bias):
    """The likeliest slip behind a wrong weighted sum."""
    products = [w * x for w, x in zip(weights, inputs)]
    if math.isclose(got, sum(products), rel_tol=1e-9):
        return "the result is off by exactly the bias: add the bias once, after the loop"
    if math.isclose(got, sum(products[:-1]) + bias, rel_tol=1e-9):
        return "the last pair (weight, input) is missing: loop over all of them"
    if math.isclose(got, sum(products) - bias, rel_tol=1e-9):
        return "the bias is subtracted: it is added"
    return "multiply each weight by its input, add up the products, then add the bias"


def _exercise_1(answer, report):
    weighted_sum = answer.weighted_sum
    rng = np.random.default_rng(1)

    def agrees_with_np_dot():
        for n in (1, 2, 3, 7, 50):  # any length
            weights = rng.normal(size=n).round(2).tolist()
            inputs = rng.normal(size=n).round(2).tolist()
            bias = 0.75
            got = float(weighted_sum(weights, inputs, bias))
            if not math.isclose(got, np.dot(weights, inputs) + bias, rel_tol=1e-9, abs_tol=1e-12):
                given = f"weights={weights}, inputs={inputs}, bias={bias}"
                raise Failed(_weighted_sum_hint(got, weights, inputs, bias), given, got)

    def without_numpy():
        if _uses_numpy(weighted_sum):
            raise Failed("the exercise asks for plain Python: a loop or sum(...) over "
                         "zip(weights, inputs), no np.dot or other NumPy function")

    report.check("weighted_sum(weights, inputs, bias) equals np.dot(weights, inputs) + bias "
                 "for 1 to 50 inputs", agrees_with_np_dot)
    report.check("weighted_sum uses no NumPy", without_numpy)


# Exercise 2: three more activation functions -----------------------------------

X = np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 2.0])


def _elementwise(function, expected, name):
    """A check that ``function`` gives ``expected(X)`` on an array and on a single number."""

    def test():
        got = function(X)
        if not _close(got, expected(X)):
            hint = (f"{name} must work on a NumPy array, element by element, and return an "
                    "array of the same shape")
            raise Failed(hint, f"x = {_short(X)}", got)
        if not _close(function(2.0), expected(2.0)):
            raise Failed(f"{name} must work on a single number too", "x = 2.0", function(2.0))

    return test


def _exercise_2(answer, report):
    def relu_on_arrays():
        try:
            _elementwise(answer.relu, lambda x: np.maximum(x, 0.0), "relu")()
        except ValueError as error:  # "The truth value of an array ... is ambiguous"
            raise Failed("Python's max (or an if) compares single numbers; np.maximum works "
                         "on a whole array", f"x = {_short(X)}", f"ValueError: {error}") from None

    def tanh_does_not_overflow():
        big = np.array([-1000.0, 1000.0])
        try:
            with np.errstate(over="raise", invalid="raise"):
                got = answer.tanh(big)
        except (FloatingPointError, OverflowError, RuntimeWarning) as error:
            raise Failed("e**x overflows for large x: use np.tanh, or a form that only "
                         "takes e to a negative power", f"x = {_short(big)}",
                         f"{type(error).__name__}: {error}") from None
        if not _close(got, [-1.0, 1.0]):
            raise Failed("tanh tends to -1 and 1 far from 0; inf/inf is nan",
                         f"x = {_short(big)}", got)

    def leaky_relu_slopes():
        default = float(answer.leaky_relu(-2.0))
        if not -2.0 < default < 0.0:
            raise Failed("with the default slope, a negative x gives a small negative "
                         "output: slope * x, with 0 < slope < 1", "x = -2.0", default)
        got = answer.leaky_relu(X, 0.1)
        if not _close(got, np.where(X > 0, X, 0.1 * X)):
            raise Failed("the slope multiplies the negative inputs only; positive ones pass "
                         "unchanged", f"x = {_short(X)}, slope = 0.1", got)

    report.check("tanh matches math.tanh", _elementwise(answer.tanh, np.tanh, "tanh"))
    report.check("tanh(±1000) is ±1, with no overflow", tanh_does_not_overflow)
    report.check("relu is max(0, x), element by element", relu_on_arrays)
    report.check("leaky_relu is x for x > 0 and slope * x otherwise", leaky_relu_slopes)
    if hasattr(answer, "plot_activations"):

        def four_curves():
            import matplotlib.pyplot as plt

            plt.close("all")
            answer.plot_activations()
            lines = sum(len(axes.lines) for axes in plt.gcf().axes)
            plt.close("all")
            if lines < 4:
                raise Failed("draw the sigmoid and your three functions on the same axes",
                             got=f"{lines} curve(s)")

        report.check("plot_activations() draws at least four curves", four_curves)
    report.read("your plot, and when you would pick one function over another")


# Exercise 3: the same neuron on every run --------------------------------------


def _exercise_3(answer, report):
    def same(first, second):
        return (np.array_equal(first.weights, second.weights)
                and float(first.bias) == float(second.bias))

    def same_seed_same_neuron():
        first = answer.make_reproducible_neuron(3)
        np.random.uniform(size=5)  # whatever runs in between must not matter
        second = answer.make_reproducible_neuron(3)
        if not same(first, second):
            raise Failed("seed NumPy's global generator (np.random.seed) inside the function, "
                         "right before the Neuron is created: the Neuron draws its weights from "
                         "that generator, so a seed set once at the top of the file, or a "
                         "generator of your own (np.random.default_rng), does not fix them",
                         "make_reproducible_neuron(3), twice",
                         f"weights {_short(first.weights)}, then {_short(second.weights)}")
        outputs = [float(neuron.forward([1, 2])) for neuron in (first, second)]
        if outputs[0] != outputs[1]:
            raise Failed("the same weights and bias must give the same output",
                         "forward([1, 2])", outputs)

    def seed_matters():
        first, second = answer.make_reproducible_neuron(0), answer.make_reproducible_neuron(1)
        if same(first, second):
            raise Failed("use the seed you are given: different seeds give different neurons",
                         "make_reproducible_neuron(0) and make_reproducible_neuron(1)",
                         f"the same weights, {_short(first.weights)}")

    report.check("make_reproducible_neuron(seed) gives the same neuron for the same seed",
                 same_seed_same_neuron)
    report.check("different seeds give different neurons", seed_matters)
    report.read("why the output changed from run to run")


# Exercise 4: derivatives written with the output -------------------------------

Z = np.concatenate([np.linspace(-3, -0.1, 12), np.linspace(0.1, 3, 12)])  # away from the kink


def _derivative_check(function, derivative, name, h=1e-6):
    """``derivative(function(z))`` must equal the central difference of ``function`` at z."""

    def test():
        numerical = (function(Z + h) - function(Z - h)) / (2 * h)
        got = np.asarray(derivative(function(Z)), dtype=float)
        if _close(got, numerical, 1e-6):
            return
        if _close(derivative(Z), numerical, 1e-6):
            hint = (f"{name} gives the right slope when given the input z, but it receives the "
                    "output y = f(z), as sigmoid_derivative does: write it in terms of y")
        else:
            hint = (f"{name}(y) must return f'(z) where y = f(z); the numbers below are f'(z) "
                    "by central differences")
        i = int(np.argmax(np.abs(got - numerical) if got.shape == Z.shape else 0))
        given = f"z = {Z[i]:.4f}, y = f(z) = {float(function(Z[i])):.4f}"
        got_here = got[i] if got.shape == Z.shape else got
        raise Failed(hint, given, f"{float(got_here):.6f}; the slope there is {numerical[i]:.6f}")

    return test


def _exercise_4(answer, report):
    def tanh_network_step():
        np.random.seed(4)
        network = NeuralNetwork([], [Neuron(3, tanh, answer.tanh_derivative)])
        inputs, targets = [0.5, -1.0, 2.0], [0.2]
        exact = numerical_gradient(network, inputs, targets)
        taken = step_taken(network, inputs, targets, learning_rate=0.1)
        if not _close(taken, exact, 1e-6):
            raise Failed("a neuron with tanh and your tanh_derivative must step down the exact "
                         "gradient", f"inputs {inputs}, target {targets}",
                         f"step / learning rate {_short(taken)}, gradient {_short(exact)}")

    report.check("tanh_derivative(tanh(z)) equals the slope of tanh at z",
                 _derivative_check(tanh, answer.tanh_derivative, "tanh_derivative"))
    report.check("relu_derivative(relu(z)) equals the slope of relu at z",
                 _derivative_check(relu, answer.relu_derivative, "relu_derivative"))
    report.check("leaky_relu_derivative(leaky_relu(z)) equals the slope of leaky_relu at z",
                 _derivative_check(leaky_relu, answer.leaky_relu_derivative,
                                   "leaky_relu_derivative"))
    report.check("the same with slope 0.2",
                 _derivative_check(lambda z: leaky_relu(z, 0.2),
                                   lambda y: answer.leaky_relu_derivative(y, 0.2),
                                   "leaky_relu_derivative"))
    report.check("a neuron using tanh_derivative takes an exact gradient step", tanh_network_step)
    report.read("for which activations a derivative can be written with the output")


# Exercise 5: one backward pass through a 1-2-1 network --------------------------

PARAMETERS = ["hidden 1: w", "hidden 1: b", "hidden 2: w", "hidden 2: b",
              "output: w1", "output: w2", "output: b"]  # the order of get_parameters
START = [0.5, 0.0, 0.5, 0.0, 0.5, 0.5, 0.0]


def _starts_as_the_exercise_says(network):
    sizes = [len(layer) for layer in network.hidden_layers] + [len(network.output_layer)]
    if sizes != [2, 1]:
        raise Failed("one hidden layer of 2 neurons, and 1 output neuron",
                     got=f"layers of {sizes} neurons")
    values = get_parameters(network)
    if not _close(values, START):
        raise Failed("every weight 0.5 and every bias 0, set after the neurons are created",
                     got=", ".join(f"{n} = {v:.4f}" for n, v in zip(PARAMETERS, values)))


def _direction(taken, exact):
    ratio = taken / exact
    return "moved the wrong way" if ratio < 0 else "moved too far" if ratio > 1 else (
        "did not move far enough")


def _exercise_5(answer, report):
    def package_network():
        network = answer.build_network("package")
        _starts_as_the_exercise_says(network)
        # The package's classes, or the reader's own of the same names (chapter 2's own code);
        # whether they step as chapter 3d's do is the exact-step check's to say.
        classes = {type(network), *(type(neuron) for neuron in network.output_layer)}
        if ({c.__name__ for c in classes} != {"NeuralNetwork", "Neuron"}
                or classes == {handout.NeuralNetwork, handout.Neuron}):
            raise Failed("the package version uses the NeuralNetwork and Neuron of chapter 3d "
                         "(nn_from_scratch's, or your own), not the handout's",
                         got=", ".join(sorted(c.__module__ + "." + c.__name__ for c in classes)))

    def handout_network():
        network = answer.build_network("handout")
        _starts_as_the_exercise_says(network)
        # The handout's classes, or the reader's typed copy of them: they take the handout's step.
        reference = handout.NeuralNetwork(
            [[handout.Neuron(1, handout.sigmoid, handout.sigmoid_derivative) for _ in range(2)]],
            [handout.Neuron(2, handout.sigmoid, handout.sigmoid_derivative)],
        )
        set_parameters(reference, START)
        inputs, targets = np.array([1.0]), np.array([1.0])
        taken = step_taken(network, inputs, targets, learning_rate=0.8)
        expected = step_taken(reference, inputs, targets, learning_rate=0.8)
        if not _close(taken, expected, tolerance=1e-9):
            raise Failed("the handout version uses the handout's NeuralNetwork and Neuron "
                         "(nn_from_scratch.handout, or your copy of them), whose step differs "
                         "from the package's",
                         "input [1], target 1, learning rate 0.8",
                         f"a step of {_short(taken)}, the handout's is {_short(expected)}")

    def exact_step(target):
        def test():
            network = answer.build_network("package")
            inputs, targets = np.array([1.0]), np.array([target])
            exact = numerical_gradient(copy.deepcopy(network), inputs, targets)
            taken = step_taken(network, inputs, targets, learning_rate=0.8)
            off = [f"{name} {_direction(t, e)}" for name, t, e in zip(PARAMETERS, taken, exact)
                   if not math.isclose(t, e, rel_tol=1e-6, abs_tol=1e-8)]
            if off:
                raise Failed("each parameter must move by -0.8 times the gradient of the loss "
                             "(the central difference of chapter 3d); the ones that do not "
                             "show where your backward pass goes wrong",
                             f"input [1], target {target}, learning rate 0.8", "; ".join(off))
        return test

    report.check('build_network("package"): 1-2-1, weights 0.5, biases 0', package_network)
    report.check('build_network("handout"): the same network from nn_from_scratch.handout',
                 handout_network)
    report.check("one backward pass (target 1) moves every parameter by the exact gradient step",
                 exact_step(1.0))
    report.check("the same with target 0", exact_step(0.0))
    report.read("where the handout's step differs from the package's, and why")


# Exercise 6: AND in one-hot form ------------------------------------------------

AND_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
AND = [0, 0, 0, 1]


def _one_hot_hint(outputs, answers):
    """The likeliest slip behind a network that does not answer AND in one-hot form."""
    if outputs.shape[1] == 4:
        return ("four outputs are one per row of the truth table; AND has two possible "
                "answers, so two output neurons (see the note after the exercise)")
    if outputs.shape[1] != 2:
        return "one output neuron per possible answer of AND, 0 and 1: two output neurons"
    if answers == [1 - a for a in AND]:
        return ("every answer is the other one: the one-hot positions are swapped. The "
                "target for the answer 0 is [1, 0] (position 0), for 1 it is [0, 1]: "
                "np.eye(2)[answer]")
    return ("the network has not learned AND yet: check the targets, then train longer or "
            "with a larger learning rate")


def _exercise_6(answer, report):
    def answers_and():
        network = answer.and_network()
        outputs = np.array([np.ravel(network.forward(np.array(x))) for x in AND_INPUTS])
        answers = [int(np.argmax(row)) for row in outputs]
        if outputs.ndim != 2 or outputs.shape[1] != 2 or answers != AND:
            raise Failed(_one_hot_hint(np.atleast_2d(outputs), answers),
                         f"the inputs {AND_INPUTS}",
                         f"outputs {np.round(outputs, 2).tolist()}, so the answers {answers}")

    report.check("and_network() returns a trained network whose largest of two outputs "
                 "is the AND of its inputs", answers_and)


# Exercise 7: a larger network for house prices ------------------------------------

BASELINE_MAE = 70_000  # dollars: always answering the training average (chapter 4b)
CHAPTER_MAE = 24_200  # dollars: the chapter's 8-8-1 network


def _exercise_7(answer, report):
    found = []

    def test_mae():
        result = answer.network_mae()
        mae = float(result[0] if isinstance(result, (tuple, list)) else result)
        if not math.isfinite(mae) or mae <= 0:
            raise Failed("a mean absolute error is a positive number", got=mae)
        if mae < 100:
            raise Failed("that looks like units of $100,000 (or the scaled targets): turn the "
                         "predictions back into house values and give the error in dollars",
                         got=mae)
        if mae >= BASELINE_MAE:
            raise Failed("no better than always answering the training average "
                         f"(${BASELINE_MAE:,}): did the network train, and are the predictions "
                         "scaled back with the training targets' minimum and maximum?",
                         "the chapter's 50 test districts", f"${mae:,.0f}")
        found.append(mae)

    report.check("network_mae() gives a test MAE in dollars, better than always answering the "
                 f"training average (${BASELINE_MAE:,})", test_mae)
    mae = f"${found[0]:,.0f}" if found else "your test MAE"
    report.read(f"{mae} next to the chapter's 8-8-1 network (${CHAPTER_MAE:,}), and what the "
                "bigger network costs in training time")


# Exercise 8: the examples on a SpeedyNeuralNetwork -----------------------------


def _exercise_8(answer, report):
    def total_error(batch_size):
        result = answer.xor(batch_size=batch_size)
        if np.ndim(result) != 0:
            raise Failed("return the total error after the last epoch: the last value of the "
                         "history that train returns", f"batch_size={batch_size}",
                         f"{type(result).__name__} of {np.size(result)} values")
        return float(result)

    def learns_xor():
        error = total_error(1)
        if not error < 0.05:
            raise Failed("XOR is not learned: build a 2-2-1 network of Layer objects and train "
                         "it as chapter 4a does (10000 epochs, learning rate 0.5)",
                         "batch_size=1", f"total error {error:.4f}")

    def mini_batches():
        error = total_error(2)
        if not math.isfinite(error):
            raise Failed("train with batch_size=... on a SpeedyNeuralNetwork",
                         "batch_size=2", error)

    report.check("xor(batch_size=1) learns XOR: the total error after the last epoch is "
                 "below 0.05", learns_xor)
    report.check("xor(batch_size=2) trains on mini-batches", mini_batches)
    report.read("your timings, and whether each example reaches the same errors")


# Checking an answer ----------------------------------------------------------

EXERCISES = {1: _exercise_1, 2: _exercise_2, 3: _exercise_3, 4: _exercise_4, 5: _exercise_5,
             6: _exercise_6, 7: _exercise_7, 8: _exercise_8}


def check_exercise(number, *answers_or_module):
    """Check an answer to Exercise ``number``; print one line per check; True if all pass.

    ``answers_or_module``: the functions the exercise asks for, or a module, a
    namespace or a dict that holds them.
    """
    if number not in EXERCISES:
        raise ValueError(f"expected an exercise number from 1 to {max(EXERCISES)}, got {number!r}")
    answer = _namespace(answers_or_module)
    report = Report()
    missing = [signature for signature in REQUIRED[number]
               if not callable(getattr(answer, signature.split("(")[0], None))]
    for signature in missing:
        report.fail(f"Exercise {number} defines {signature}",
                    f"define `{signature}` in your answer (or pass it to check_exercise)")
    if not missing:
        state = np.random.get_state()  # the checks seed NumPy; the caller's state stays
        try:
            EXERCISES[number](answer, report)
        finally:
            np.random.set_state(state)
    verdict = "every check passed" if not report.failures else f"{report.failures} check(s) failed"
    print(f"Exercise {number}: {verdict}")
    return not report.failures


def load_answer(path):
    """Import a student's file by its path, as a module named after it."""
    path = Path(path).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"no file {path}")
    sys.path.insert(0, str(path.parent))  # so that the file can import its neighbours
    spec = importlib.util.spec_from_file_location(f"answer_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


USAGE = "usage: python -m nn_from_scratch.checks N FILE   (N: the exercise, 1 to 8; FILE: yours)"


def main(argv=None):
    """``python -m nn_from_scratch.checks N FILE``: check FILE as an answer to Exercise N.

    A relative FILE is found from the current folder.
    """
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or not argv[0].isdigit() or int(argv[0]) not in EXERCISES:
        print(USAGE)
        print(f"got: {' '.join(argv) or 'no arguments'}")
        return 2
    path = Path(argv[1])
    if not path.is_file():
        print(f"no file {argv[1]} (looked for {path.resolve()}); give the path of your answer "
              f"from the folder you are in ({Path.cwd()}), or an absolute one")
        return 2
    import matplotlib

    matplotlib.use("Agg")  # a plot the answer draws is not shown
    return 0 if check_exercise(int(argv[0]), load_answer(path)) else 1


if __name__ == "__main__":
    sys.exit(main())
