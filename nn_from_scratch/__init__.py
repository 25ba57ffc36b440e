"""A neural network coded from scratch with NumPy: the code of the nn-from-scratch book.

The modules are written out from the book's chapters (``nox -s tangle``); this
file only gathers their public names, which are the course handout's names.

>>> import nn_from_scratch
>>> sorted(nn_from_scratch.__all__)  # doctest: +NORMALIZE_WHITESPACE
['Layer', 'NeuralNetwork', 'Neuron', 'SpeedyNeuralNetwork', 'leaky_relu', 'leaky_relu_derivative',
 'relu', 'relu_derivative', 'sigmoid', 'sigmoid_derivative', 'tanh', 'tanh_derivative', 'train']
"""

from nn_from_scratch.activations import (
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
)
from nn_from_scratch.layers import Layer, SpeedyNeuralNetwork
from nn_from_scratch.network import NeuralNetwork
from nn_from_scratch.neuron import Neuron
from nn_from_scratch.training import train


__all__ = [
    "Layer",
    "NeuralNetwork",
    "Neuron",
    "SpeedyNeuralNetwork",
    "leaky_relu",
    "leaky_relu_derivative",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "train",
]
