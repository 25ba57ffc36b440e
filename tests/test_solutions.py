"""Tests of the worked solutions in nn_from_scratch/solutions (Exercises 1 to 5)."""

import math

import matplotlib


matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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
def test_exercise_1_matches_neuron_forward(seed):
    rng = np.random.default_rng(seed)
    num_inputs = int(rng.integers(1, 7))
    np.random.seed(seed)
    plain = exercise_1.NeuronWithoutNumPy(num_inputs, sigmoid)
    np.random.seed(seed)
    reference = Neuron(num_inputs, sigmoid)
    assert plain.weights.tolist() == reference.weights.tolist()
    for _ in range(5):
        inputs = rng.normal(0, 3, num_inputs)
        z = exercise_1.weighted_sum(reference.weights, inputs, reference.bias)
        assert abs(z - (np.dot(reference.weights, inputs) + reference.bias)) <= 1e-12
        assert abs(plain.forward(inputs) - reference.forward(inputs)) <= 1e-12
        assert abs(plain.forward(list(inputs)) - reference.forward(inputs)) <= 1e-12


def test_exercise_1_weighted_sum_is_plain_python():
    assert exercise_1.weighted_sum([1, 2, 3], [4, 5, 6], 0.5) == 32.5
    assert type(exercise_1.weighted_sum(np.array([1.0]), np.array([2.0]), np.float64(0.0))) is float


def test_exercise_1_learns_like_the_package_neuron():
    np.random.seed(5)
    plain = exercise_1.NeuronWithoutNumPy(3, sigmoid, sigmoid_derivative)
    np.random.seed(5)
    reference = Neuron(3, sigmoid, sigmoid_derivative)
    inputs = [0.5, -1.0, 2.0]
    for neuron in (plain, reference):
        output = neuron.forward(inputs)
        neuron.backpropagate(output - 1.0, learning_rate=0.5)
    assert np.allclose(plain.weights, reference.weights, rtol=0, atol=1e-12)
    assert math.isclose(plain.bias, reference.bias, rel_tol=0, abs_tol=1e-12)


def test_exercise_1_rejects_bad_input():
    np.random.seed(0)
    neuron = exercise_1.NeuronWithoutNumPy(2, sigmoid)
    with pytest.raises(ValueError, match="expected 2 inputs, one per weight, got 3"):
        neuron.forward([1, 2, 3])
    with pytest.raises(ValueError, match="expected finite inputs"):
        neuron.forward([1, float("nan")])
    with pytest.raises(TypeError, match="flat sequence of numbers"):
        neuron.forward(3.0)
    with pytest.raises(TypeError, match="flat sequence of numbers"):
        neuron.forward([[1, 2]])


# Exercise 2 ------------------------------------------------------------------


def test_exercise_2_known_values():
    x = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    assert np.allclose(exercise_2.tanh(x), [math.tanh(v) for v in x], rtol=0, atol=1e-15)
    assert np.allclose(exercise_2.tanh(x), 2 * sigmoid(2 * x) - 1, rtol=0, atol=1e-15)
    assert exercise_2.relu(x).tolist() == [0.0, 0.0, 0.0, 0.5, 2.0]
    assert exercise_2.leaky_relu(x).tolist() == [-0.03, -0.01, 0.0, 0.5, 2.0]
    assert exercise_2.leaky_relu(x, slope=0.2).tolist() == pytest.approx(
        [-0.6, -0.2, 0.0, 0.5, 2.0]
    )
    assert float(exercise_2.relu(-4.0)) == 0.0 and float(exercise_2.leaky_relu(4.0)) == 4.0


def test_exercise_2_does_not_overflow():
    huge = np.array([-1e308, -1000.0, 1000.0, 1e308])  # RuntimeWarnings are errors in the tests
    assert exercise_2.tanh(huge).tolist() == [-1.0, -1.0, 1.0, 1.0]
    assert exercise_2.relu(huge).tolist() == [0.0, 0.0, 1000.0, 1e308]
    assert np.isfinite(exercise_2.leaky_relu(huge)).all()


@pytest.mark.parametrize("slope", [0, -0.1, 1, 2.5, float("nan")])
def test_exercise_2_leaky_relu_rejects_bad_slopes(slope):
    with pytest.raises(ValueError, match="slope between 0 and 1"):
        exercise_2.leaky_relu(1.0, slope)


def test_exercise_2_plot_has_four_curves():
    figure = exercise_2.plot_activations()
    try:
        assert isinstance(figure, Figure)
        lines = figure.axes[0].lines
        assert len(lines) == 4
        assert [line.get_label() for line in lines] == [
            "sigmoid",
            "tanh",
            "ReLU",
            "leaky ReLU (slope 0.1)",
        ]
        x, y = lines[2].get_data()
        assert np.array_equal(y, np.maximum(x, 0))
    finally:
        plt.close(figure)


def test_exercise_2_plot_draws_on_given_axes():
    figure, ax = plt.subplots()
    try:
        assert exercise_2.plot_activations(ax=ax) is figure
        assert len(ax.lines) == 4
    finally:
        plt.close(figure)
    with pytest.raises(ValueError, match="low < high"):
        exercise_2.plot_activations(x_range=(1, -1))


# Exercise 3 ------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 42, 2**32 - 1])
def test_exercise_3_same_seed_same_output(seed):
    first = exercise_3.run_example(seed)
    np.random.uniform(size=10)  # whatever ran in between does not matter
    assert exercise_3.run_example(seed) == first


def test_exercise_3_reproduces_the_chapter_and_differs_between_seeds():
    assert [round(output, 6) for output in exercise_3.run_example(0)] == [0.762043, 0.364102]
    assert exercise_3.run_example(0) != exercise_3.run_example(1)


def test_exercise_3_fixed_weights_do_not_depend_on_the_generator():
    outputs = []
    for seed in (0, 1):
        np.random.seed(seed)
        outputs.append(float(exercise_3.neuron_with_weights([0.3, -0.2], 0.1).forward([1, 2])))
    assert outputs[0] == outputs[1] == pytest.approx(sigmoid(0.3 - 0.4 + 0.1))


def test_exercise_3_rejects_bad_input():
    with pytest.raises(TypeError, match="whole number as the seed"):
        exercise_3.make_reproducible_neuron(1.5)
    with pytest.raises(ValueError, match="flat, non-empty sequence of weights"):
        exercise_3.neuron_with_weights([[0.1, 0.2]], 0.0)


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
    h = 1e-6
    numerical = (function(AWAY_FROM_ZERO + h) - function(AWAY_FROM_ZERO - h)) / (2 * h)
    assert np.allclose(derivative(function(AWAY_FROM_ZERO)), numerical, rtol=0, atol=1e-8)
    assert exercise_4.largest_derivative_error(function, derivative, AWAY_FROM_ZERO) < 1e-8


def test_exercise_4_known_values_and_kinks():
    assert exercise_4.tanh_derivative(np.tanh(np.array([0.0, 1.0]))).tolist() == pytest.approx(
        [1.0, 1 / math.cosh(1.0) ** 2]
    )
    assert float(exercise_4.relu_derivative(0.0)) == 0.0
    assert float(exercise_4.leaky_relu_derivative(0.0, 0.2)) == 0.2
    assert exercise_4.relu_derivative(np.array([0.0, 1e-300, 5.0])).tolist() == [0.0, 1.0, 1.0]


def test_exercise_4_rejects_what_cannot_be_an_output():
    with pytest.raises(ValueError, match="outputs of tanh"):
        exercise_4.tanh_derivative(np.array([0.5, 1.5]))
    with pytest.raises(ValueError, match="outputs of tanh"):
        exercise_4.tanh_derivative(float("nan"))
    with pytest.raises(ValueError, match="outputs of ReLU"):
        exercise_4.relu_derivative(-0.5)
    with pytest.raises(ValueError, match="slope between 0 and 1"):
        exercise_4.leaky_relu_derivative(1.0, slope=0)
    with pytest.raises(ValueError, match="finite outputs"):
        exercise_4.leaky_relu_derivative(float("inf"))


@pytest.mark.parametrize(
    "function, derivative",
    [
        (exercise_2.tanh, exercise_4.tanh_derivative),
        (exercise_2.leaky_relu, exercise_4.leaky_relu_derivative),
    ],
)
def test_exercise_4_derivatives_work_in_a_neuron(function, derivative):
    """A neuron with the new activation takes an exact gradient step."""
    np.random.seed(11)
    neuron = Neuron(3, function, derivative)
    neuron.weights = np.array([0.4, -0.3, 0.8])
    neuron.bias = 0.1
    inputs, target, learning_rate, h = np.array([0.5, -1.0, 2.0]), 0.2, 0.1, 1e-6

    def loss(weights, bias):
        return 0.5 * (target - function(np.dot(weights, inputs) + bias)) ** 2

    numerical = [
        (loss(neuron.weights + h * e, neuron.bias) - loss(neuron.weights - h * e, neuron.bias))
        / (2 * h)
        for e in np.eye(3)
    ]
    numerical_bias = (
        loss(neuron.weights, neuron.bias + h) - loss(neuron.weights, neuron.bias - h)
    ) / (2 * h)
    before, bias_before = neuron.weights.copy(), neuron.bias
    output = neuron.forward(inputs)
    neuron.backpropagate(output - target, learning_rate)
    assert np.allclose((before - neuron.weights) / learning_rate, numerical, rtol=0, atol=1e-8)
    assert math.isclose((bias_before - neuron.bias) / learning_rate, numerical_bias, abs_tol=1e-8)


# Exercise 5 ------------------------------------------------------------------

NAMES = [
    "hidden 1: w",
    "hidden 1: b",
    "hidden 2: w",
    "hidden 2: b",
    "output: w1",
    "output: w2",
    "output: b",
]


@pytest.mark.parametrize("version", exercise_5.VERSIONS)
def test_exercise_5_builds_the_fixed_network(version):
    network = exercise_5.build_network(version)
    assert exercise_5.parameters(network) == dict.fromkeys(NAMES, 0.0) | {
        "hidden 1: w": 0.5,
        "hidden 2: w": 0.5,
        "output: w1": 0.5,
        "output: w2": 0.5,
    }
    h = sigmoid(0.5)
    assert float(network.forward(exercise_5.INPUTS)[0]) == pytest.approx(sigmoid(h), abs=1e-15)


@pytest.mark.parametrize("target", [1.0, 0.0, 0.3])
def test_exercise_5_package_step_is_exact_and_handout_is_not_in_the_hidden_layer(target):
    learning_rate = exercise_5.LEARNING_RATE
    gradient = exercise_5.numerical_gradient(exercise_5.build_network(), target)
    before, package = exercise_5.one_step("package", target)
    _, handout = exercise_5.one_step("handout", target)
    assert list(package) == NAMES
    for name in NAMES:
        assert package[name] - before[name] == pytest.approx(
            -learning_rate * gradient[name], abs=1e-8
        )
        assert abs(gradient[name]) > 1e-3  # every parameter really moves
    for name in NAMES[4:]:  # the output neuron gets its gradient from the loss: no slip
        assert handout[name] == pytest.approx(package[name], abs=1e-12)
    for name in NAMES[:4]:  # the hidden layer learns from the already-updated output weights
        assert abs(handout[name] - package[name]) > 1e-4
        # ... so its step is the exact one scaled by (new output weight) / (old output weight).
        ratio = (handout[name] - before[name]) / (package[name] - before[name])
        assert ratio == pytest.approx(package["output: w1"] / 0.5, rel=1e-9)


def test_exercise_5_numbers_for_target_1():
    rows = {row["name"]: row for row in exercise_5.compare()}
    assert round(rows["output: w1"]["package"], 6) == 0.539522
    assert round(rows["output: b"]["package"], 6) == 0.063493
    assert round(rows["hidden 1: w"]["package"], 6) == 0.507461
    assert round(rows["hidden 1: w"]["handout"], 6) == 0.508050
    difference = rows["hidden 1: b"]["handout"] - rows["hidden 1: b"]["exact"]
    assert difference == pytest.approx(5.897e-4, abs=1e-6)
    # Symmetry: the two hidden neurons start equal and stay equal.
    assert rows["hidden 1: w"]["package"] == rows["hidden 2: w"]["package"]
    assert rows["hidden 1: b"]["handout"] == rows["hidden 2: b"]["handout"]


def test_exercise_5_numerical_gradient_leaves_the_network_unchanged():
    network = exercise_5.build_network("package")
    before = exercise_5.parameters(network)
    exercise_5.numerical_gradient(network)
    assert exercise_5.parameters(network) == before


def test_exercise_5_table_and_bad_input():
    table = exercise_5.format_table(exercise_5.compare()).splitlines()
    assert len(table) == 8 and table[0].startswith("parameter")
    assert "-0.000000" not in "\n".join(table)
    with pytest.raises(ValueError, match="'package' or 'handout'"):
        exercise_5.build_network("textbook")
    with pytest.raises(ValueError, match="positive learning rate"):
        exercise_5.one_step("package", learning_rate=0)
    with pytest.raises(ValueError, match="finite target"):
        exercise_5.one_step("package", target=float("nan"))
