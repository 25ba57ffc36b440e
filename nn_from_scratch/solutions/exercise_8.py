"""Exercise 8: the examples of Part II on a network of ``Layer`` objects.

Each function prepares the chapter's data, seeds NumPy with 42 where the
chapter does, builds the chapter's network and trains it with the chapter's
learning rate; it returns the total error after the last epoch. With
``same_start=True`` the layers receive the weights that the chapter's network
of neurons draws; with ``False`` they draw their own, from the same U(-1, 1)
but in another order, so the run starts elsewhere.
"""

import numpy as np

from nn_from_scratch import (
    Layer,
    NeuralNetwork,
    Neuron,
    SpeedyNeuralNetwork,
    sigmoid,
    sigmoid_derivative,
    train,
)
from nn_from_scratch.layers import as_layers


def sigmoid_layers(sizes, same_start=True):
    """A network of sigmoid layers, e.g. sizes [2, 4, 4, 1], drawn from NumPy's global state.

    >>> [layer.weights.shape for layer in sigmoid_layers([2, 4, 1]).layers]
    [(2, 4), (4, 1)]
    """
    if not same_start:
        return SpeedyNeuralNetwork([Layer(n, m, sigmoid, sigmoid_derivative)
                                    for n, m in zip(sizes, sizes[1:])])
    # Neuron by neuron, layer by layer: the draws of the chapters' networks.
    layers = [[Neuron(n, sigmoid, sigmoid_derivative) for _ in range(m)]
              for n, m in zip(sizes, sizes[1:])]
    return as_layers(NeuralNetwork(layers[:-1], layers[-1]))


def _train(network, inputs, targets, epochs, learning_rate, batch_size):
    return train(network, inputs, targets, epochs=epochs, learning_rate=learning_rate,
                 print_every=None, batch_size=batch_size)[-1]


def xor(batch_size=1, epochs=10000, same_start=True):
    """Chapter 4a: XOR, 2-2-1, learning rate 0.5."""
    inputs, targets = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]
    np.random.seed(42)
    network = sigmoid_layers([2, 2, 1], same_start)
    return _train(network, inputs, targets, epochs, 0.5, batch_size)


def quadratic(batch_size=1, epochs=4500, same_start=True):
    """Chapter 4a: x1² + x2² on 35 random points, 2-4-4-1, learning rate 0.1."""
    np.random.seed(42)
    inputs = np.random.uniform(-1, 1, (35, 2))
    targets = np.sum(np.square(inputs), axis=1, keepdims=True)
    network = sigmoid_layers([2, 4, 4, 1], same_start)
    return _train(network, inputs, targets, epochs, 0.1, batch_size)


def california(batch_size=1, epochs=3000, same_start=True):
    """Chapter 4b: 200 districts, 8-8-1, learning rate 0.03."""
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from nn_from_scratch.datasets import fetch_california_housing

    housing = fetch_california_housing()
    X, y = housing.data[:250], housing.target[:250]
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    inputs = StandardScaler().fit_transform(X_train)
    targets = (y_train - y_train.min()) / (y_train.max() - y_train.min())
    np.random.seed(42)
    network = sigmoid_layers([8, 8, 1], same_start)
    return _train(network, inputs, targets, epochs, 0.03, batch_size)


def iris(batch_size=1, epochs=1000, same_start=True):
    """Chapter 4c: 120 flowers, 4-4-3, one-hot targets, learning rate 0.1."""
    from sklearn.datasets import load_iris
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    data = load_iris()
    targets = np.eye(3)[data.target]
    X_train, _, targets, _ = train_test_split(data.data, targets, test_size=0.2, random_state=42)
    inputs = StandardScaler().fit_transform(X_train)
    np.random.seed(42)
    network = sigmoid_layers([4, 4, 3], same_start)
    return _train(network, inputs, targets, epochs, 0.1, batch_size)
