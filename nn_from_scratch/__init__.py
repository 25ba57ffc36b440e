"""A neural network coded from scratch with NumPy: the code of the nn-from-scratch book.

The modules are written out from the book's chapters (``nox -s tangle``); this
file only gathers their public names, which are the course handout's names.

>>> import nn_from_scratch
>>> sorted(nn_from_scratch.__all__)
['NeuralNetwork', 'Neuron', 'sigmoid', 'sigmoid_derivative', 'train']
"""

from nn_from_scratch.activations import sigmoid, sigmoid_derivative
from nn_from_scratch.network import NeuralNetwork
from nn_from_scratch.neuron import Neuron
from nn_from_scratch.training import train

__all__ = ["NeuralNetwork", "Neuron", "sigmoid", "sigmoid_derivative", "train"]
