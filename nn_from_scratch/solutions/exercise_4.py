"""Exercise 4: the derivatives of Exercise 2's activations, from their outputs.

Like ``sigmoid_derivative``, each function below takes y = f(z), the output
the neuron kept from its forward pass, and returns f'(z):

- tanh: f'(z) = 1 - tanh(z)**2 = 1 - y**2.
- ReLU: f'(z) = 1 where z > 0 and 0 where z < 0. Since y > 0 exactly when
  z > 0, that is 1 where y > 0 and 0 elsewhere. At the kink z = 0 the
  derivative does not exist; we use 0 there, the usual convention.
- leaky ReLU: 1 where y > 0 and ``slope`` elsewhere, with the same slope as in
  the forward pass (a positive slope keeps the sign of z in y).

For which activations is this possible at all? Exactly for those whose
derivative is a function of the output: knowing y must be enough to know
f'(z). That holds whenever f is strictly monotonic (then z = f^-1(y) and
f'(z) = f'(f^-1(y))), as for the sigmoid, tanh and the leaky ReLU. It also
holds for the ReLU, which is not invertible for z < 0 but has the same slope,
0, at every such z. Two more discussion points:

- softplus, y = log(1 + e^z), is invertible and f'(z) = sigmoid(z) = 1 - e^-y;
  ELU, y = z for z > 0 and alpha (e^z - 1) otherwise, gives f'(z) = 1 for
  y > 0 and y + alpha otherwise. Both work.
- It fails for a function that takes the same value at two points where its
  slopes differ: the Gaussian e^(-z^2) (the slope at -z is minus the slope at
  z), or the non-monotonic swish/SiLU, z sigmoid(z), and GELU. Their
  derivatives need z itself, so a neuron using them must keep z from the
  forward pass, not only y.

Each derivative checks that its argument could be an output of its function,
which catches the commonest slip: passing z instead of y.
"""

import numpy as np


def tanh_derivative(output):
    """The derivative of tanh, written in terms of tanh's output y: 1 - y**2.

    Parameters
    ----------
    output : float or numpy.ndarray
        Values of tanh(z), so within [-1, 1].

    Returns
    -------
    float or numpy.ndarray
        tanh'(z), of the same shape.

    Examples
    --------
    >>> float(tanh_derivative(np.tanh(0.0)))
    1.0
    >>> tanh_derivative(np.array([-1.0, 0.5, 1.0])).tolist()
    [0.0, 0.75, 0.0]
    """
    output = np.asarray(output, dtype=float)
    if not np.all(np.abs(output) <= 1):
        raise ValueError(f"expected outputs of tanh, between -1 and 1, got {output}")
    return 1 - output**2


def relu_derivative(output):
    """The derivative of ReLU, in terms of ReLU's output y: 1 where y > 0, else 0.

    Parameters
    ----------
    output : float or numpy.ndarray
        Values of relu(z), so 0 or more.

    Returns
    -------
    float or numpy.ndarray
        relu'(z), of the same shape (0 at the kink z = 0).

    Examples
    --------
    >>> relu_derivative(np.array([0.0, 0.5, 3.0])).tolist()
    [0.0, 1.0, 1.0]
    """
    output = np.asarray(output, dtype=float)
    if not np.all(output >= 0):
        raise ValueError(f"expected outputs of ReLU, which are 0 or more, got {output}")
    return np.where(output > 0, 1.0, 0.0)


def leaky_relu_derivative(output, slope=0.01):
    """The derivative of the leaky ReLU, in terms of its output y: 1 where y > 0, else ``slope``.

    Parameters
    ----------
    output : float or numpy.ndarray
        Values of leaky_relu(z, slope).
    slope : float, optional
        The slope the forward pass used, between 0 and 1 (excluded).

    Returns
    -------
    float or numpy.ndarray
        The derivative, of the same shape (``slope`` at the kink z = 0).

    Examples
    --------
    >>> leaky_relu_derivative(np.array([-0.02, 0.0, 3.0])).tolist()
    [0.01, 0.01, 1.0]
    """
    if not 0 < slope < 1:
        raise ValueError(
            f"expected a slope between 0 and 1 (excluded) for the leaky ReLU, got {slope!r}"
        )
    output = np.asarray(output, dtype=float)
    if not np.all(np.isfinite(output)):
        raise ValueError(f"expected finite outputs of the leaky ReLU, got {output}")
    return np.where(output > 0, 1.0, slope)


def largest_derivative_error(function, derivative, z, h=1e-6):
    """Compare ``derivative(function(z))`` with a central difference of ``function`` at z.

    Parameters
    ----------
    function : callable
        An activation, e.g. ``exercise_2.tanh``.
    derivative : callable
        Its derivative in terms of its output, e.g. ``tanh_derivative``.
    z : numpy.ndarray
        Where to compare; keep away from kinks (by more than ``h``).
    h : float, optional
        The step of the central difference (f(z + h) - f(z - h)) / (2h).

    Returns
    -------
    float
        The largest absolute difference over ``z``.

    Examples
    --------
    >>> from nn_from_scratch import sigmoid, sigmoid_derivative
    >>> largest_derivative_error(sigmoid, sigmoid_derivative, np.linspace(-5, 5, 11)) < 1e-9
    True
    """
    z = np.asarray(z, dtype=float)
    numerical = (function(z + h) - function(z - h)) / (2 * h)
    return float(np.max(np.abs(derivative(function(z)) - numerical)))
