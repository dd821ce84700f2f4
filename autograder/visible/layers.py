"""Visible checks for the ``layers`` assignment (可见检查).

Students run these in the notebook. They use shapes, a 2×2 example worked out by hand and
``tf.GradientTape``, never the reference solution. The hidden checks (隐藏检查) try many
more input sizes, activations, weights and rates.
"""

import numpy as np

from autograder.visible.report import all_passed, fail, passed, text

X = np.array([[1.0, 2.0]], dtype="float32")
W = np.array([[0.0, 1.0], [1.0, -1.0]], dtype="float32")
B = np.array([0.5, -0.5], dtype="float32")
# By hand: x @ W = [[0·1 + 1·2, 1·1 − 1·2]] = [[2, −1]]; + b = [[2.5, −1.5]]; relu -> [[2.5, 0]].
HAND_LINEAR = np.array([[2.5, -1.5]])
HAND_RELU = np.array([[2.5, 0.0]])


def _shapes(weights):
    return [tuple(w.shape) for w in weights]


def check_simple_dense(layer_class):
    """Visible checks for class SimpleDense(keras.layers.Layer)."""
    import keras
    import tensorflow as tf

    if not (isinstance(layer_class, type) and issubclass(layer_class, keras.layers.Layer)):
        fail("must_subclass", layer_class, text("a_class"), name="SimpleDense", base="keras.layers.Layer")
    passed("subclasses", name="SimpleDense", base="keras.layers.Layer")
    layer = layer_class(2)
    if layer.weights:
        fail("ly.no_weights_yet", _shapes(layer.weights), [])
    passed("ly.no_weights_yet_ok")
    layer(np.zeros((3, 5), dtype="float32"))
    if _shapes(layer.weights) != [(5, 2), (2,)]:
        fail("ly.weight_shapes", _shapes(layer.weights), [(5, 2), (2,)])
    passed("ly.weights_built_ok")
    for activation, expected in ((None, HAND_LINEAR), ("relu", HAND_RELU)):
        layer = layer_class(2, activation=activation)
        layer(X)
        layer.set_weights([W, B])
        got = np.asarray(layer(X))
        if got.shape != expected.shape or not np.allclose(got, expected, atol=1e-6):
            fail("ly.by_hand", got, expected, activation=activation)
    passed("ly.by_hand_ok")
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        y = layer(x)
    gradients = tape.gradient(y, layer.trainable_variables)
    if len(gradients) != 2 or any(g is None for g in gradients):
        fail("ly.gradients", gradients, text("ly.two_tensors"))
    passed("ly.gradients_ok")
    config = layer.get_config()
    if config.get("units") != 2 or config.get("activation") not in ("relu", {"class_name": "relu"}):
        fail(
            "ly.config",
            {k: config.get(k) for k in ("units", "activation")},
            {"units": 2, "activation": "relu"},
        )
    passed("ly.config_ok")
    all_passed()


def check_activity_regularization(layer_class):
    """Visible checks for class ActivityRegularizationLayer(keras.layers.Layer)."""
    import keras

    if not (isinstance(layer_class, type) and issubclass(layer_class, keras.layers.Layer)):
        fail(
            "must_subclass",
            layer_class,
            text("a_class"),
            name="ActivityRegularizationLayer",
            base="keras.layers.Layer",
        )
    passed("subclasses", name="ActivityRegularizationLayer", base="keras.layers.Layer")
    x = np.array([[1.0, -2.0], [3.0, 4.0]], dtype="float32")  # sum 6
    layer = layer_class()
    out = np.asarray(layer(x))
    if out.shape != x.shape or not np.array_equal(out, x):
        fail("ly.identity", out, x)
    passed("ly.identity_ok")
    losses = [float(loss) for loss in layer.losses]
    if len(losses) != 1 or not np.isclose(losses[0], 0.6):
        fail("ly.losses", losses, [0.6])
    passed("ly.losses_ok")
    all_passed()


def check_mlp(model_class):
    """Visible checks for class MLP(keras.Model)."""
    import keras

    if not (isinstance(model_class, type) and issubclass(model_class, keras.Model)):
        fail("must_subclass", model_class, text("a_class"), name="MLP", base="keras.Model")
    passed("subclasses", name="MLP", base="keras.Model")
    model = model_class()
    logits = np.asarray(model(np.zeros((4, 784), dtype="float32")))
    if logits.shape != (4, 10):
        fail("ly.output_shape", logits.shape, (4, 10))
    passed("ly.output_ok")
    shapes = _shapes(model.trainable_variables)
    expected = [(784, 256), (256,), (256, 128), (128,), (128, 64), (64,), (64, 32), (32,), (32, 10), (10,)]
    if shapes != expected:
        fail("ly.variable_shapes", shapes, expected)
    passed("ly.variables_ok")
    all_passed()


def check_training(model, history, x, y):
    """Visible checks for the trained MLP on its training images; the accuracy is computed as the
    grader computes it, from the model's outputs (the grader runs the same weights itself)."""
    epochs = len(getattr(history, "history", {}).get("loss", []))
    if epochs != 2:
        fail("epochs_wrong", epochs, 2, n=2)
    passed("epochs_ok", n=2)
    if len(model.trainable_variables) != 10:
        fail("ly.ten_variables", len(model.trainable_variables), 10)
    passed("ly.ten_variables_ok")
    predicted = np.asarray(model.predict(x, verbose=0)).argmax(axis=1)
    accuracy = float(np.mean(predicted == np.asarray(y)))
    if accuracy < 0.80:
        fail("ly.train_accuracy", round(accuracy, 3), "≥ 0.80")
    passed("ly.train_accuracy_ok", count=len(x), accuracy=accuracy)
    all_passed()
