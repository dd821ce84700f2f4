"""Reference facts for ``first_network``, in NumPy, so the checks need no TensorFlow of their own.

What the two builders must return, the compile settings they must save, and the numbers the
trained models must reach. The models themselves are judged on copies the grader loads in
Keras safe mode (``autograder.models.saved_model``), never on what the kernel reports.
"""

from __future__ import annotations

import numpy as np

# Part 1: y = 3x + 1 learned by one neuron.
XS = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
YS = 3 * XS + 1
LINEAR_EPOCHS = 500  # the locked training cell
PROBE_X = 10.0
EXPECTED_PREDICTION = 31.0  # 3 * 10 + 1; the reference's trained model predicts 31.005
PREDICTION_TOLERANCE = 0.5
LINEAR_INPUT_SHAPE = (None, 1)

# Part 2: Flatten -> Dense(128, relu) -> Dense(10, softmax) on Fashion-MNIST.
CLASSIFIER_INPUT_SHAPE = (None, 28, 28)
CLASSIFIER_LAYERS = (("Flatten", None, None), ("Dense", 128, "relu"), ("Dense", 10, "softmax"))
CLASSES = 10
CLASSIFIER_EPOCHS = 5  # the locked training cell, on all 60,000 training images
MIN_TEST_ACCURACY = 0.85  # reference after 5 epochs: 0.869 on the 10,000 test images; untrained: ~0.1

# Compile settings, as names normalised by ``canonical`` (lower case, no underscores).
LINEAR_OPTIMIZER = "sgd"
LINEAR_LOSSES = frozenset({"meansquarederror", "mse"})
CLASSIFIER_OPTIMIZER = "adam"
CLASSIFIER_LOSSES = frozenset({"sparsecategoricalcrossentropy"})
CLASSIFIER_METRICS = frozenset({"accuracy", "acc", "sparsecategoricalaccuracy"})

# Activations are compared by what they do on these inputs, not by name (tf.nn.softmax is softmax_v2).
ACTIVATION_PROBE = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])


def canonical(name: str) -> str:
    return name.replace("_", "").lower()


def activation(name: str | None, z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    if name is None or name == "linear":
        return z
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(f"unknown activation {name!r}")
