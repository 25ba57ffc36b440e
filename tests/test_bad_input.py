"""Bad input is refused with a message that says what was expected and what came."""

import re

import numpy as np
import pytest

from nn_from_scratch import NeuralNetwork, Neuron, sigmoid, sigmoid_derivative, train


@pytest.fixture
def network():
    np.random.seed(0)
    hidden = [[Neuron(2, sigmoid, sigmoid_derivative) for _ in range(3)]]
    return NeuralNetwork(hidden, [Neuron(3, sigmoid, sigmoid_derivative)])


@pytest.mark.parametrize("num_inputs", [0, -1, 2.5, "2", None])
def test_a_neuron_needs_at_least_one_input(num_inputs):
    with pytest.raises(ValueError, match=rf"at least 1; got {re.escape(repr(num_inputs))}"):
        Neuron(num_inputs, sigmoid)


@pytest.mark.parametrize("inputs, shape", [([1.0], "(1,)"), ([1.0, 2.0, 3.0], "(3,)"), ([[1.0, 2.0]], "(1, 2)")])
def test_the_wrong_number_of_inputs(inputs, shape):
    neuron = Neuron(2, sigmoid)
    with pytest.raises(ValueError, match=re.escape(f"expected 2 inputs in a flat sequence, got shape {shape}")):
        neuron.forward(inputs)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs(bad):
    neuron = Neuron(2, sigmoid)
    with pytest.raises(ValueError, match="expected finite inputs"):
        neuron.forward([1.0, bad])


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # NumPy warns too: inf * 0
def test_weights_that_blew_up_are_reported_not_propagated():
    neuron = Neuron(2, sigmoid)
    neuron.weights[0] = np.inf
    with pytest.raises(ValueError, match="expected finite inputs, weights and bias"):
        neuron.forward([0.0, 1.0])


def test_learning_needs_the_derivative():
    neuron = Neuron(2, sigmoid)
    neuron.forward([1.0, 2.0])
    with pytest.raises(ValueError, match="activation_derivative"):
        neuron.backpropagate(0.1, 0.5)


def test_learning_needs_a_forward_pass_first():
    neuron = Neuron(2, sigmoid, sigmoid_derivative)
    with pytest.raises(ValueError, match="forward pass first"):
        neuron.backpropagate(0.1, 0.5)


@pytest.mark.parametrize("targets", [[1.0, 0.0], [], [np.nan]])
def test_targets_must_match_the_outputs(network, targets):
    with pytest.raises(ValueError, match="expected 1 finite target value"):
        network.backpropagate([1.0, 2.0], targets, 0.5)


def test_a_single_target_may_be_a_number_or_a_list(network):
    twin = NeuralNetwork(*__import__("copy").deepcopy((network.hidden_layers, network.output_layer)))
    network.backpropagate([1.0, 2.0], 1.0, 0.5)
    twin.backpropagate([1.0, 2.0], [1.0], 0.5)
    assert np.array_equal(network.forward([1.0, 2.0]), twin.forward([1.0, 2.0]))


def test_train_needs_one_target_per_sample(network):
    with pytest.raises(ValueError, match="got 3 inputs and 2 targets"):
        train(network, [[0, 0], [0, 1], [1, 0]], [[0], [1]], epochs=1)


@pytest.mark.parametrize("epochs, print_every", [(0, 1), (10, 0)])
def test_train_needs_positive_counts(network, epochs, print_every):
    with pytest.raises(ValueError, match="expected epochs >= 1 and print_every >= 1"):
        train(network, [[0, 0]], [[0]], epochs=epochs, print_every=print_every)


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_a_diverging_run_stops_instead_of_producing_nan(network, capsys):
    with pytest.raises(ValueError, match="expected finite"):
        train(network, [[0, 1], [1, 0]], [[1e300], [-1e300]], epochs=50, learning_rate=1e300, print_every=100)
