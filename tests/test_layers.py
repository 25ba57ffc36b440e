"""The vectorised network is the per-neuron network, only faster: proven on random networks.

Property-based tests (Hypothesis, derandomised so that every run checks the
same cases) next to a few examples:

- with the same weights, a ``NeuralNetwork`` of neurons and a
  ``SpeedyNeuralNetwork`` of layers take identical steps one sample at a time;
- a step on a batch moves every parameter by the mean of the moves its
  samples would make, each from the same weights (not one after the other);
- every step of a network of layers follows the gradient of the batch's mean
  loss, checked against central differences.
"""

import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_from_scratch import (
    Layer,
    NeuralNetwork,
    Neuron,
    SpeedyNeuralNetwork,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
    train,
)
from nn_from_scratch.gradients import get_parameters, numerical_gradient, step_taken


PROPERTIES = settings(
    derandomize=True, deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def architectures(draw):
    """Layer widths, input first: 1-4 inputs, 1-2 hidden layers of 1-5 neurons, 1-3 outputs."""
    hidden = draw(st.lists(st.integers(1, 5), min_size=1, max_size=2))
    return [draw(st.integers(1, 4)), *hidden, draw(st.integers(1, 3))]


def speedy(sizes, seed, activation=(sigmoid, sigmoid_derivative)):
    np.random.seed(seed)
    return SpeedyNeuralNetwork(
        [Layer(n_in, n_out, *activation) for n_in, n_out in zip(sizes, sizes[1:])]
    )


def per_neuron_copy(network):
    """A NeuralNetwork of neurons with a SpeedyNeuralNetwork's weights (column j = neuron j)."""
    layers = []
    for layer in network.layers:
        neurons = []
        for j in range(layer.weights.shape[1]):
            neuron = Neuron(
                layer.weights.shape[0], layer.activation_function, layer.activation_derivative
            )
            neuron.weights, neuron.bias = layer.weights[:, j].copy(), float(layer.biases[0, j])
            neurons.append(neuron)
        layers.append(neurons)
    return NeuralNetwork(layers[:-1], layers[-1])


def data(sizes, samples, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(samples, sizes[0])), rng.uniform(size=(samples, sizes[-1]))


@PROPERTIES
@given(
    sizes=architectures(),
    seed=st.integers(0, 10**6),
    samples=st.integers(1, 6),
    learning_rate=st.floats(0.01, 2.0),
    use_tanh=st.booleans(),
)
def test_same_weights_same_steps_one_sample_at_a_time(
    sizes, seed, samples, learning_rate, use_tanh
):
    activation = (tanh, tanh_derivative) if use_tanh else (sigmoid, sigmoid_derivative)
    layers = speedy(sizes, seed, activation)
    neurons = per_neuron_copy(layers)
    inputs, targets = data(sizes, samples, seed)
    assert np.array_equal(get_parameters(neurons), get_parameters(per_neuron_copy(layers)))
    for x, t in zip(inputs, targets):
        layers.backpropagate(x, t, learning_rate)
        neurons.backpropagate(x, t, learning_rate)
        difference = get_parameters(per_neuron_copy(layers)) - get_parameters(neurons)
        assert np.max(np.abs(difference)) < 1e-12
    for x in inputs:
        assert np.max(np.abs(layers.forward(x) - neurons.forward(x))) < 1e-12


@PROPERTIES
@given(
    sizes=architectures(),
    seed=st.integers(0, 10**6),
    batch_size=st.integers(1, 8),
    learning_rate=st.floats(0.01, 2.0),
)
def test_a_batch_step_is_the_mean_of_the_sample_steps(sizes, seed, batch_size, learning_rate):
    network = speedy(sizes, seed)
    inputs, targets = data(sizes, batch_size, seed)
    before = get_parameters(network)
    sample_moves = []
    for x, t in zip(inputs, targets):
        alone = copy.deepcopy(network)
        alone.backpropagate(x[np.newaxis], t[np.newaxis], learning_rate)
        sample_moves.append(get_parameters(alone) - before)
    network.backpropagate(inputs, targets, learning_rate)
    assert (
        np.max(np.abs((get_parameters(network) - before) - np.mean(sample_moves, axis=0))) < 1e-12
    )


@PROPERTIES
@given(sizes=architectures(), seed=st.integers(0, 10**6), batch_size=st.integers(1, 6))
def test_a_batch_step_follows_the_gradient_of_the_mean_loss(sizes, seed, batch_size):
    network = speedy(sizes, seed)
    inputs, targets = data(sizes, batch_size, seed)
    numerical = numerical_gradient(network, inputs, targets)
    taken = step_taken(network, inputs, targets, learning_rate=0.5)
    assert np.max(np.abs(taken - numerical)) < 1e-7


def test_the_gradient_check_catches_a_summed_gradient():
    """The handout's summed gradients fail the same check on a batch of 4: the check can fail."""
    from nn_from_scratch import handout

    np.random.seed(0)
    network = SpeedyNeuralNetwork(
        [Layer(3, 4, sigmoid, sigmoid_derivative), Layer(4, 2, sigmoid, sigmoid_derivative)]
    )
    theirs = handout.SpeedyNeuralNetwork(
        [
            handout.Layer(3, 4, sigmoid, sigmoid_derivative),
            handout.Layer(4, 2, sigmoid, sigmoid_derivative),
        ]
    )
    for mine, their in zip(network.layers, theirs.layers):
        their.weights, their.biases = mine.weights.copy(), mine.biases.copy()
    inputs, targets = data([3, 4, 2], 4, 0)
    numerical = numerical_gradient(network, inputs, targets)
    before = get_parameters(network)
    theirs.backpropagate(inputs, targets, 0.5)
    their_step = (before - get_parameters(theirs)) / 0.5
    assert np.max(np.abs(their_step - numerical)) > 1e-3
    assert np.max(np.abs(their_step - 4 * numerical)) < 1e-7  # the sum is batch_size times the mean


def test_train_prints_the_same_for_both_networks(capsys):
    np.random.seed(5)
    layers = speedy([2, 3, 1], 5)
    neurons = per_neuron_copy(layers)
    inputs, targets = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [1]]
    history_neurons = train(neurons, inputs, targets, epochs=50, learning_rate=0.5, print_every=10)
    printed_neurons = capsys.readouterr().out
    history_layers = train(
        layers, inputs, targets, epochs=50, learning_rate=0.5, print_every=10, batch_size=1
    )
    assert capsys.readouterr().out == printed_neurons
    assert np.allclose(history_layers, history_neurons, rtol=0, atol=1e-12)


def test_one_sample_in_one_sample_out():
    network = speedy([4, 3, 2], 0)
    assert network.forward(np.zeros(4)).shape == (2,)
    assert network.forward(np.zeros((5, 4))).shape == (5, 2)


def test_uniform_makes_part_one_draws():
    np.random.seed(11)
    neuron = Neuron(5, sigmoid)
    np.random.seed(11)
    weights, bias = np.random.uniform(-1, 1, 5), np.random.uniform(-1, 1)
    assert np.array_equal(neuron.weights, weights) and neuron.bias == bias


@pytest.mark.parametrize(
    "method, variance",
    [
        ("lecun_normal", 1 / 50),
        ("he_normal", 2 / 50),
        ("he_uniform", 2 / 50),
        ("glorot_uniform", 2 / (50 + 70)),
    ],
)
def test_initial_weights_have_the_rule_s_variance(method, variance):
    np.random.seed(0)
    layer = Layer(50, 70, sigmoid, sigmoid_derivative, init_method=method)
    assert abs(np.var(layer.weights) / variance - 1) < 0.05
    assert not layer.biases.any()


def test_momentum_and_clipping_in_a_layer_match_the_neuron():
    np.random.seed(2)
    layer = Layer(3, 1, sigmoid, sigmoid_derivative, momentum=0.7, clip_value=0.05)
    neuron = Neuron(3, sigmoid, sigmoid_derivative, momentum=0.7, clip_value=0.05)
    neuron.weights, neuron.bias = layer.weights[:, 0].copy(), float(layer.biases[0, 0])
    for x in np.random.normal(size=(5, 3)) * 5:
        layer.forward(x[np.newaxis])
        layer.backpropagate(np.array([[1.0]]), learning_rate=0.3)
        neuron.forward(x)
        neuron.backpropagate(1.0, learning_rate=0.3)
        assert np.allclose(layer.weights[:, 0], neuron.weights, rtol=0, atol=1e-12)
        assert abs(layer.biases[0, 0] - neuron.bias) < 1e-12
