"""Visible checks for the ``losses`` assignment (可见检查).

Students run these in the notebook. They use values worked out by hand, Keras's own
mean squared error and ``tf.GradientTape``, never the reference solution. The hidden
checks (隐藏检查) try many more shapes, dtypes and factors.
"""

import numpy as np

from autograder.visible.report import all_passed, passed

Y_TRUE = np.array([[0.0, 1.0], [1.0, 0.0]], dtype="float32")
Y_PRED = np.array([[0.5, 0.5], [1.0, 0.0]], dtype="float32")
# By hand: squared errors 0.25, 0.25, 0, 0 -> MSE 0.125; (0.5 - y_pred)^2: 0, 0, 0.25, 0.25 -> 0.125.
HAND_MSE = 0.125
HAND_REGULARIZATION = 0.125


def _fail(what, got, expected):
    raise AssertionError(f"{what}\n  got    得到: {got!r}\n  expected 期望: {expected!r}")


def _scalar(value, what):
    import tensorflow as tf

    if not tf.is_tensor(value):
        _fail(
            f"{what} 应返回张量 / must return a tensor (TensorFlow ops only)",
            type(value).__name__,
            "tf.Tensor",
        )
    if value.shape != ():
        _fail(f"{what} 应返回标量 / must return one number (a 0-d tensor)", tuple(value.shape), ())
    return float(value)


def _gradient(loss, what):
    import tensorflow as tf

    y_pred = tf.constant(Y_PRED)
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        value = loss(tf.constant(Y_TRUE), y_pred)
    gradient = tape.gradient(value, y_pred) if tf.is_tensor(value) else None
    if gradient is None:
        _fail(f"{what}: 没有梯度 / no gradient (a NumPy step breaks tf.GradientTape)", None, "a tensor")
    return gradient.numpy()


def check_custom_mean_squared_error(f):
    """Visible checks for custom_mean_squared_error(y_true, y_pred)."""
    import keras

    got = _scalar(f(Y_TRUE, Y_PRED), "custom_mean_squared_error")
    if not np.isclose(got, HAND_MSE):
        _fail("2×2 手算例子 / the 2×2 example worked out by hand", got, HAND_MSE)
    passed("2×2 example by hand, a 0-d tensor / 手算例子，0 维张量: 0.125")
    got = _scalar(f(Y_TRUE.astype("float64"), Y_PRED.astype("float64")), "custom_mean_squared_error")
    if not np.isclose(got, HAND_MSE, rtol=1e-5, atol=1e-6):
        _fail("float64 输入的手算例子 / the example by hand with float64 inputs", got, HAND_MSE)
    passed("the same example with float64 inputs / float64 输入: 0.125")
    rows = np.random.default_rng(0).random((4, 3)).astype("float32")
    targets = np.eye(3, dtype="float32")[[0, 1, 2, 0]]
    expected = float(np.mean(keras.losses.mean_squared_error(targets, rows)))
    got = _scalar(f(targets, rows), "custom_mean_squared_error")
    if not np.isclose(got, expected, rtol=1e-5):
        _fail("与 Keras 的均方误差取平均不一致 / differs from the mean of Keras's MSE", got, expected)
    passed("agrees with the mean of keras.losses.mean_squared_error / 与 Keras 一致")
    gradient = _gradient(f, "custom_mean_squared_error")
    if not np.allclose(gradient, 2 * (Y_PRED - Y_TRUE) / Y_PRED.size, atol=1e-6):
        _fail("梯度不对 / wrong gradient", gradient, 2 * (Y_PRED - Y_TRUE) / Y_PRED.size)
    passed("tf.GradientTape finds the gradient 2(ŷ − y)/n / 梯度正确")
    all_passed()


def check_custom_mse_class(loss_class):
    """Visible checks for class CustomMSE(keras.losses.Loss)."""
    import keras

    if not (isinstance(loss_class, type) and issubclass(loss_class, keras.losses.Loss)):
        _fail(
            "CustomMSE 应是 keras.losses.Loss 的子类 / must subclass keras.losses.Loss", loss_class, "a class"
        )
    passed("CustomMSE subclasses keras.losses.Loss / 是 keras.losses.Loss 的子类")
    loss = loss_class()
    if loss.name != "custom_mse":
        _fail("默认名字 / default name", loss.name, "custom_mse")
    passed("CustomMSE().name is 'custom_mse' / 默认名字正确")
    for factor in (0.0, 0.1, 2.0):
        got = float(loss_class(regularization_factor=factor)(Y_TRUE, Y_PRED))
        expected = HAND_MSE + factor * HAND_REGULARIZATION
        if not np.isclose(got, expected, rtol=1e-5):
            _fail(
                f"regularization_factor={factor} 时的值 / value with regularization_factor={factor}",
                got,
                expected,
            )
    passed("loss(y_true, y_pred) by hand for regularization_factor 0, 0.1, 2 / 手算值正确")
    got = float(loss(Y_TRUE, Y_PRED))
    if not np.isclose(got, HAND_MSE + 0.1 * HAND_REGULARIZATION, rtol=1e-5):
        _fail("默认 regularization_factor=0.1 时的值 / value with the default factor 0.1", got, 0.1375)
    passed("CustomMSE() uses regularization_factor 0.1 / 默认因子为 0.1")
    config = loss_class(regularization_factor=2.0).get_config()
    if config.get("regularization_factor") != 2.0:
        _fail(
            "get_config() 缺少 regularization_factor / get_config() lacks regularization_factor", config, 2.0
        )
    rebuilt = loss_class.from_config(config)
    if not np.isclose(float(rebuilt(Y_TRUE, Y_PRED)), HAND_MSE + 2.0 * HAND_REGULARIZATION, rtol=1e-5):
        _fail("from_config 之后的值 / value after from_config", float(rebuilt(Y_TRUE, Y_PRED)), 0.375)
    passed("CustomMSE.from_config(loss.get_config()) gives the same loss / 配置可往返")
    _gradient(loss, "CustomMSE()")
    passed("tf.GradientTape finds a gradient / 有梯度")
    all_passed()


def check_training(model, history, x_test, y_test):
    """Visible checks for the trained model; the accuracy is computed as the grader computes it
    (from the model's predictions, whatever metrics it was compiled with)."""
    loss = getattr(model, "loss", None)
    if type(loss).__name__ != "CustomMSE":
        _fail("模型没有用 CustomMSE 编译 / the model is not compiled with CustomMSE()", loss, "CustomMSE()")
    passed("model.loss is a CustomMSE / 使用了 CustomMSE")
    epochs = len(getattr(history, "history", {}).get("loss", []))
    if epochs != 1:
        _fail("应训练 1 个 epoch / train for exactly one epoch", epochs, 1)
    passed("history shows one epoch / 训练了 1 个 epoch")
    images = (x_test[:1000] / 255.0).astype("float32")
    predicted = np.asarray(model.predict(images, verbose=0)).argmax(axis=1)
    accuracy = float(np.mean(predicted == y_test[:1000]))
    if accuracy < 0.70:
        _fail("1,000 张测试图片上的准确率 / accuracy on 1,000 test images", round(accuracy, 3), "≥ 0.70")
    passed(f"accuracy on 1,000 test images / 测试准确率: {accuracy:.3f} (at least 0.70)")
    all_passed()
