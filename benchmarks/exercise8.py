"""Exercise 8's runs (docs/05c-vectorised-layers.md), for run.py to time.

The examples of Part II on a ``SpeedyNeuralNetwork`` of ``Layer`` objects, by
the worked solution (nn_from_scratch/solutions/exercise_8.py): each run prepares
the chapter's data, seeds NumPy as the chapter does, starts from the weights
the chapter's network of neurons draws and trains with the chapter's learning
rate and number of epochs, like run.py's ``xor_package``, ``quadratic``,
``california`` and ``iris``, which time the network of neurons. Each returns
the total squared error over the training set after the last epoch, so that
results.json shows whether the two networks end at the same error.
"""

from __future__ import annotations


def exercise_8_xor_layers():
    """XOR (chapter 4a): 2-2-1 layers, one sample at a time, 10 000 epochs."""
    from nn_from_scratch.solutions import exercise_8

    return exercise_8.xor(batch_size=1)


def exercise_8_quadratic_layers():
    """The quadratic surface (chapter 4a): 2-4-4-1 layers, one sample at a time, 4500 epochs."""
    from nn_from_scratch.solutions import exercise_8

    return exercise_8.quadratic(batch_size=1)


def exercise_8_california_layers():
    """California Housing (chapter 4b): 8-8-1 layers, one sample at a time, 3000 epochs."""
    from nn_from_scratch.solutions import exercise_8

    return exercise_8.california(batch_size=1)


def exercise_8_california_layers_16():
    """California Housing (chapter 4b): 8-8-1 layers, batches of 16, 3000 epochs.

    The same learning rate, 0.03: the batch's loss is a mean, so a step keeps its
    size, and an epoch takes 13 steps instead of 200.
    """
    from nn_from_scratch.solutions import exercise_8

    return exercise_8.california(batch_size=16)


def exercise_8_iris_layers():
    """Iris (chapter 4c): 4-4-3 layers, one sample at a time, 1000 epochs."""
    from nn_from_scratch.solutions import exercise_8

    return exercise_8.iris(batch_size=1)
