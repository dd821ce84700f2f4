"""Visible checks for the ``layers`` assignment (可见检查).

Students run these in the notebook. They use shapes, a 2×2 example worked out by hand and
``tf.GradientTape``, never the reference solution. The hidden checks (隐藏检查) try many
more input sizes, activations, weights and rates.

What the checks print, in Chinese and English, is in ``TEXTS`` below; the texts several
assignments share are in ``autograder.visible.messages``.
"""

import numpy as np

from autograder.visible.messages import Text
from autograder.visible.report import Reporter, all_passed

TEXTS: dict[str, Text] = {
    "no_weights_yet": Text("第一次调用前不应有权重", "no weights before the first call"),
    "no_weights_yet_ok": Text("第一次调用前没有权重", "no weights before the first call"),
    "weight_shapes": Text("输入形状为 (3, 5) 之后权重的形状", "weight shapes after an input of shape (3, 5)"),
    "weights_built_ok": Text(
        "第一次以 (3, 5) 的输入调用时创建 W (5, 2) 和 b (2,)",
        "the first call on a (3, 5) input makes W (5, 2), then b (2,)",
    ),
    "by_hand": Text(
        "2×2 手算例子，activation={activation!r}", "the 2×2 example by hand, activation={activation!r}"
    ),
    "by_hand_ok": Text(
        "2×2 手算例子：[[2.5, -1.5]]，用 relu 时为 [[2.5, 0]]",
        "2×2 example by hand: [[2.5, -1.5]], with relu [[2.5, 0]]",
    ),
    "gradients": Text(
        "W 和 b 都应有梯度（只用 TensorFlow 运算）", "W and b must both get a gradient (TensorFlow ops only)"
    ),
    "two_tensors": Text("2 个张量", "2 tensors"),
    "gradients_ok": Text(
        "tf.GradientTape 求得了 W 和 b 的梯度",
        "tf.GradientTape finds gradients for W and b",
    ),
    "config": Text("get_config() 应包含 units 和 activation", "get_config() must have units and activation"),
    "config_ok": Text("get_config() 包含 units 和 activation", "get_config() has units and activation"),
    "identity": Text("应原样返回输入", "must return its input unchanged"),
    "identity_ok": Text("原样返回输入", "returns its input unchanged"),
    "losses": Text("默认 rate=0.1 时的 layer.losses", "layer.losses with the default rate=0.1"),
    "losses_ok": Text("layer.losses 为 [0.1 × 6] = [0.6]", "layer.losses is [0.1 × 6] = [0.6]"),
    "output_shape": Text("4 张图片的输出形状", "output shape for 4 images"),
    "output_ok": Text("输入 4 张图片，输出形状为 (4, 10) 的 logits", "4 images in, (4, 10) logits out"),
    "variable_shapes": Text("可训练变量的形状", "shapes of the trainable variables"),
    "variables_ok": Text("10 个可训练变量，形状都正确", "10 trainable variables of the right shapes"),
    "ten_variables": Text("model 应有 10 个可训练变量", "model must have 10 trainable variables"),
    "ten_variables_ok": Text("model 有 10 个可训练变量", "model has its 10 trainable variables"),
    "train_accuracy": Text("训练图片上的准确率", "accuracy on the training images"),
    "train_accuracy_ok": Text(
        "{count:,} 张训练图片上的准确率：{accuracy:.3f}（至少 0.80）",
        "accuracy on the {count:,} training images: {accuracy:.3f} (at least 0.80)",
    ),
}
say = Reporter(TEXTS)

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
        say.fail(
            "must_subclass", layer_class, say.text("a_class"), name="SimpleDense", base="keras.layers.Layer"
        )
    say.passed("subclasses", name="SimpleDense", base="keras.layers.Layer")
    layer = layer_class(2)
    if layer.weights:
        say.fail("no_weights_yet", _shapes(layer.weights), [])
    say.passed("no_weights_yet_ok")
    layer(np.zeros((3, 5), dtype="float32"))
    if _shapes(layer.weights) != [(5, 2), (2,)]:
        say.fail("weight_shapes", _shapes(layer.weights), [(5, 2), (2,)])
    say.passed("weights_built_ok")
    for activation, expected in ((None, HAND_LINEAR), ("relu", HAND_RELU)):
        layer = layer_class(2, activation=activation)
        layer(X)
        layer.set_weights([W, B])
        got = np.asarray(layer(X))
        if got.shape != expected.shape or not np.allclose(got, expected, atol=1e-6):
            say.fail("by_hand", got, expected, activation=activation)
    say.passed("by_hand_ok")
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        y = layer(x)
    gradients = tape.gradient(y, layer.trainable_variables)
    if len(gradients) != 2 or any(g is None for g in gradients):
        say.fail("gradients", gradients, say.text("two_tensors"))
    say.passed("gradients_ok")
    config = layer.get_config()
    if config.get("units") != 2 or config.get("activation") not in ("relu", {"class_name": "relu"}):
        say.fail(
            "config",
            {k: config.get(k) for k in ("units", "activation")},
            {"units": 2, "activation": "relu"},
        )
    say.passed("config_ok")
    all_passed()


def check_activity_regularization(layer_class):
    """Visible checks for class ActivityRegularizationLayer(keras.layers.Layer)."""
    import keras

    if not (isinstance(layer_class, type) and issubclass(layer_class, keras.layers.Layer)):
        say.fail(
            "must_subclass",
            layer_class,
            say.text("a_class"),
            name="ActivityRegularizationLayer",
            base="keras.layers.Layer",
        )
    say.passed("subclasses", name="ActivityRegularizationLayer", base="keras.layers.Layer")
    x = np.array([[1.0, -2.0], [3.0, 4.0]], dtype="float32")  # sum 6
    layer = layer_class()
    out = np.asarray(layer(x))
    if out.shape != x.shape or not np.array_equal(out, x):
        say.fail("identity", out, x)
    say.passed("identity_ok")
    losses = [float(loss) for loss in layer.losses]
    if len(losses) != 1 or not np.isclose(losses[0], 0.6):
        say.fail("losses", losses, [0.6])
    say.passed("losses_ok")
    all_passed()


def check_mlp(model_class):
    """Visible checks for class MLP(keras.Model)."""
    import keras

    if not (isinstance(model_class, type) and issubclass(model_class, keras.Model)):
        say.fail("must_subclass", model_class, say.text("a_class"), name="MLP", base="keras.Model")
    say.passed("subclasses", name="MLP", base="keras.Model")
    model = model_class()
    logits = np.asarray(model(np.zeros((4, 784), dtype="float32")))
    if logits.shape != (4, 10):
        say.fail("output_shape", logits.shape, (4, 10))
    say.passed("output_ok")
    shapes = _shapes(model.trainable_variables)
    expected = [(784, 256), (256,), (256, 128), (128,), (128, 64), (64,), (64, 32), (32,), (32, 10), (10,)]
    if shapes != expected:
        say.fail("variable_shapes", shapes, expected)
    say.passed("variables_ok")
    all_passed()


def check_training(model, history, x, y):
    """Visible checks for the trained MLP on its training images; the accuracy is computed as the
    grader computes it, from the model's outputs (the grader runs the same weights itself)."""
    epochs = len(getattr(history, "history", {}).get("loss", []))
    if epochs != 2:
        say.fail("epochs_wrong", epochs, 2, n=2)
    say.passed("epochs_ok", n=2)
    if len(model.trainable_variables) != 10:
        say.fail("ten_variables", len(model.trainable_variables), 10)
    say.passed("ten_variables_ok")
    predicted = np.asarray(model.predict(x, verbose=0)).argmax(axis=1)
    accuracy = float(np.mean(predicted == np.asarray(y)))
    if accuracy < 0.80:
        say.fail("train_accuracy", round(accuracy, 3), "≥ 0.80")
    say.passed("train_accuracy_ok", count=len(x), accuracy=accuracy)
    all_passed()
