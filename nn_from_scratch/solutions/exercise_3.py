"""Exercise 3: the same neuron, and so the same output, on every run."""

import numpy as np

from nn_from_scratch import Neuron, sigmoid


def make_reproducible_neuron(seed, num_inputs=2):
    """Seed NumPy's global generator, then create a sigmoid neuron: one seed, one neuron."""
    np.random.seed(seed)
    return Neuron(num_inputs, sigmoid)


def run_example(seed):
    """The chapter's example from a given seed: the outputs for [1, 2] and [1, -2].

    >>> [round(output, 6) for output in run_example(0)]  # the chapter's outputs
    [0.762043, 0.364102]
    """
    neuron = make_reproducible_neuron(seed)
    return float(neuron.forward([1, 2])), float(neuron.forward([1, -2]))


def neuron_with_weights(weights, bias):
    """Create a sigmoid neuron, then overwrite its random weights and bias with these.

    >>> float(neuron_with_weights([0.5, -0.25], 0.0).forward([1, 2]))  # sigmoid(0)
    0.5
    """
    neuron = Neuron(len(weights), sigmoid)
    neuron.weights = np.array(weights, dtype=float)
    neuron.bias = float(bias)
    return neuron
