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
PLAIN_GAP = 0.161  # the reference's plain model, seed 42, batch size 32 (the notebook's table)
GAP_MARGIN = 0.015  # the regularized gap must be this much below min(the student's plain gap, PLAIN_GAP)
MIN_VAL_ACCURACY = 0.75  # and it must still have learned: a model that learns nothing has no gap either
MAX_VAL_ACCURACY = 0.85  # above this, 1,000 training images did not do it alone: x_val was trained on
MOST_NEGATIVE_GAP = -0.02  # validation far above training accuracy: the two data sets were swapped
MOST_ABOVE_TEST = (
    0.02  # validation accuracy above the test set's by more: x_val was trained on (honest: <= 0.007)
)
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
) -> tuple[dict[str, list[float]], list[np.ndarray], list[float]]:
    """A hand-written loop's history and final weights for a one-layer softmax classifier (Dense without
    activation, sparse cross-entropy on logits), batches in order, plain SGD, in float64.

    The history's loss is the mean of the batch losses, as ``Mean().update_state(loss)`` gives; the
    third value is each epoch's loss weighted by batch size (``sample_weight=len(y)``, as ``fit`` logs
    it), which differs only when the last batch is shorter and is accepted too."""
    kernel, bias = (np.asarray(w, np.float64).copy() for w in weights)
    history: dict[str, list[float]] = {"loss": [], "accuracy": []}
    weighted: list[float] = []
    for _ in range(epochs):
        losses, sizes, correct = [], [], 0
        for start in range(0, len(x), batch_size):
            xb, yb = x[start : start + batch_size].astype(np.float64), y[start : start + batch_size]
            logits = xb @ kernel + bias
            p = softmax(logits)
            losses.append(float(-np.mean(np.log(p[np.arange(len(yb)), yb]))))
            sizes.append(len(yb))
            correct += int(np.sum(np.argmax(logits, axis=1) == yb))
            error = p.copy()
            error[np.arange(len(yb)), yb] -= 1.0
            kernel -= learning_rate * xb.T @ error / len(yb)
            bias -= learning_rate * error.mean(axis=0)
        history["loss"].append(float(np.mean(losses)))
        history["accuracy"].append(correct / len(x))
        weighted.append(float(np.average(losses, weights=sizes)))
    return history, [kernel, bias], weighted


def never_reset(history: dict[str, list[float]]) -> dict[str, list[float]]:
    """What meters that are never reset log: each epoch the mean of all epochs so far (every epoch has
    the same batches, so the running mean of the per-epoch means)."""
    return {
        key: [float(np.mean(values[: i + 1])) for i in range(len(values))] for key, values in history.items()
    }


def dense_relu_dense(weights: list[np.ndarray], images: np.ndarray) -> np.ndarray:
    """``make_model()``'s logits for ``images``: Flatten, Dense with relu, Dense (no dropout at inference)."""
    w1, b1, w2, b2 = (np.asarray(w, np.float64) for w in weights)
    hidden = np.maximum(images.reshape(len(images), -1).astype(np.float64) @ w1 + b1, 0.0)
    return hidden @ w2 + b2
