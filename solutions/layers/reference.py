"""Reference answers for ``layers``, in NumPy (float64), so the checks need no TensorFlow.

The checks set a layer's weights themselves and compare its outputs with these formulas;
the trained MLP is evaluated here from its weights alone, so whatever the student's
``call`` does, the accuracy is that of the network the weights describe.
"""

from __future__ import annotations

import numpy as np

ACTIVATIONS = (None, "relu", "sigmoid", "tanh")
RATE = 0.1  # ActivityRegularizationLayer's default
MLP_UNITS = (256, 128, 64, 32, 10)
MLP_INPUT = 784
MIN_TRAINING_ACCURACY = 0.80  # reference after 2 epochs: 0.85 on its 20,000 training images
TRAINING_IMAGES = 20_000  # the notebook trains on the first 20,000 training images


def activation(name: str | None, z: np.ndarray) -> np.ndarray:
    if name is None:
        return z
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    raise ValueError(f"unknown activation {name!r}")


def activation_derivative(name: str | None, z: np.ndarray) -> np.ndarray:
    if name is None:
        return np.ones_like(z)
    if name == "relu":
        return (z > 0).astype(np.float64)
    if name == "sigmoid":
        s = activation("sigmoid", z)
        return s * (1 - s)
    if name == "tanh":
        return 1 - np.tanh(z) ** 2
    raise ValueError(f"unknown activation {name!r}")


def dense(x: np.ndarray, w: np.ndarray, b: np.ndarray, name: str | None = None) -> np.ndarray:
    """SimpleDense's output: activation(x @ W + b)."""
    x, w, b = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    return activation(name, x @ w + b)


def dense_weight_gradients(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, name: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of sum(SimpleDense output) with respect to W and b."""
    x, w, b = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    upstream = activation_derivative(name, x @ w + b)
    return x.T @ upstream, upstream.sum(axis=0)


def mlp_weight_shapes(input_dim: int = MLP_INPUT) -> list[tuple[int, ...]]:
    """The shapes of MLP's ten trainable variables, in order: W1, b1, ..., W5, b5."""
    shapes: list[tuple[int, ...]] = []
    for units in MLP_UNITS:
        shapes += [(input_dim, units), (units,)]
        input_dim = units
    return shapes


def mlp_logits(x: np.ndarray, weights: list[np.ndarray]) -> np.ndarray:
    """The MLP's logits for inputs ``x`` with ``weights`` as from ``mlp_weight_shapes``."""
    out = np.asarray(x, dtype=np.float64)
    for layer in range(len(MLP_UNITS)):
        last = layer == len(MLP_UNITS) - 1
        out = dense(out, weights[2 * layer], weights[2 * layer + 1], None if last else "relu")
    return out


def activity_loss(x: np.ndarray, rate: float = RATE) -> float:
    """What ActivityRegularizationLayer adds with add_loss: rate * sum(inputs)."""
    return rate * float(np.sum(np.asarray(x, dtype=np.float64)))
