"""Tests of the worked solutions in nn_from_scratch/solutions."""

import math

import matplotlib


matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nn_from_scratch import Neuron, sigmoid, sigmoid_derivative  # noqa: E402
from nn_from_scratch.solutions import exercise_1, exercise_2, exercise_3, exercise_4, exercise_5  # noqa: E402


@pytest.fixture(autouse=True)
def keep_global_random_state():
    """The solutions seed NumPy's global generator; other tests must not notice."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


# Exercise 1 ------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_exercise_1_agrees_with_np_dot_and_neuron_forward(seed):
    rng = np.random.default_rng(seed)
    num_inputs = int(rng.integers(1, 7))
    np.random.seed(seed)
    plain = exercise_1.NeuronWithoutNumPy(num_inputs, sigmoid)
    np.random.seed(seed)
    reference = Neuron(num_inputs, sigmoid)
    for _ in range(5):
        inputs = rng.normal(0, 3, num_inputs)
        z = exercise_1.weighted_sum(reference.weights, inputs, reference.bias)
        assert abs(z - (np.dot(reference.weights, inputs) + reference.bias)) <= 1e-12
        assert abs(plain.forward(list(inputs)) - reference.forward(inputs)) <= 1e-12


def test_exercise_1_learns_like_the_package_neuron():
    np.random.seed(5)
    plain = exercise_1.NeuronWithoutNumPy(3, sigmoid, sigmoid_derivative)
    np.random.seed(5)
    reference = Neuron(3, sigmoid, sigmoid_derivative)
    for neuron in (plain, reference):
        output = neuron.forward([0.5, -1.0, 2.0])
        neuron.backpropagate(output - 1.0, learning_rate=0.5)
    assert np.allclose(plain.weights, reference.weights, rtol=0, atol=1e-12)
    assert math.isclose(plain.bias, reference.bias, rel_tol=0, abs_tol=1e-12)


# Exercise 2 ------------------------------------------------------------------


def test_exercise_2_plots_the_four_activations():
    figure = exercise_2.plot_activations()
    try:
        lines = figure.axes[0].lines
        labels = [line.get_label() for line in lines]
        assert labels == ["sigmoid", "tanh", "ReLU", "leaky ReLU (slope 0.1)"]
        x, y = lines[2].get_data()
        assert np.array_equal(y, np.maximum(x, 0))
    finally:
        plt.close(figure)


# Exercise 3 ------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 42, 2**32 - 1])
def test_exercise_3_same_seed_same_output(seed):
    first = exercise_3.run_example(seed)
    np.random.uniform(size=10)  # whatever ran in between does not matter
    assert exercise_3.run_example(seed) == first
    assert exercise_3.run_example(seed + 1 if seed < 2**32 - 1 else 0) != first


def test_exercise_3_fixed_weights_do_not_depend_on_the_generator():
    outputs = []
    for seed in (0, 1):
        np.random.seed(seed)
        outputs.append(float(exercise_3.neuron_with_weights([0.3, -0.2], 0.1).forward([1, 2])))
    assert outputs[0] == outputs[1] == pytest.approx(sigmoid(0.3 - 0.4 + 0.1))


# Exercise 4 ------------------------------------------------------------------

AWAY_FROM_ZERO = np.concatenate([np.linspace(-4, -0.05, 40), np.linspace(0.05, 4, 40)])


@pytest.mark.parametrize(
    "function, derivative",
    [
        (exercise_2.tanh, exercise_4.tanh_derivative),
        (exercise_2.relu, exercise_4.relu_derivative),
        (exercise_2.leaky_relu, exercise_4.leaky_relu_derivative),
        (
            lambda z: exercise_2.leaky_relu(z, 0.3),
            lambda y: exercise_4.leaky_relu_derivative(y, 0.3),
        ),
    ],
)
def test_exercise_4_derivatives_match_central_differences(function, derivative):
    assert exercise_4.largest_derivative_error(function, derivative, AWAY_FROM_ZERO) < 1e-8


# Exercise 5 ------------------------------------------------------------------


@pytest.mark.parametrize("target", [1.0, 0.0, 0.3])
def test_exercise_5_package_step_is_exact_and_handout_is_not_in_the_hidden_layer(target):
    """The table in the chapter's fold is checked by the chapter's run (target 1)."""
    learning_rate = exercise_5.LEARNING_RATE
    gradient = exercise_5.numerical_gradient(exercise_5.build_network(), target)
    before, package = exercise_5.one_step("package", target)
    _, handout = exercise_5.one_step("handout", target)
    assert before == dict(zip(exercise_5.NAMES, [0.5, 0, 0.5, 0, 0.5, 0.5, 0]))
    for name in exercise_5.NAMES:
        assert package[name] - before[name] == pytest.approx(
            -learning_rate * gradient[name], abs=1e-8
        )
        assert abs(gradient[name]) > 1e-3  # every parameter really moves
    for name in exercise_5.NAMES[4:]:  # the output neuron's gradient comes from the loss
        assert handout[name] == pytest.approx(package[name], abs=1e-12)
    for name in exercise_5.NAMES[:4]:  # the hidden layer learns from updated output weights
        ratio = (handout[name] - before[name]) / (package[name] - before[name])
        assert ratio == pytest.approx(package["output: w1"] / 0.5, rel=1e-9)
    # The two hidden neurons start equal and stay equal, in both versions.
    for after in (package, handout):
        assert after["hidden 1: w"] == after["hidden 2: w"]


# Exercise 6 ------------------------------------------------------------------

from nn_from_scratch.solutions import exercise_6  # noqa: E402


def test_exercise_6_targets_are_and_in_one_hot_form():
    assert exercise_6.AND.tolist() == [0, 0, 0, 1]
    assert exercise_6.TARGETS.tolist() == [[1, 0], [1, 0], [1, 0], [0, 1]]


@pytest.mark.parametrize("seed", [0, 1, 42])
def test_exercise_6_network_learns_and(seed):
    network = exercise_6.and_network(epochs=300, seed=seed)
    assert exercise_6.answers(network) == [0, 0, 0, 1]
    outputs = np.array([network.forward(x) for x in exercise_6.INPUTS])
    assert outputs.shape == (4, 2)
    assert np.abs(outputs - exercise_6.TARGETS).max() < 0.25


# Exercise 7 ------------------------------------------------------------------

from sklearn.ensemble import GradientBoostingRegressor  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402

from nn_from_scratch.solutions import exercise_7  # noqa: E402


def baseline_mae():
    """The chapter's yardstick: always answer the training districts' mean value, in dollars."""
    _, _, y_train, y_test = exercise_7.chapter_data()
    return float(np.mean(np.abs(y_train.mean() - y_test))) * 100_000


def test_exercise_7_uses_the_chapters_data_and_network():
    X_train, X_test, y_train, y_test = exercise_7.chapter_data()
    assert X_train.shape == (200, 8) and X_test.shape == (50, 8) and len(y_test) == 50
    assert np.allclose(X_train.mean(axis=0), 0) and np.allclose(X_train.std(axis=0), 1)
    assert round(baseline_mae(), -2) == 70_000  # the chapter's yardstick
    _, history = exercise_7.network_mae(hidden=(8,), epochs=1)
    assert round(history[0], 4) == 13.4570  # the chapter's first epoch, "Epoch 0"


def test_exercise_7_larger_network_beats_the_training_average():
    mae, history = exercise_7.network_mae(epochs=40)
    assert len(history) == 40 and history[-1] < history[0]
    assert math.isfinite(mae) and mae < baseline_mae()


@pytest.mark.parametrize("model", [LinearRegression(), GradientBoostingRegressor(random_state=0)])
def test_exercise_7_other_regressions_beat_the_training_average(model):
    mae = exercise_7.sklearn_mae(model)
    assert math.isfinite(mae) and mae < baseline_mae()


# Exercise 8 ------------------------------------------------------------------

from nn_from_scratch import NeuralNetwork, train  # noqa: E402
from nn_from_scratch.solutions import exercise_8  # noqa: E402


XOR_INPUTS, XOR_TARGETS = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]


def test_exercise_8_layers_take_the_steps_of_the_chapters_neurons():
    np.random.seed(42)  # chapter 4a's XOR network, neuron by neuron
    neurons = NeuralNetwork([[Neuron(2, sigmoid, sigmoid_derivative) for _ in range(2)]],
                            [Neuron(2, sigmoid, sigmoid_derivative)])
    np.random.seed(42)
    layers = exercise_8.sigmoid_layers([2, 2, 1])
    expected = train(neurons, XOR_INPUTS, XOR_TARGETS, epochs=50, learning_rate=0.5,
                     print_every=None)
    history = train(layers, XOR_INPUTS, XOR_TARGETS, epochs=50, learning_rate=0.5,
                    print_every=None, batch_size=1)
    assert np.allclose(history, expected, rtol=0, atol=1e-9)
    assert exercise_8.xor(epochs=50) == pytest.approx(expected[-1], rel=0, abs=1e-9)


def test_exercise_8_own_draws_start_elsewhere():
    np.random.seed(42)
    copied = exercise_8.sigmoid_layers([4, 4, 3])
    np.random.seed(42)
    own = exercise_8.sigmoid_layers([4, 4, 3], same_start=False)
    for a, b in zip(copied.layers, own.layers):
        assert a.weights.shape == b.weights.shape and a.biases.shape == b.biases.shape
    assert not np.allclose(copied.layers[0].weights, own.layers[0].weights)


@pytest.mark.parametrize("example", ["xor", "quadratic", "california", "iris"])
def test_exercise_8_examples_train(example):
    run = getattr(exercise_8, example)
    one_by_one, batched = run(epochs=3), run(batch_size=16, epochs=3)
    assert math.isfinite(one_by_one) and math.isfinite(batched) and one_by_one > 0
    assert run(batch_size=None, epochs=3) == pytest.approx(one_by_one, rel=0, abs=1e-9)
