"""Visible checks for the ``losses`` assignment (可见检查).

Students run these in the notebook. They use values worked out by hand, Keras's own
mean squared error and ``tf.GradientTape``, never the reference solution. The hidden
checks (隐藏检查) try many more shapes, dtypes and factors.

What the checks print, in Chinese and English, is in ``TEXTS`` below; the texts several
assignments share are in ``autograder.visible.messages``.
"""

import numpy as np

from autograder.visible.messages import Text
from autograder.visible.report import Reporter, all_passed

TEXTS: dict[str, Text] = {
    "a_tensor": Text("一个张量", "a tensor"),
    "not_tensor": Text(
        "{name} 应返回张量（只用 TensorFlow 运算）", "{name} must return a tensor (TensorFlow ops only)"
    ),
    "not_scalar": Text("{name} 应返回一个数（0 维张量）", "{name} must return one number (a 0-d tensor)"),
    "no_gradient": Text(
        "{name}：没有梯度（NumPy 运算会打断 tf.GradientTape）",
        "{name}: no gradient (a NumPy step breaks tf.GradientTape)",
    ),
    "by_hand": Text("2×2 手算例子", "the 2×2 example worked out by hand"),
    "by_hand_ok": Text("2×2 手算例子，返回 0 维张量：0.125", "2×2 example by hand, a 0-d tensor: 0.125"),
    "float64": Text("float64 输入的手算例子", "the example by hand with float64 inputs"),
    "float64_ok": Text("float64 输入的同一例子：0.125", "the same example with float64 inputs: 0.125"),
    "keras": Text("与 Keras 的均方误差取平均后不一致", "differs from the mean of Keras's MSE"),
    "keras_ok": Text(
        "与 keras.losses.mean_squared_error 的平均值一致",
        "agrees with the mean of keras.losses.mean_squared_error",
    ),
    "gradient": Text("梯度不对", "wrong gradient"),
    "gradient_ok": Text(
        "tf.GradientTape 求得的梯度是 2(ŷ − y)/n", "tf.GradientTape finds the gradient 2(ŷ − y)/n"
    ),
    "default_name": Text("默认名字", "default name"),
    "default_name_ok": Text("CustomMSE().name 是 'custom_mse'", "CustomMSE().name is 'custom_mse'"),
    "with_factor": Text("regularization_factor={factor} 时的值", "value with regularization_factor={factor}"),
    "factors_ok": Text(
        "regularization_factor 为 0、0.1、2 时，loss(y_true, y_pred) 与手算值一致",
        "loss(y_true, y_pred) by hand for regularization_factor 0, 0.1, 2",
    ),
    "default_factor": Text(
        "默认 regularization_factor=0.1 时的值", "value with the default regularization_factor=0.1"
    ),
    "default_factor_ok": Text(
        "CustomMSE() 默认 regularization_factor 为 0.1", "CustomMSE() uses regularization_factor 0.1"
    ),
    "config": Text("get_config() 缺少 regularization_factor", "get_config() lacks regularization_factor"),
    "from_config": Text("from_config 之后的值", "value after from_config"),
    "config_ok": Text(
        "CustomMSE.from_config(loss.get_config()) 得到同样的损失函数",
        "CustomMSE.from_config(loss.get_config()) gives the same loss",
    ),
    "has_gradient": Text("tf.GradientTape 能求得梯度", "tf.GradientTape finds a gradient"),
    "not_custom_mse": Text("模型没有用 CustomMSE() 编译", "the model is not compiled with CustomMSE()"),
    "custom_mse_ok": Text("model.loss 是 CustomMSE", "model.loss is a CustomMSE"),
    "test_accuracy": Text("1,000 张测试图片上的准确率", "accuracy on 1,000 test images"),
    "test_accuracy_ok": Text(
        "1,000 张测试图片上的准确率：{accuracy:.3f}（至少 0.70）",
        "accuracy on 1,000 test images: {accuracy:.3f} (at least 0.70)",
    ),
}
say = Reporter(TEXTS)

Y_TRUE = np.array([[0.0, 1.0], [1.0, 0.0]], dtype="float32")
Y_PRED = np.array([[0.5, 0.5], [1.0, 0.0]], dtype="float32")
# By hand: squared errors 0.25, 0.25, 0, 0 -> MSE 0.125; (0.5 - y_pred)^2: 0, 0, 0.25, 0.25 -> 0.125.
HAND_MSE = 0.125
HAND_REGULARIZATION = 0.125


def _scalar(value, what):
    import tensorflow as tf

    if not tf.is_tensor(value):
        say.fail("not_tensor", type(value).__name__, "tf.Tensor", name=what)
    if value.shape != ():
        say.fail("not_scalar", tuple(value.shape), (), name=what)
    return float(value)


def _gradient(loss, what):
    import tensorflow as tf

    y_pred = tf.constant(Y_PRED)
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        value = loss(tf.constant(Y_TRUE), y_pred)
    gradient = tape.gradient(value, y_pred) if tf.is_tensor(value) else None
    if gradient is None:
        say.fail("no_gradient", None, say.text("a_tensor"), name=what)
    return gradient.numpy()


def check_custom_mean_squared_error(f):
    """Visible checks for custom_mean_squared_error(y_true, y_pred)."""
    import keras

    got = _scalar(f(Y_TRUE, Y_PRED), "custom_mean_squared_error")
    if not np.isclose(got, HAND_MSE):
        say.fail("by_hand", got, HAND_MSE)
    say.passed("by_hand_ok")
    got = _scalar(f(Y_TRUE.astype("float64"), Y_PRED.astype("float64")), "custom_mean_squared_error")
    if not np.isclose(got, HAND_MSE, rtol=1e-5, atol=1e-6):
        say.fail("float64", got, HAND_MSE)
    say.passed("float64_ok")
    rows = np.random.default_rng(0).random((4, 3)).astype("float32")
    targets = np.eye(3, dtype="float32")[[0, 1, 2, 0]]
    expected = float(np.mean(keras.losses.mean_squared_error(targets, rows)))
    got = _scalar(f(targets, rows), "custom_mean_squared_error")
    if not np.isclose(got, expected, rtol=1e-5):
        say.fail("keras", got, expected)
    say.passed("keras_ok")
    gradient = _gradient(f, "custom_mean_squared_error")
    if not np.allclose(gradient, 2 * (Y_PRED - Y_TRUE) / Y_PRED.size, atol=1e-6):
        say.fail("gradient", gradient, 2 * (Y_PRED - Y_TRUE) / Y_PRED.size)
    say.passed("gradient_ok")
    all_passed()


def check_custom_mse_class(loss_class):
    """Visible checks for class CustomMSE(keras.losses.Loss)."""
    import keras

    if not (isinstance(loss_class, type) and issubclass(loss_class, keras.losses.Loss)):
        say.fail("must_subclass", loss_class, say.text("a_class"), name="CustomMSE", base="keras.losses.Loss")
    say.passed("subclasses", name="CustomMSE", base="keras.losses.Loss")
    loss = loss_class()
    if loss.name != "custom_mse":
        say.fail("default_name", loss.name, "custom_mse")
    say.passed("default_name_ok")
    for factor in (0.0, 0.1, 2.0):
        got = float(loss_class(regularization_factor=factor)(Y_TRUE, Y_PRED))
        expected = HAND_MSE + factor * HAND_REGULARIZATION
        if not np.isclose(got, expected, rtol=1e-5):
            say.fail("with_factor", got, expected, factor=factor)
    say.passed("factors_ok")
    got = float(loss(Y_TRUE, Y_PRED))
    if not np.isclose(got, HAND_MSE + 0.1 * HAND_REGULARIZATION, rtol=1e-5):
        say.fail("default_factor", got, 0.1375)
    say.passed("default_factor_ok")
    config = loss_class(regularization_factor=2.0).get_config()
    if config.get("regularization_factor") != 2.0:
        say.fail("config", config, 2.0)
    rebuilt = loss_class.from_config(config)
    if not np.isclose(float(rebuilt(Y_TRUE, Y_PRED)), HAND_MSE + 2.0 * HAND_REGULARIZATION, rtol=1e-5):
        say.fail("from_config", float(rebuilt(Y_TRUE, Y_PRED)), 0.375)
    say.passed("config_ok")
    _gradient(loss, "CustomMSE()")
    say.passed("has_gradient")
    all_passed()


def check_training(model, history, x_test, y_test):
    """Visible checks for the trained model; the accuracy is computed as the grader computes it
    (from the model's predictions, whatever metrics it was compiled with)."""
    loss = getattr(model, "loss", None)
    if type(loss).__name__ != "CustomMSE":
        say.fail("not_custom_mse", loss, "CustomMSE()")
    say.passed("custom_mse_ok")
    epochs = len(getattr(history, "history", {}).get("loss", []))
    if epochs != 1:
        say.fail("epochs_wrong", epochs, 1, n=1)
    say.passed("epochs_ok", n=1)
    images = (x_test[:1000] / 255.0).astype("float32")
    predicted = np.asarray(model.predict(images, verbose=0)).argmax(axis=1)
    accuracy = float(np.mean(predicted == y_test[:1000]))
    if accuracy < 0.70:
        say.fail("test_accuracy", round(accuracy, 3), "≥ 0.70")
    say.passed("test_accuracy_ok", accuracy=accuracy)
    all_passed()
