"""Exercise 4: the derivatives of tanh, ReLU and the leaky ReLU (the package's, chapter 5a)."""

import numpy as np

from nn_from_scratch.activations import leaky_relu_derivative, relu_derivative, tanh_derivative


# The answer is the package's derivatives; the function below checks them.
__all__ = [
    "tanh_derivative", "relu_derivative", "leaky_relu_derivative", "largest_derivative_error",
]


def largest_derivative_error(function, derivative, z, h=1e-6):
    """The largest gap between ``derivative(function(z))`` and a central difference at z.

    >>> from nn_from_scratch import tanh
    >>> largest_derivative_error(tanh, tanh_derivative, np.linspace(-3, 3, 13)) < 1e-9
    True
    """
    numerical = (function(z + h) - function(z - h)) / (2 * h)
    return float(np.max(np.abs(derivative(function(z)) - numerical)))
