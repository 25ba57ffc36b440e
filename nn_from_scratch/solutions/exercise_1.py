"""Exercise 1: the neuron's weighted sum in plain Python, without NumPy."""

import numpy as np

from nn_from_scratch import Neuron


def weighted_sum(weights, inputs, bias):
    """Return w_1 x_1 + ... + w_n x_n + b, with Python's ``*`` and ``+`` only.

    >>> weighted_sum([0.5, -1.0], [2.0, 3.0], 0.25)
    -1.75
    """
    total = 0.0
    for weight, x in zip(weights, inputs):
        total += weight * x
    return total + bias


class NeuronWithoutNumPy(Neuron):
    """The package's ``Neuron``, its weighted sum computed by ``weighted_sum``."""

    def forward(self, inputs):
        """Return f(w . x + b) for one input vector, remembering inputs and output."""
        self.inputs = np.asarray(inputs, dtype=float)  # backpropagate needs an array
        self.output = self.activation_function(weighted_sum(self.weights, inputs, self.bias))
        return self.output
