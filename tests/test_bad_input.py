"""Bad input is refused with a message that says what was expected and what came."""

import re

import numpy as np
import pytest

from nn_from_scratch import (
    Layer,
    NeuralNetwork,
    Neuron,
    SpeedyNeuralNetwork,
    sigmoid,
    sigmoid_derivative,
    train,
)


@pytest.fixture
def network():
    np.random.seed(0)
    hidden = [[Neuron(2, sigmoid, sigmoid_derivative) for _ in range(3)]]
    return NeuralNetwork(hidden, [Neuron(3, sigmoid, sigmoid_derivative)])


@pytest.mark.parametrize("num_inputs", [0, -1, 2.5, "2", None])
def test_a_neuron_needs_at_least_one_input(num_inputs):
    with pytest.raises(ValueError, match=rf"at least 1; got {re.escape(repr(num_inputs))}"):
        Neuron(num_inputs, sigmoid)


@pytest.mark.parametrize(
    "inputs, shape", [([1.0], "(1,)"), ([1.0, 2.0, 3.0], "(3,)"), ([[1.0, 2.0]], "(1, 2)")]
)
def test_the_wrong_number_of_inputs(inputs, shape):
    neuron = Neuron(2, sigmoid)
    with pytest.raises(
        ValueError, match=re.escape(f"expected 2 inputs in a flat sequence, got shape {shape}")
    ):
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
    twin = NeuralNetwork(
        *__import__("copy").deepcopy((network.hidden_layers, network.output_layer))
    )
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
        train(
            network,
            [[0, 1], [1, 0]],
            [[1e300], [-1e300]],
            epochs=50,
            learning_rate=1e300,
            print_every=100,
        )


# Part III: initialisation, momentum, clipping, layers, mini-batches.


@pytest.fixture
def speedy():
    np.random.seed(0)
    return SpeedyNeuralNetwork(
        [Layer(2, 3, sigmoid, sigmoid_derivative), Layer(3, 1, sigmoid, sigmoid_derivative)]
    )


@pytest.mark.parametrize(
    "make",
    [lambda m: Neuron(2, sigmoid, init_method=m), lambda m: Layer(2, 3, sigmoid, init_method=m)],
)
def test_an_unknown_init_method_names_the_valid_ones(make):
    with pytest.raises(
        ValueError,
        match=r"unknown init_method 'glorot'; expected one of 'uniform', .*'glorot_uniform'",
    ):
        make("glorot")
    with pytest.raises(ValueError, match=r"'xavier' is ambiguous"):
        make("xavier")


def test_a_neuron_cannot_use_glorot_but_a_layer_can():
    with pytest.raises(ValueError, match="needs the fan-out.*lone Neuron"):
        Neuron(3, sigmoid, init_method="glorot_uniform")
    assert Layer(3, 4, sigmoid, init_method="glorot_uniform").weights.shape == (3, 4)


@pytest.mark.parametrize(
    "momentum, clip_value, message",
    [
        (1.0, None, "momentum in \\[0, 1\\), got 1.0"),
        (-0.1, None, "momentum in \\[0, 1\\), got -0.1"),
        (0.5, 0.0, "positive clip_value or None, got 0.0"),
    ],
)
def test_momentum_and_clip_value_out_of_range(momentum, clip_value, message):
    for make in (Neuron, lambda *args, **kw: Layer(2, *args, **kw)):
        with pytest.raises(ValueError, match=message):
            make(2, sigmoid, momentum=momentum, clip_value=clip_value)


@pytest.mark.parametrize(
    "inputs, shape",
    [(np.zeros((4, 3)), "(4, 3)"), (np.zeros((2, 2, 2)), "(2, 2, 2)"), (np.zeros(2), "(2,)")],
)
def test_a_layer_fed_the_wrong_width_or_rank(inputs, shape):
    layer = Layer(2, 3, sigmoid, sigmoid_derivative)
    with pytest.raises(
        ValueError, match=re.escape(f"expected a batch of shape (n_samples, 2), got shape {shape}")
    ):
        layer.forward(inputs)


def test_a_network_fed_the_wrong_width(speedy):
    with pytest.raises(
        ValueError, match=re.escape("expected a batch of shape (n_samples, 2), got shape (1, 5)")
    ):
        speedy.forward(np.zeros(5))


def test_layers_whose_sizes_do_not_chain():
    with pytest.raises(ValueError, match="layer 0 has 3 neurons but layer 1 expects 4 inputs"):
        SpeedyNeuralNetwork([Layer(2, 3, sigmoid), Layer(4, 1, sigmoid)])
    with pytest.raises(ValueError, match="at least one layer"):
        SpeedyNeuralNetwork([])


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_values_in_a_batch(speedy, bad):
    with pytest.raises(ValueError, match="expected finite inputs; got inf or nan"):
        speedy.forward([[0.0, 1.0], [bad, 0.0]])
    with pytest.raises(
        ValueError, match="expected finite targets and outputs; got inf or nan in the targets"
    ):
        speedy.backpropagate([[0.0, 1.0], [1.0, 0.0]], [[1.0], [bad]], learning_rate=0.1)


def test_weights_that_blew_up_are_reported(speedy):
    speedy.layers[1].weights[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"got inf or nan in the outputs \(the weights blew up\)"):
        speedy.backpropagate([[0.0, 1.0]], [[1.0]], learning_rate=0.1)
    speedy.layers[0].weights[0, 0] = np.nan
    with pytest.raises(ValueError, match="in a hidden layer: the layer before has blown up"):
        speedy.forward([[1.0, 1.0]])


def test_targets_of_the_wrong_shape_for_a_batch(speedy):
    with pytest.raises(
        ValueError,
        match=re.escape("expected targets of shape (2, 1), one row per sample, got shape (2, 2)"),
    ):
        speedy.backpropagate([[0.0, 1.0], [1.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]], learning_rate=0.1)


def test_a_layer_s_backpropagate_needs_a_forward_pass_and_the_right_shape():
    layer = Layer(2, 3, sigmoid, sigmoid_derivative)
    with pytest.raises(ValueError, match="needs a forward pass first"):
        layer.backpropagate(np.ones((1, 3)), 0.1)
    layer.forward(np.zeros((4, 2)))
    with pytest.raises(
        ValueError,
        match=re.escape("expected d_error of shape (4, 3), like the last output, got shape (4, 2)"),
    ):
        layer.backpropagate(np.ones((4, 2)), 0.1)


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, "16"])
def test_a_batch_size_that_is_not_a_positive_whole_number(speedy, batch_size):
    with pytest.raises(
        ValueError,
        match=re.escape(f"batch_size to be None or a whole number >= 1, got {batch_size!r}"),
    ):
        train(speedy, [[0, 0], [1, 1]], [[0], [1]], epochs=1, batch_size=batch_size)


def test_a_per_neuron_network_refuses_mini_batches(network):
    with pytest.raises(
        ValueError,
        match="batch_size needs a SpeedyNeuralNetwork; a NeuralNetwork learns one sample",
    ):
        train(network, [[0, 0], [1, 1]], [[0], [1]], epochs=1, batch_size=2)


@pytest.mark.parametrize("learning_rate", [0, -0.1, np.nan])
def test_a_learning_rate_that_is_not_positive(speedy, learning_rate):
    with pytest.raises(ValueError, match="expected a positive learning rate"):
        train(speedy, [[0, 0], [1, 1]], [[0], [1]], epochs=1, learning_rate=learning_rate)
    with pytest.raises(ValueError, match="expected a positive learning rate"):
        speedy.backpropagate([[0, 0]], [[0]], learning_rate)


def test_inputs_and_targets_of_different_lengths_with_batches(speedy):
    with pytest.raises(ValueError, match="got 3 inputs and 2 targets"):
        train(speedy, [[0, 0], [1, 1], [1, 0]], [[0], [1]], epochs=1, batch_size=2)
