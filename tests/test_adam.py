"""Adam in the vectorised ``Layer`` (chapter 6) takes exactly the steps of Adam written out.

The reference below is written independently of the package: one parameter at a
time, in plain Python floats, arranged as PyTorch's ``torch.optim.Adam`` arranges
it (the step size ``lr / (1 - beta1**t)``, the denominator
``sqrt(v) / sqrt(1 - beta2**t) + eps``). A ``Layer`` with the identity as its
activation, fed the identity matrix as its batch, receives as its weight gradient
exactly the ``d_error`` it is given, so the test chooses every gradient it sees.
"""

import math

import numpy as np
import pytest

from nn_from_scratch import Layer
from nn_from_scratch.layers import adam_step


def identity(z):
    return z


def identity_derivative(y):
    return np.ones_like(y)


def adam_by_hand(parameters, gradients, learning_rate, beta1, beta2, eps):
    """Adam on a list of floats, one gradient list per step; returns the parameters after each."""
    m = [0.0] * len(parameters)
    v = [0.0] * len(parameters)
    parameters = list(parameters)
    after = []
    for t, gradient in enumerate(gradients, start=1):
        step_size = learning_rate / (1 - beta1**t)
        for i, g in enumerate(gradient):
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            denominator = math.sqrt(v[i]) / math.sqrt(1 - beta2**t) + eps
            parameters[i] -= step_size * m[i] / denominator
        after.append(list(parameters))
    return after


def fixed_gradients(steps, shape, seed):
    """Gradients of very different sizes, from about 1e-10 to 1e2, with both signs."""
    rng = np.random.default_rng(seed)
    sizes = 10.0 ** rng.integers(-10, 3, size=(steps, *shape))
    gradients = rng.normal(size=(steps, *shape)) * sizes
    gradients[:, 0, 0] = 0.0  # a weight that never gets a gradient: its step must stay 0
    return gradients


SETTINGS = [
    {},  # PyTorch's defaults: betas (0.9, 0.999), eps 1e-8
    {"betas": (0.5, 0.9), "eps": 1e-6},
    {"betas": (0.0, 0.0), "eps": 1e-3},  # no averaging at all: the step is -lr g / (|g| + eps)
]


@pytest.mark.parametrize("clip_value", [None, 0.5])
@pytest.mark.parametrize("options", SETTINGS)
def test_a_layer_takes_adam_s_steps(options, clip_value):
    num_inputs, num_neurons, learning_rate = 4, 3, 0.01
    beta1, beta2 = options.get("betas", (0.9, 0.999))
    eps = options.get("eps", 1e-8)
    np.random.seed(0)
    layer = Layer(num_inputs, num_neurons, identity, identity_derivative,
                  init_method="lecun_normal", adam=True, clip_value=clip_value, **options)
    weights, biases = layer.weights.ravel().tolist(), layer.biases.ravel().tolist()
    gradients = fixed_gradients(6, (num_inputs, num_neurons), seed=1)
    # What the layer sees: with the identity as its batch, d_weights is d_error itself and
    # d_biases is its column sums; clipped first when a clip value is set.
    seen_weights = gradients if clip_value is None else np.clip(gradients, -clip_value, clip_value)
    seen_biases = gradients.sum(axis=1)
    if clip_value is not None:
        seen_biases = np.clip(seen_biases, -clip_value, clip_value)
    expected_weights = adam_by_hand(weights, seen_weights.reshape(6, -1).tolist(), learning_rate,
                                    beta1, beta2, eps)
    expected_biases = adam_by_hand(biases, seen_biases.tolist(), learning_rate, beta1, beta2, eps)

    for t, gradient in enumerate(gradients):
        layer.forward(np.eye(num_inputs))
        layer.backpropagate(gradient, learning_rate)
        np.testing.assert_allclose(layer.weights.ravel(), expected_weights[t], rtol=1e-12,
                                   atol=1e-15)
        np.testing.assert_allclose(layer.biases.ravel(), expected_biases[t], rtol=1e-12,
                                   atol=1e-15)
    assert layer.adam_steps == 6
    assert layer.weights[0, 0] == weights[0]  # never a gradient, never a step


def test_a_steady_gradient_moves_a_weight_by_the_learning_rate_whatever_its_size():
    for size in [1e-6, 1.0, 1e6]:
        m, v = np.zeros(1), np.zeros(1)
        steps = [adam_step(np.array([size]), m, v, t, learning_rate=0.01)[0] for t in range(1, 6)]
        # -lr g / (|g| + eps): about the learning rate, whatever the size of g
        np.testing.assert_allclose(steps, -0.01 * size / (size + 1e-8), rtol=1e-12)


def test_without_adam_the_layer_takes_plain_gradient_steps():
    np.random.seed(0)
    layer = Layer(4, 3, identity, identity_derivative, init_method="lecun_normal")
    before = layer.weights.copy()
    gradient = fixed_gradients(1, (4, 3), seed=2)[0]
    layer.forward(np.eye(4))
    layer.backpropagate(gradient, learning_rate=0.1)
    np.testing.assert_allclose(layer.weights, before - 0.1 * gradient, rtol=1e-15)
    assert layer.adam_steps == 0


@pytest.mark.parametrize(
    "options, message",
    [
        ({"adam": True, "momentum": 0.9}, "momentum=0.9 with adam=True"),
        ({"adam": "yes"}, "expected adam to be True or False, got 'yes'"),
        ({"adam": True, "betas": (-0.1, 0.999)}, r"expected betas\[0\] in \[0, 1\), got -0.1"),
        ({"adam": True, "betas": (0.9, 1.0)}, r"expected betas\[1\] in \[0, 1\), got 1.0"),
        ({"adam": True, "betas": (0.9, float("nan"))}, r"expected betas\[1\] in \[0, 1\)"),
        ({"adam": True, "betas": (0.9, "0.999")}, r"expected betas\[1\] in \[0, 1\), got '0.999'"),
        ({"adam": True, "betas": 0.9}, r"expected betas to be a pair \(beta1, beta2\), got 0.9"),
        ({"adam": True, "betas": (0.9,)}, r"expected betas to be a pair"),
        ({"adam": True, "eps": 0.0}, "expected a positive, finite eps, got 0.0"),
        ({"adam": True, "eps": -1e-8}, "expected a positive, finite eps"),
        ({"adam": True, "eps": float("inf")}, "expected a positive, finite eps, got inf"),
        ({"adam": True, "eps": None}, "expected a positive, finite eps, got None"),
        ({"betas": (0.8, 0.99)}, r"betas=\(0.8, 0.99\) and eps=1e-08 set Adam's steps"),
        ({"eps": 1e-6}, "which adam=False does not take: pass adam=True"),
    ],
)
def test_bad_adam_settings_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        Layer(3, 2, identity, identity_derivative, **options)
