"""The two training runs of chapter 6 (docs/06-handwritten-digits.md), for run.py to time.

Each function is the chapter's run as the chapter does it: the same data
preparation, seed, network and hyperparameters, up to the last epoch. What the
chapter prints is left to the caller to capture. Each returns the total squared
error over the training digits after the last epoch, which the chapter prints
too (to two decimals), so that results.json shows that the runs are the chapter's.
"""

from __future__ import annotations


def digits_data():
    """The chapter's split of the raw digits: 1437 training and 360 test images, one-hot targets."""
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    targets = np.eye(10)[digits.target]
    return train_test_split(digits.data, targets, test_size=0.2, random_state=42)


def digits_handout_recipe():
    """The handout's recipe (chapter 6): 64-32-10 sigmoids, raw pixels, batches of 16."""
    import numpy as np

    from nn_from_scratch import Layer, SpeedyNeuralNetwork, sigmoid, sigmoid_derivative, train

    inputs_train, _, targets_train, _ = digits_data()
    np.random.seed(42)
    layers = [
        Layer(64, 32, sigmoid, sigmoid_derivative, init_method="lecun_normal"),
        Layer(32, 10, sigmoid, sigmoid_derivative, init_method="lecun_normal"),
    ]
    network = SpeedyNeuralNetwork(layers)
    history = train(
        network,
        inputs_train,
        targets_train,
        epochs=3000,
        learning_rate=0.16,
        print_every=250,
        batch_size=16,
        shuffle=True,
    )
    return history[-1]


def digits_improved():
    """Chapter 6: the chosen network, 64-64-10 (ReLU, He; sigmoid outputs), momentum 0.9,
    on pixels / 16, trained for 100 epochs in batches of 16 at a learning rate of 0.05, from
    each of the five seeds 0 to 4.

    The final training of the chapter, after its validation search (which is not timed): returns the
    total error after the last epoch of the last run, seed 4.
    """
    import numpy as np

    from nn_from_scratch import (
        Layer,
        SpeedyNeuralNetwork,
        relu,
        relu_derivative,
        sigmoid,
        sigmoid_derivative,
        train,
    )

    inputs_train, _, targets_train, _ = digits_data()
    inputs_train_scaled = inputs_train / 16
    for seed in range(5):
        np.random.seed(seed)
        network = SpeedyNeuralNetwork(
            [
                Layer(64, 64, relu, relu_derivative, init_method="he_normal", momentum=0.9),
                Layer(
                    64, 10, sigmoid, sigmoid_derivative, init_method="lecun_normal", momentum=0.9
                ),
            ]
        )
        history = train(
            network,
            inputs_train_scaled,
            targets_train,
            epochs=100,
            learning_rate=0.05,
            print_every=None,
            batch_size=16,
            shuffle=True,
        )
    return history[-1]
