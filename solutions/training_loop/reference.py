"""Reference behaviour for ``training_loop`` (never shown to students); the reference solution itself is
in the solution cells of ``source/training_loop/training_loop.ipynb``.

What the hidden checks compare with, in NumPy only (the grader never imports TensorFlow): the stochastic
gradient descent a correct hand-written loop does on the grader's small softmax classifier, batch by
batch, with the per-epoch means it must log; ``make_model()``'s forward pass; the overfitting bounds.
"""

from __future__ import annotations

import numpy as np

PLAIN_EPOCHS = 20  # fit_with_validation's default, as the notebook runs it
SMALL_TRAIN = 1000  # part 4 trains on the first 1,000 training images ...
VALIDATION = 2000  # ... and validates on the last 2,000, which no part trains on
MIN_PLAIN_GAP = 0.08  # the plain model must overfit visibly: training minus validation accuracy
GAP_MARGIN = 0.02  # the regularized model's gap must be at least this much smaller
MIN_VAL_ACCURACY = 0.75  # and it must still have learned: a model that learns nothing has no gap either
HISTORY_TOLERANCE = 0.005  # a History's last val_accuracy against the grader's own measure
MIN_LOOP_ACCURACY = 0.7  # part 2's model on the last 2,000 training images (reference: 0.79)
MODEL_SHAPES = [(784, 128), (128,), (128, 10), (10,)]  # make_model()'s weights


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def sgd_by_hand(
    weights: list[np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    epochs: int,
    learning_rate: float,
) -> tuple[dict[str, list[float]], list[np.ndarray]]:
    """A hand-written loop's history and final weights for a one-layer softmax classifier (Dense without
    activation, sparse cross-entropy on logits), batches in order, plain SGD, in float64."""
    kernel, bias = (np.asarray(w, np.float64).copy() for w in weights)
    history: dict[str, list[float]] = {"loss": [], "accuracy": []}
    for _ in range(epochs):
        losses, correct = [], 0
        for start in range(0, len(x), batch_size):
            xb, yb = x[start : start + batch_size].astype(np.float64), y[start : start + batch_size]
            logits = xb @ kernel + bias
            p = softmax(logits)
            losses.append(float(-np.mean(np.log(p[np.arange(len(yb)), yb]))))
            correct += int(np.sum(np.argmax(logits, axis=1) == yb))
            error = p.copy()
            error[np.arange(len(yb)), yb] -= 1.0
            kernel -= learning_rate * xb.T @ error / len(yb)
            bias -= learning_rate * error.mean(axis=0)
        history["loss"].append(float(np.mean(losses)))
        history["accuracy"].append(correct / len(x))
    return history, [kernel, bias]


def never_reset(history: dict[str, list[float]]) -> dict[str, list[float]]:
    """What meters that are never reset log: each epoch the mean of all epochs so far (batches of equal
    size, so the running mean of the per-epoch means)."""
    return {
        key: [float(np.mean(values[: i + 1])) for i in range(len(values))] for key, values in history.items()
    }


def dense_relu_dense(weights: list[np.ndarray], images: np.ndarray) -> np.ndarray:
    """``make_model()``'s logits for ``images``: Flatten, Dense with relu, Dense (no dropout at inference)."""
    w1, b1, w2, b2 = (np.asarray(w, np.float64) for w in weights)
    hidden = np.maximum(images.reshape(len(images), -1).astype(np.float64) @ w1 + b1, 0.0)
    return hidden @ w2 + b2
