"""Exercise 5: one backward pass through a 1-2-1 network with hand-set weights."""

import numpy as np

import nn_from_scratch
from nn_from_scratch import handout, sigmoid_derivative
from nn_from_scratch.gradients import get_parameters, set_parameters
from nn_from_scratch.gradients import numerical_gradient as central_differences


INPUTS = np.array([1.0])
LEARNING_RATE = 0.8
TARGET = 1.0
VERSIONS = {"package": nn_from_scratch, "handout": handout}
# The order of get_parameters: neuron by neuron, its weights then its bias.
NAMES = ["hidden 1: w", "hidden 1: b", "hidden 2: w", "hidden 2: b",
         "output: w1", "output: w2", "output: b"]


def build_network(version="package"):
    """The exercise's network, every weight 0.5 and every bias 0, with the classes of a version."""
    module = VERSIONS[version]
    hidden_layer = [module.Neuron(1, module.sigmoid, sigmoid_derivative) for _ in range(2)]
    output_layer = [module.Neuron(2, module.sigmoid, sigmoid_derivative)]
    network = module.NeuralNetwork([hidden_layer], output_layer)
    set_parameters(network, np.array([0.5, 0.0, 0.5, 0.0, 0.5, 0.5, 0.0]))
    return network


def parameters(network):
    """The network's weights and biases by name."""
    return dict(zip(NAMES, get_parameters(network).tolist()))


def numerical_gradient(network, target=TARGET):
    """dL/dp for every parameter p, by name, from central differences (chapter 3d)."""
    return dict(zip(NAMES, central_differences(network, INPUTS, [target]).tolist()))


def one_step(version="package", target=TARGET, learning_rate=LEARNING_RATE):
    """One backward pass through a version's network: the parameters before and after."""
    network = build_network(version)
    before = parameters(network)
    network.backpropagate(INPUTS, np.array([target]), learning_rate)
    return before, parameters(network)


def compare(target=TARGET, learning_rate=LEARNING_RATE):
    """Per parameter: before, after the exact step (-rate * gradient), after each version's."""
    gradient = numerical_gradient(build_network(), target)
    before, package = one_step("package", target, learning_rate)
    _, handout_after = one_step("handout", target, learning_rate)
    return [
        {"name": name, "before": before[name], "package": package[name],
         "exact": before[name] - learning_rate * gradient[name], "handout": handout_after[name]}
        for name in NAMES
    ]


def format_table(rows):
    """The rows of ``compare`` as a text table, six decimals."""
    lines = ["parameter     before  exact step     package     handout  handout - exact"]
    for row in rows:
        # Rounded, and + 0.0 turns -0.0 into 0.0: the central difference's noise shows no sign.
        difference = round(row["handout"] - row["exact"], 6) + 0.0
        lines.append(f"{row['name']:<12}{row['before']:>8.4f}{row['exact']:>12.6f}"
                     f"{row['package']:>12.6f}{row['handout']:>12.6f}{difference:>+17.6f}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_table(compare()))
