"""Exercise 7: a larger network for chapter 4b's house prices, next to two other regressions."""

import time

import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from nn_from_scratch import NeuralNetwork, Neuron, sigmoid, sigmoid_derivative, train
from nn_from_scratch.datasets import fetch_california_housing


HIDDEN = (16, 8)  # two hidden layers; the chapter's network has one of 8


def chapter_data():
    """The chapter's 250 districts, split and standardised on the training rows.

    Returns ``X_train_scaled, X_test_scaled, y_train, y_test`` (values in $100,000).
    """
    X, y = fetch_california_housing(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X[:250], y[:250], test_size=0.2, random_state=42
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def network_mae(hidden=HIDDEN, epochs=3000, learning_rate=0.03, seed=42):
    """Train an 8-...-1 sigmoid network as the chapter does; return its test MAE in dollars
    and the history of its total training error."""
    X_train, X_test, y_train, y_test = chapter_data()
    y_min, y_max = y_train.min(), y_train.max()
    t_train = (y_train - y_min) / (y_max - y_min)
    np.random.seed(seed)
    sizes = [X_train.shape[1], *hidden]
    hidden_layers = [
        [Neuron(inputs, sigmoid, sigmoid_derivative) for _ in range(neurons)]
        for inputs, neurons in zip(sizes, sizes[1:])
    ]
    network = NeuralNetwork(hidden_layers, [Neuron(sizes[-1], sigmoid, sigmoid_derivative)])
    history = train(
        network, X_train, t_train, epochs=epochs, learning_rate=learning_rate, print_every=None
    )
    predicted = y_min + np.array([network.forward(x)[0] for x in X_test]) * (y_max - y_min)
    return float(np.mean(np.abs(predicted - y_test))) * 100_000, history


def sklearn_mae(model):
    """Fit a scikit-learn model on the chapter's training rows; return its test MAE in dollars."""
    X_train, X_test, y_train, y_test = chapter_data()
    predicted = model.fit(X_train, y_train).predict(X_test)
    return float(np.mean(np.abs(predicted - y_test))) * 100_000


if __name__ == "__main__":
    _, _, y_train, y_test = chapter_data()
    print(f"{'model':<36}{'test MAE':>10}{'seconds':>9}")
    print(
        f"{'always the training average':<36}"
        f"{np.mean(np.abs(y_train.mean() - y_test)) * 100_000:>10,.0f}"
    )
    runs = [
        ("network 8-8-1 (the chapter's)", lambda: network_mae(hidden=(8,))[0]),
        (f"network 8-{'-'.join(map(str, HIDDEN))}-1", lambda: network_mae()[0]),
        ("linear regression", lambda: sklearn_mae(LinearRegression())),
        ("gradient boosting", lambda: sklearn_mae(GradientBoostingRegressor(random_state=0))),
    ]
    for name, run in runs:
        start = time.perf_counter()
        mae = run()
        print(f"{name:<36}{mae:>10,.0f}{time.perf_counter() - start:>9.1f}")
