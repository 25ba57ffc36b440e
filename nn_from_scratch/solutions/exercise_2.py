"""Exercise 2: tanh, ReLU and the leaky ReLU (the package's, chapter 5a), with the sigmoid."""

import matplotlib.pyplot as plt
import numpy as np

from nn_from_scratch.activations import leaky_relu, relu, sigmoid, tanh


def plot_activations(slope=0.1):
    """Draw the four activations between -5 and 5 on one set of axes; return the figure."""
    x = np.linspace(-5, 5, 201)
    figure, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(x, sigmoid(x), label="sigmoid")
    ax.plot(x, tanh(x), label="tanh")
    ax.plot(x, relu(x), label="ReLU")
    ax.plot(x, leaky_relu(x, slope), "--", label=f"leaky ReLU (slope {slope})")
    ax.set(ylim=(-1.5, 3), xlabel="x", ylabel="f(x)", title="Four activation functions")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return figure


if __name__ == "__main__":
    plot_activations()
    plt.show()
