"""Visible checks for the ``layers`` assignment (可见检查).

Students run these in the notebook. They use shapes, a 2×2 example worked out by hand and
``tf.GradientTape``, never the reference solution. The hidden checks (隐藏检查) try many
more input sizes, activations, weights and rates.
"""

import numpy as np

from autograder.visible.report import all_passed, passed

X = np.array([[1.0, 2.0]], dtype="float32")
W = np.array([[0.0, 1.0], [1.0, -1.0]], dtype="float32")
B = np.array([0.5, -0.5], dtype="float32")
# By hand: x @ W = [[0·1 + 1·2, 1·1 − 1·2]] = [[2, −1]]; + b = [[2.5, −1.5]]; relu -> [[2.5, 0]].
HAND_LINEAR = np.array([[2.5, -1.5]])
HAND_RELU = np.array([[2.5, 0.0]])


def _fail(what, got, expected):
    raise AssertionError(f"{what}\n  got    得到: {got!r}\n  expected 期望: {expected!r}")


def _shapes(weights):
    return [tuple(w.shape) for w in weights]


def check_simple_dense(layer_class):
    """Visible checks for class SimpleDense(keras.layers.Layer)."""
    import keras
    import tensorflow as tf

    if not (isinstance(layer_class, type) and issubclass(layer_class, keras.layers.Layer)):
        _fail(
            "SimpleDense 应是 keras.layers.Layer 的子类 / must subclass keras.layers.Layer",
            layer_class,
            "a class",
        )
    passed("SimpleDense subclasses keras.layers.Layer / 是 keras.layers.Layer 的子类")
    layer = layer_class(2)
    if layer.weights:
        _fail("第一次调用前不应有权重 / no weights before the first call", _shapes(layer.weights), [])
    passed("no weights before the first call / 第一次调用前没有权重")
    layer(np.zeros((3, 5), dtype="float32"))
    if _shapes(layer.weights) != [(5, 2), (2,)]:
        _fail(
            "输入 (3, 5) 之后权重的形状 / weight shapes after an input of shape (3, 5)",
            _shapes(layer.weights),
            [(5, 2), (2,)],
        )
    passed("the first call on a (3, 5) input makes W (5, 2), then b (2,) / 第一次调用时创建权重")
    for activation, expected in ((None, HAND_LINEAR), ("relu", HAND_RELU)):
        layer = layer_class(2, activation=activation)
        layer(X)
        layer.set_weights([W, B])
        got = np.asarray(layer(X))
        if got.shape != expected.shape or not np.allclose(got, expected, atol=1e-6):
            _fail(
                f"2×2 手算例子，activation={activation!r} / the 2×2 example by hand, activation={activation!r}",
                got,
                expected,
            )
    passed("2×2 example by hand / 手算例子: [[2.5, -1.5]], with relu [[2.5, 0]]")
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        y = layer(x)
    gradients = tape.gradient(y, layer.trainable_variables)
    if len(gradients) != 2 or any(g is None for g in gradients):
        _fail(
            "W 和 b 都应有梯度 / W and b must both get a gradient (TensorFlow ops only)",
            gradients,
            "2 tensors",
        )
    passed("tf.GradientTape finds gradients for W and b / W 和 b 都有梯度")
    config = layer.get_config()
    if config.get("units") != 2 or config.get("activation") not in ("relu", {"class_name": "relu"}):
        _fail(
            "get_config() 应有 units 和 activation / get_config() must have units and activation",
            {k: config.get(k) for k in ("units", "activation")},
            {"units": 2, "activation": "relu"},
        )
    passed("get_config() has units and activation / 配置包含 units 和 activation")
    all_passed()


def check_activity_regularization(layer_class):
    """Visible checks for class ActivityRegularizationLayer(keras.layers.Layer)."""
    import keras

    if not (isinstance(layer_class, type) and issubclass(layer_class, keras.layers.Layer)):
        _fail(
            "ActivityRegularizationLayer 应是 keras.layers.Layer 的子类 / must subclass keras.layers.Layer",
            layer_class,
            "a class",
        )
    passed("ActivityRegularizationLayer subclasses keras.layers.Layer / 是 keras.layers.Layer 的子类")
    x = np.array([[1.0, -2.0], [3.0, 4.0]], dtype="float32")  # sum 6
    layer = layer_class()
    out = np.asarray(layer(x))
    if out.shape != x.shape or not np.array_equal(out, x):
        _fail("应原样返回输入 / must return its input unchanged", out, x)
    passed("returns its input unchanged / 原样返回输入")
    losses = [float(loss) for loss in layer.losses]
    if len(losses) != 1 or not np.isclose(losses[0], 0.6):
        _fail("默认 rate=0.1 时 layer.losses / layer.losses with the default rate=0.1", losses, [0.6])
    passed("layer.losses is [0.1 × 6] = [0.6] / 损失为 0.6")
    all_passed()


def check_mlp(model_class):
    """Visible checks for class MLP(keras.Model)."""
    import keras

    if not (isinstance(model_class, type) and issubclass(model_class, keras.Model)):
        _fail("MLP 应是 keras.Model 的子类 / must subclass keras.Model", model_class, "a class")
    passed("MLP subclasses keras.Model / 是 keras.Model 的子类")
    model = model_class()
    logits = np.asarray(model(np.zeros((4, 784), dtype="float32")))
    if logits.shape != (4, 10):
        _fail("4 张图片的输出形状 / output shape for 4 images", logits.shape, (4, 10))
    passed("4 images in, (4, 10) logits out / 输出形状正确")
    shapes = _shapes(model.trainable_variables)
    expected = [(784, 256), (256,), (256, 128), (128,), (128, 64), (64,), (64, 32), (32,), (32, 10), (10,)]
    if shapes != expected:
        _fail("可训练变量的形状 / shapes of the trainable variables", shapes, expected)
    passed("10 trainable variables of the right shapes / 10 个可训练变量")
    all_passed()


def check_training(model, history, x, y):
    """Visible checks for the trained MLP on its training images; the accuracy is computed as the
    grader computes it, from the model's outputs (the grader runs the same weights itself)."""
    epochs = len(getattr(history, "history", {}).get("loss", []))
    if epochs != 2:
        _fail("应训练 2 个 epoch / train for exactly two epochs", epochs, 2)
    passed("history shows two epochs / 训练了 2 个 epoch")
    if len(model.trainable_variables) != 10:
        _fail(
            "model 应有 10 个可训练变量 / model must have 10 trainable variables",
            len(model.trainable_variables),
            10,
        )
    passed("model has its 10 trainable variables / 10 个可训练变量")
    predicted = np.asarray(model.predict(x, verbose=0)).argmax(axis=1)
    accuracy = float(np.mean(predicted == np.asarray(y)))
    if accuracy < 0.80:
        _fail("训练图片上的准确率 / accuracy on the training images", round(accuracy, 3), "≥ 0.80")
    passed(f"accuracy on the {len(x):,} training images / 训练准确率: {accuracy:.3f} (at least 0.80)")
    all_passed()
