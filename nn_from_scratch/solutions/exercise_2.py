"""Exercise 2: three more activation functions, plotted with the sigmoid.

We take the three the chapter suggests: the hyperbolic tangent, the rectified
linear unit (ReLU) and the leaky ReLU. Each works on a number or on a NumPy
array, element by element, and none can overflow: ``np.tanh`` stays within
[-1, 1] for every input, and the two ReLUs only multiply and compare.

When to use which:

- **sigmoid**, output in (0, 1): the output neuron when the answer is a
  probability or a yes/no. In hidden layers it learns slowly: its derivative
  is at most 0.25 and vanishes wherever it saturates, and its outputs are
  never centred on 0.
- **tanh**, output in (-1, 1): a rescaled sigmoid, ``tanh(x) = 2 sigmoid(2x) - 1``,
  centred on 0 with a derivative up to 1, so it usually trains faster than
  the sigmoid in small hidden layers; it still saturates for large inputs.
- **ReLU**, ``max(0, x)``: the default for the hidden layers of deep
  networks. It is cheap, and its derivative is exactly 1 for every positive
  input, so gradients do not shrink layer after layer. A neuron whose
  weighted sum is negative for every sample outputs 0 and gets a zero
  gradient: it stops learning for good (a "dead" ReLU).
- **leaky ReLU**, ``x`` for positive x and ``slope * x`` otherwise: a ReLU
  that keeps a small gradient for negative inputs, so no neuron can die.
  Neither ReLU is bounded, so neither suits an output that must be a
  probability.
"""

import numpy as np

from nn_from_scratch import sigmoid


def tanh(x):
    """The hyperbolic tangent, (e^x - e^-x) / (e^x + e^-x), with outputs in (-1, 1).

    Parameters
    ----------
    x : float or numpy.ndarray

    Returns
    -------
    float or numpy.ndarray
        Of the same shape as ``x``.

    Examples
    --------
    >>> float(tanh(0.0))
    0.0
    >>> tanh(np.array([-1000.0, 1000.0])).tolist()  # no overflow
    [-1.0, 1.0]
    """
    return np.tanh(x)


def relu(x):
    """The rectified linear unit, max(0, x).

    Parameters
    ----------
    x : float or numpy.ndarray

    Returns
    -------
    float or numpy.ndarray
        Of the same shape as ``x``.

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0])).tolist()
    [0.0, 0.0, 3.0]
    """
    return np.maximum(x, 0.0)


def leaky_relu(x, slope=0.01):
    """The leaky ReLU: x where x > 0, and slope * x elsewhere.

    For a slope between 0 and 1 this is simply max(x, slope * x).

    Parameters
    ----------
    x : float or numpy.ndarray
    slope : float, optional
        The slope for negative inputs, between 0 and 1 (excluded); usually small.

    Returns
    -------
    float or numpy.ndarray
        Of the same shape as ``x``.

    Examples
    --------
    >>> leaky_relu(np.array([-2.0, 0.0, 3.0])).tolist()
    [-0.02, 0.0, 3.0]
    >>> leaky_relu(np.array([-2.0, 3.0]), slope=0.1).tolist()
    [-0.2, 3.0]
    """
    if not 0 < slope < 1:
        raise ValueError(
            f"expected a slope between 0 and 1 (excluded) for the leaky ReLU, got {slope!r}"
        )
    return np.maximum(x, np.multiply(slope, x))


def plot_activations(ax=None, x_range=(-5.0, 5.0), slope=0.1):
    """Draw the sigmoid, tanh, ReLU and leaky ReLU on one set of axes.

    The figure is returned, not shown: call ``plt.show()`` (or save it) yourself.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when it is omitted.
    x_range : (float, float), optional
        The interval of x shown.
    slope : float, optional
        The leaky ReLU's slope; 0.1 rather than the usual 0.01, so that it
        can be told apart from the ReLU on the plot.

    Returns
    -------
    matplotlib.figure.Figure
        The figure that holds the axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> figure = plot_activations()
    >>> [line.get_label() for line in figure.axes[0].lines]
    ['sigmoid', 'tanh', 'ReLU', 'leaky ReLU (slope 0.1)']
    >>> plt.close(figure)
    """
    import matplotlib.pyplot as plt

    low, high = x_range
    if not low < high:
        raise ValueError(f"expected x_range as (low, high) with low < high, got {x_range!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    x = np.linspace(low, high, 201)
    ax.plot(x, sigmoid(x), label="sigmoid")
    ax.plot(x, tanh(x), label="tanh")
    ax.plot(x, relu(x), label="ReLU")
    ax.plot(x, leaky_relu(x, slope), "--", label=f"leaky ReLU (slope {slope})")
    ax.set_ylim(-1.5, 3)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title("Four activation functions")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax.figure


if __name__ == "__main__":
    import matplotlib.pyplot as plt

    plot_activations()
    plt.show()
