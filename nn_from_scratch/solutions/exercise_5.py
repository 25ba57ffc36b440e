"""Exercise 5: one backward pass through a 1-2-1 network with hand-set weights.

The network has 1 input, a hidden layer of 2 sigmoid neurons and 1 sigmoid
output neuron. Every weight is 0.5 and every bias 0; the input is [1] and the
learning rate 0.8. We make one call to ``backpropagate`` and compare the
parameters before and after, once with the package's ``Neuron`` and
``NeuralNetwork`` and once with the handout's (``nn_from_scratch.handout``).

Reading taken: the exercise gives no target for the backward pass
(erratum 15). We take the target 1; every function here accepts another one.
"Reproducible" needs no seed: the constructors still draw random weights, but
we overwrite all of them before anything is computed.

What happens, with target 1 (run this module to see the table):

- The output is sigmoid(0.5 h1 + 0.5 h2) = 0.651 with h1 = h2 = sigmoid(0.5),
  below the target, so every weight and bias grows.
- The output neuron's three parameters move identically in both versions:
  its gradient comes straight from the loss.
- The hidden neurons' parameters differ, by about 5.9e-4 each. The handout's
  ``Neuron.backpropagate`` returns the gradient for the layer before computed
  with the weights it has just updated (erratum 2), and here those output
  weights grew from 0.5 to 0.54, so the hidden layer receives an error about
  8% too large. A central difference of the loss confirms that the package's
  step is exactly -0.8 times the gradient, for all seven parameters.
- With target 0 the output weights shrink instead, and the handout's hidden
  steps come out too small: the slip does not push in a fixed direction.
- In both versions the two hidden neurons start equal and receive equal
  updates, so they stay equal for ever: a network whose weights all start at
  the same value cannot make its neurons learn different things. That is why
  real networks start from random weights.
"""

import numpy as np

from nn_from_scratch import NeuralNetwork, Neuron, handout, sigmoid, sigmoid_derivative
from nn_from_scratch.gradients import numerical_gradient as central_differences


INPUTS = np.array([1.0])
LEARNING_RATE = 0.8
TARGET = 1.0
VERSIONS = ("package", "handout")


def _classes(version):
    """The (Neuron, NeuralNetwork, sigmoid) of the package or of the handout."""
    if version == "package":
        return Neuron, NeuralNetwork, sigmoid
    if version == "handout":
        return handout.Neuron, handout.NeuralNetwork, handout.sigmoid
    raise ValueError(f"expected version 'package' or 'handout', got {version!r}")


def build_network(version="package"):
    """The 1-2-1 sigmoid network of the exercise, all weights 0.5 and all biases 0.

    Parameters
    ----------
    version : {"package", "handout"}
        Whose ``Neuron`` and ``NeuralNetwork`` classes to use.

    Returns
    -------
    NeuralNetwork
        Of the chosen version.

    Examples
    --------
    >>> network = build_network("handout")
    >>> round(float(network.forward(INPUTS)[0]), 6)
    0.650778
    """
    neuron_class, network_class, activation = _classes(version)
    hidden_layer = [neuron_class(1, activation, sigmoid_derivative) for _ in range(2)]
    output_layer = [neuron_class(2, activation, sigmoid_derivative)]
    for neuron in [*hidden_layer, *output_layer]:
        neuron.weights = np.full(neuron.weights.shape, 0.5)
        neuron.bias = 0.0
    return network_class([hidden_layer], output_layer)


def _slots(network):
    """(name, neuron, index) for each of the 7 parameters; index None is the bias."""
    (hidden_layer,) = network.hidden_layers
    slots = []
    for number, neuron in enumerate(hidden_layer, start=1):
        slots += [(f"hidden {number}: w", neuron, 0), (f"hidden {number}: b", neuron, None)]
    (output_neuron,) = network.output_layer
    slots += [
        ("output: w1", output_neuron, 0),
        ("output: w2", output_neuron, 1),
        ("output: b", output_neuron, None),
    ]
    return slots


def _value(neuron, index):
    return float(neuron.bias if index is None else neuron.weights[index])


def parameters(network):
    """The network's weights and biases by name, as plain floats.

    Examples
    --------
    >>> parameters(build_network())
    {'hidden 1: w': 0.5, 'hidden 1: b': 0.0, 'hidden 2: w': 0.5, 'hidden 2: b': 0.0,
     'output: w1': 0.5, 'output: w2': 0.5, 'output: b': 0.0}
    """
    return {name: _value(neuron, index) for name, neuron, index in _slots(network)}


def numerical_gradient(network, target=TARGET, h=1e-6):
    """dL/dp for every parameter p, by name: the central differences of chapter 3d.

    The network is left as it was.

    Examples
    --------
    >>> gradient = numerical_gradient(build_network())
    >>> round(gradient["output: b"], 6)
    -0.079366
    """
    # The order of get_parameters: neuron by neuron.
    names = [name for name, _, _ in _slots(network)]
    return dict(zip(names, central_differences(network, INPUTS, [target], h).tolist()))


def one_step(version="package", target=TARGET, learning_rate=LEARNING_RATE):
    """Build the network, make one backward pass; return the parameters before and after.

    Parameters
    ----------
    version : {"package", "handout"}
    target : float, optional
        The target of the backward pass (the exercise gives none; we take 1).
    learning_rate : float, optional

    Returns
    -------
    (dict, dict)
        The parameters by name, before and after the step.

    Examples
    --------
    >>> before, after = one_step("package")
    >>> round(after["output: w1"], 6), round(after["hidden 1: w"], 6)
    (0.539522, 0.507461)
    """
    if not np.isfinite(target) or not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"expected a finite target and a positive learning rate, "
                         f"got target {target!r} and learning rate {learning_rate!r}")
    network = build_network(version)
    before = parameters(network)
    network.backpropagate(INPUTS, np.array([target]), learning_rate)
    return before, parameters(network)


def compare(target=TARGET, learning_rate=LEARNING_RATE):
    """One row per parameter: its value before, after an exact step, and after each version's step.

    The exact step is ``before - learning_rate * gradient``, with the gradient
    from ``numerical_gradient``.

    Returns
    -------
    list of dict
        Keys ``name``, ``before``, ``gradient``, ``exact``, ``package``, ``handout``.

    Examples
    --------
    >>> rows = compare()
    >>> [row["name"] for row in rows if abs(row["handout"] - row["exact"]) > 1e-6]
    ['hidden 1: w', 'hidden 1: b', 'hidden 2: w', 'hidden 2: b']
    """
    gradient = numerical_gradient(build_network(), target)
    before, package_after = one_step("package", target, learning_rate)
    _, handout_after = one_step("handout", target, learning_rate)
    return [
        {
            "name": name,
            "before": before[name],
            "gradient": gradient[name],
            "exact": before[name] - learning_rate * gradient[name],
            "package": package_after[name],
            "handout": handout_after[name],
        }
        for name in before
    ]


def format_table(rows):
    """The rows of ``compare`` as a text table, six decimals.

    Examples
    --------
    >>> print(format_table(compare()))
    parameter     before  exact step     package     handout  handout - exact
    hidden 1: w   0.5000    0.507461    0.507461    0.508050        +0.000590
    hidden 1: b   0.0000    0.007461    0.007461    0.008050        +0.000590
    hidden 2: w   0.5000    0.507461    0.507461    0.508050        +0.000590
    hidden 2: b   0.0000    0.007461    0.007461    0.008050        +0.000590
    output: w1    0.5000    0.539522    0.539522    0.539522        +0.000000
    output: w2    0.5000    0.539522    0.539522    0.539522        +0.000000
    output: b     0.0000    0.063493    0.063493    0.063493        +0.000000
    """
    lines = [
        f"{'parameter':<12}{'before':>8}{'exact step':>12}{'package':>12}{'handout':>12}"
        f"{'handout - exact':>17}"
    ]
    for row in rows:
        # Rounded first, and + 0.0 turns a -0.0 into 0.0: the exact column comes from a
        # central difference, whose noise (about 1e-11) must not show as a sign.
        difference = round(row["handout"] - row["exact"], 6) + 0.0
        lines.append(
            f"{row['name']:<12}{row['before']:>8.4f}{row['exact']:>12.6f}{row['package']:>12.6f}"
            f"{row['handout']:>12.6f}{difference:>+17.6f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(f"target {TARGET}, input {INPUTS.tolist()}, learning rate {LEARNING_RATE}")
    print(format_table(compare()))
