"""Exercise 6: AND, answered in one-hot form by two output neurons."""

import numpy as np

from nn_from_scratch import NeuralNetwork, Neuron, sigmoid, sigmoid_derivative, train


INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
AND = INPUTS[:, 0] & INPUTS[:, 1]  # 0, 0, 0, 1
TARGETS = np.eye(2)[AND]  # one-hot: [1, 0] for the answer 0, [0, 1] for the answer 1


def and_network(epochs=1000, learning_rate=0.5, seed=42):
    """Train the XOR example's 2-2 hidden layer with two output neurons on AND's one-hot targets."""
    np.random.seed(seed)
    hidden_layer = [Neuron(2, sigmoid, sigmoid_derivative) for _ in range(2)]
    output_layer = [Neuron(2, sigmoid, sigmoid_derivative) for _ in range(2)]
    network = NeuralNetwork([hidden_layer], output_layer)
    train(network, INPUTS, TARGETS, epochs=epochs, learning_rate=learning_rate, print_every=None)
    return network


def answers(network):
    """The network's answer to each input: the position of its largest output."""
    return [int(np.argmax(network.forward(x))) for x in INPUTS]


if __name__ == "__main__":
    network = and_network()
    for x, answer in zip(INPUTS, answers(network)):
        print(x, "->", np.round(network.forward(x), 2), "-> answer", answer)
