"""Visible checks for the ``losses`` assignment (可见检查).

Students run these in the notebook. They use values worked out by hand, Keras's own
mean squared error and ``tf.GradientTape``, never the reference solution. The hidden
checks (隐藏检查) try many more shapes, dtypes and factors.
"""

import numpy as np

from autograder.visible.report import all_passed, fail, passed, text

Y_TRUE = np.array([[0.0, 1.0], [1.0, 0.0]], dtype="float32")
Y_PRED = np.array([[0.5, 0.5], [1.0, 0.0]], dtype="float32")
# By hand: squared errors 0.25, 0.25, 0, 0 -> MSE 0.125; (0.5 - y_pred)^2: 0, 0, 0.25, 0.25 -> 0.125.
HAND_MSE = 0.125
HAND_REGULARIZATION = 0.125


def _scalar(value, what):
    import tensorflow as tf

    if not tf.is_tensor(value):
        fail("ls.not_tensor", type(value).__name__, "tf.Tensor", name=what)
    if value.shape != ():
        fail("ls.not_scalar", tuple(value.shape), (), name=what)
    return float(value)


def _gradient(loss, what):
    import tensorflow as tf

    y_pred = tf.constant(Y_PRED)
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        value = loss(tf.constant(Y_TRUE), y_pred)
    gradient = tape.gradient(value, y_pred) if tf.is_tensor(value) else None
    if gradient is None:
        fail("ls.no_gradient", None, text("a_tensor"), name=what)
    return gradient.numpy()


def check_custom_mean_squared_error(f):
    """Visible checks for custom_mean_squared_error(y_true, y_pred)."""
    import keras

    got = _scalar(f(Y_TRUE, Y_PRED), "custom_mean_squared_error")
    if not np.isclose(got, HAND_MSE):
        fail("ls.by_hand", got, HAND_MSE)
    passed("ls.by_hand_ok")
    got = _scalar(f(Y_TRUE.astype("float64"), Y_PRED.astype("float64")), "custom_mean_squared_error")
    if not np.isclose(got, HAND_MSE, rtol=1e-5, atol=1e-6):
        fail("ls.float64", got, HAND_MSE)
    passed("ls.float64_ok")
    rows = np.random.default_rng(0).random((4, 3)).astype("float32")
    targets = np.eye(3, dtype="float32")[[0, 1, 2, 0]]
    expected = float(np.mean(keras.losses.mean_squared_error(targets, rows)))
    got = _scalar(f(targets, rows), "custom_mean_squared_error")
    if not np.isclose(got, expected, rtol=1e-5):
        fail("ls.keras", got, expected)
    passed("ls.keras_ok")
    gradient = _gradient(f, "custom_mean_squared_error")
    if not np.allclose(gradient, 2 * (Y_PRED - Y_TRUE) / Y_PRED.size, atol=1e-6):
        fail("ls.gradient", gradient, 2 * (Y_PRED - Y_TRUE) / Y_PRED.size)
    passed("ls.gradient_ok")
    all_passed()


def check_custom_mse_class(loss_class):
    """Visible checks for class CustomMSE(keras.losses.Loss)."""
    import keras

    if not (isinstance(loss_class, type) and issubclass(loss_class, keras.losses.Loss)):
        fail("must_subclass", loss_class, text("a_class"), name="CustomMSE", base="keras.losses.Loss")
    passed("subclasses", name="CustomMSE", base="keras.losses.Loss")
    loss = loss_class()
    if loss.name != "custom_mse":
        fail("ls.default_name", loss.name, "custom_mse")
    passed("ls.default_name_ok")
    for factor in (0.0, 0.1, 2.0):
        got = float(loss_class(regularization_factor=factor)(Y_TRUE, Y_PRED))
        expected = HAND_MSE + factor * HAND_REGULARIZATION
        if not np.isclose(got, expected, rtol=1e-5):
            fail("ls.with_factor", got, expected, factor=factor)
    passed("ls.factors_ok")
    got = float(loss(Y_TRUE, Y_PRED))
    if not np.isclose(got, HAND_MSE + 0.1 * HAND_REGULARIZATION, rtol=1e-5):
        fail("ls.default_factor", got, 0.1375)
    passed("ls.default_factor_ok")
    config = loss_class(regularization_factor=2.0).get_config()
    if config.get("regularization_factor") != 2.0:
        fail("ls.config", config, 2.0)
    rebuilt = loss_class.from_config(config)
    if not np.isclose(float(rebuilt(Y_TRUE, Y_PRED)), HAND_MSE + 2.0 * HAND_REGULARIZATION, rtol=1e-5):
        fail("ls.from_config", float(rebuilt(Y_TRUE, Y_PRED)), 0.375)
    passed("ls.config_ok")
    _gradient(loss, "CustomMSE()")
    passed("ls.has_gradient")
    all_passed()


def check_training(model, history, x_test, y_test):
    """Visible checks for the trained model; the accuracy is computed as the grader computes it
    (from the model's predictions, whatever metrics it was compiled with)."""
    loss = getattr(model, "loss", None)
    if type(loss).__name__ != "CustomMSE":
        fail("ls.not_custom_mse", loss, "CustomMSE()")
    passed("ls.custom_mse_ok")
    epochs = len(getattr(history, "history", {}).get("loss", []))
    if epochs != 1:
        fail("epochs_wrong", epochs, 1, n=1)
    passed("epochs_ok", n=1)
    images = (x_test[:1000] / 255.0).astype("float32")
    predicted = np.asarray(model.predict(images, verbose=0)).argmax(axis=1)
    accuracy = float(np.mean(predicted == y_test[:1000]))
    if accuracy < 0.70:
        fail("ls.test_accuracy", round(accuracy, 3), "≥ 0.70")
    passed("ls.test_accuracy_ok", accuracy=accuracy)
    all_passed()
