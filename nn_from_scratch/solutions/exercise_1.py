"""Exercise 1: the neuron's weighted sum without NumPy.

The exercise asks for the line ``z = np.dot(self.weights, inputs) + self.bias``
of ``Neuron.forward`` written in plain Python. The weighted sum needs only
multiplications and additions, so a loop over the pairs (weight, input) does
it; so does the one-liner ``sum(w * x for w, x in zip(weights, inputs)) + bias``.

Reading taken: only that line changes. The rest of ``forward`` (its checks,
and what it remembers for the backward pass) stays as it is, so
``NeuronWithoutNumPy`` can stand in for the package's ``Neuron`` anywhere,
including in a network that learns. The loop gives the same number as
``np.dot`` up to the rounding of the last bit; NumPy is faster because it runs
essentially the same loop in compiled code.
"""

import math

import numpy as np

from nn_from_scratch import Neuron


def _numbers(values, what):
    """Return ``values`` as a list of floats, or say clearly what was wrong."""
    try:
        return [float(value) for value in values]
    except TypeError:
        raise TypeError(
            f"expected the {what} as a flat sequence of numbers, got {values!r}"
        ) from None


def weighted_sum(weights, inputs, bias):
    """Return ``w_1 * x_1 + ... + w_n * x_n + b``, with Python's ``*`` and ``+`` only.

    Parameters
    ----------
    weights : sequence of float
        One weight per input.
    inputs : sequence of float
        As many inputs as weights.
    bias : float
        Added to the sum of the products.

    Returns
    -------
    float
        The neuron's pre-activation z.

    Examples
    --------
    >>> weighted_sum([0.5, -1.0], [2.0, 3.0], 0.25)
    -1.75
    """
    weights = _numbers(weights, "weights")
    inputs = _numbers(inputs, "inputs")
    if len(inputs) != len(weights):
        raise ValueError(f"expected {len(weights)} inputs, one per weight, got {len(inputs)}")
    total = 0.0
    for weight, x in zip(weights, inputs):
        total += weight * x
    return total + float(bias)


class NeuronWithoutNumPy(Neuron):
    """The package's ``Neuron`` with its weighted sum computed by ``weighted_sum``.

    Everything else (the random weights, ``backpropagate``) is inherited.

    Examples
    --------
    >>> from nn_from_scratch import sigmoid
    >>> np.random.seed(0)
    >>> plain = NeuronWithoutNumPy(2, sigmoid)
    >>> np.random.seed(0)
    >>> reference = Neuron(2, sigmoid)  # the same seed, so the same weights and bias
    >>> math.isclose(plain.forward([1, 2]), reference.forward([1, 2]), rel_tol=0, abs_tol=1e-12)
    True
    >>> round(float(plain.forward([1, 2])), 6)  # the chapter's first output
    0.762043
    """

    def forward(self, inputs):
        """Return f(w . x + b) for one input vector, remembering inputs and output."""
        values = _numbers(inputs, "inputs")
        z = weighted_sum(self.weights, values, self.bias)
        if not math.isfinite(z):
            raise ValueError(f"expected finite inputs, weights and bias; got inputs {values}, "
                             f"weights {self.weights} and bias {self.bias}")
        # backpropagate computes d_z * self.inputs, which needs an array.
        self.inputs = np.array(values)
        self.output = self.activation_function(z)
        return self.output
