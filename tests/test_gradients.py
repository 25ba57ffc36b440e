"""One backpropagation step is exactly one gradient-descent step, checked numerically.

The loss is L = 1/2 * sum((t - y)**2). For every weight and bias w, one call of
``NeuralNetwork.backpropagate`` must change w by -learning_rate * dL/dw, the
derivative taken at the weights *before* the step; dL/dw is measured here by
central differences, with no calculus. The handout's code (erratum 2) fails
this for every hidden parameter.
"""

import numpy as np
import pytest

import nn_from_scratch.handout as handout
from nn_from_scratch import NeuralNetwork, Neuron, sigmoid, sigmoid_derivative
from nn_from_scratch.gradients import numerical_gradient, step_taken


LEARNING_RATE = 0.5


def build(neuron_class, activation, network_class=NeuralNetwork, sizes=(3, 4, 3, 2), seed=7):
    """A network with two hidden layers: 3 inputs -> 4 -> 3 -> 2 outputs."""
    np.random.seed(seed)
    layers = [
        [neuron_class(n_in, activation, sigmoid_derivative) for _ in range(n_out)]
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]
    return network_class(layers[:-1], layers[-1])


def gradient_of_one_step(network, inputs, targets):
    """-(parameters after one backpropagate step - before) / learning_rate, on a copy."""
    return step_taken(network, inputs, targets, LEARNING_RATE)


SAMPLES = [
    (np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0])),
    (np.array([-2.0, 0.3, 0.7]), np.array([0.2, 0.9])),
    (np.array([1.5, 1.5, -0.5]), np.array([0.0, 0.0])),
]


@pytest.mark.parametrize("inputs, targets", SAMPLES)
@pytest.mark.parametrize("seed", [7, 11])
def test_one_step_is_exactly_one_gradient_descent_step(inputs, targets, seed):
    network = build(Neuron, sigmoid, seed=seed)
    numerical = numerical_gradient(network, inputs, targets)
    taken = gradient_of_one_step(network, inputs, targets)
    assert numerical.size == 4 * 4 + 3 * 5 + 2 * 4 == taken.size
    assert np.abs(numerical).max() > 1e-3  # the check would be empty on a flat loss
    np.testing.assert_allclose(taken, numerical, rtol=0, atol=1e-8)


@pytest.mark.parametrize("inputs, targets", SAMPLES)
def test_the_handout_step_is_not(inputs, targets):
    network = build(handout.Neuron, handout.sigmoid, network_class=handout.NeuralNetwork)
    numerical = numerical_gradient(network, inputs, targets)
    taken = gradient_of_one_step(network, inputs, targets)
    error = np.abs(taken - numerical)
    output_layer = slice(-2 * 4, None)
    # The output neurons get dL/dy straight from the loss: right.
    assert error[output_layer].max() < 1e-8
    # Every hidden layer learned from gradients computed with already-updated weights.
    assert error[: -2 * 4].max() > 1e-4


def test_the_slip_scales_with_the_learning_rate():
    """The handout's input gradient is off by -learning_rate * (dL/dz)**2 * x, exactly."""
    exact = Neuron(2, sigmoid, sigmoid_derivative)
    slipped = handout.Neuron(2, handout.sigmoid, sigmoid_derivative)
    inputs = np.array([1.0, 2.0])
    for learning_rate in (0.1, 0.5, 1.0):
        for neuron in (exact, slipped):
            neuron.weights, neuron.bias = np.array([0.5, -0.5]), 0.0
            neuron.forward(inputs)
        d_z = 1.0 * sigmoid_derivative(exact.output)
        difference = slipped.backpropagate(1.0, learning_rate) - exact.backpropagate(
            1.0, learning_rate
        )
        np.testing.assert_allclose(difference, -learning_rate * d_z**2 * inputs, rtol=1e-12)
