"""Visible checks for the ``cnn`` assignment (可见检查).

Students run these in the notebook. They use small hand-made images, the model's own
summary numbers and its predictions on the test images, never the reference solution. The
hidden checks (隐藏检查) load the model in the grader and measure it there.

What the checks print, in Chinese and English, is in ``TEXTS`` below; the texts several
assignments share are in ``autograder.visible.messages``.
"""

import warnings

import numpy as np

from autograder.visible.messages import Text
from autograder.visible.report import Reporter, all_passed, setting_name

TEXTS: dict[str, Text] = {
    "shape": Text("形状（别忘了通道维度）", "shape (mind the channel axis)"),
    "dtype": Text("数据类型", "dtype"),
    "shape_ok": Text("形状为 (N, 28, 28, 1)，类型为 float32", "shape (N, 28, 28, 1) and float32"),
    "scaling": Text("像素 255 和 51 应变为 1.0 和 0.2", "pixels 255 and 51 must become 1.0 and 0.2"),
    "scaling_ok": Text("像素缩放到 [0, 1]", "pixels scaled to [0, 1]"),
    "images_changed": Text("images 被修改了", "images was changed"),
    "images_unchanged": Text("没有修改 images", "images unchanged"),
    "missing_layer": Text("缺少 {layer} 层", "no {layer} layer"),
    "in_out_shapes": Text("输入和输出形状", "input and output shapes"),
    "layers_ok": Text("层和形状正确", "layers and shapes"),
    "softmax": Text("输出应是 10 个概率（softmax）", "the output must be 10 probabilities (softmax)"),
    "probabilities": Text("10 个不小于 0 的数，和为 1", "10 numbers ≥ 0 adding up to 1"),
    "softmax_ok": Text("每张图片的输出是 10 个概率", "the output is 10 probabilities per image"),
    "over_budget": Text("参数超出预算", "over the parameter budget"),
    "budget_ok": Text(
        "共 {count:,} 个参数，在 {budget:,} 的预算之内", "{count:,} parameters, within {budget:,}"
    ),
    "not_compiled": Text("模型应已编译", "the model must be compiled"),
    "loss": Text("损失函数", "loss"),
    "compiled_ok": Text(
        "已用 sparse_categorical_crossentropy 编译", "compiled with sparse_categorical_crossentropy"
    ),
    "test_accuracy": Text(
        "测试准确率：{accuracy:.4f}（分档：{tiers}）", "test accuracy: {accuracy:.4f} (tiers: {tiers})"
    ),
    "below_first_tier": Text("测试准确率低于第一档", "test accuracy below the first tier"),
    "tiers_reached": Text("达到的分档", "tiers reached"),
}
say = Reporter(TEXTS)

MAX_PARAMETERS = 500_000
TIERS = (0.88, 0.90, 0.91)  # the accuracy tiers the notebook states


def check_preprocess(preprocess):
    """Visible checks for preprocess(images)."""
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    images[0, 0, 0], images[1, 27, 27] = 255, 51
    original = images.copy()
    got = preprocess(images)
    if not isinstance(got, np.ndarray):
        say.fail("not_ndarray", type(got).__name__, "np.ndarray")
    if got.shape != (2, 28, 28, 1):
        say.fail("shape", got.shape, (2, 28, 28, 1))
    if got.dtype != np.float32:
        say.fail("dtype", str(got.dtype), "float32")
    say.passed("shape_ok")
    if not (np.isclose(got[0, 0, 0, 0], 1.0) and np.isclose(got[1, 27, 27, 0], 0.2) and got.max() <= 1.0):
        say.fail("scaling", (float(got[0, 0, 0, 0]), float(got[1, 27, 27, 0])), (1.0, 0.2))
    say.passed("scaling_ok")
    if images.shape != original.shape or not np.array_equal(images, original):
        say.fail("images_changed", images.shape, original.shape)
    say.passed("images_unchanged")
    all_passed()


def check_build_cnn(build_cnn):
    """Visible checks for build_cnn()."""
    import keras

    # Keras warns about the older input_shape= argument; a graded cell must write nothing to stderr.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = build_cnn()
    if not isinstance(model, keras.Model):
        say.fail("not_a_model", type(model).__name__, "Sequential", name="build_cnn()")
    kinds = [type(layer).__name__ for layer in model.layers if type(layer).__name__ != "InputLayer"]
    for needed in ("Conv2D", "MaxPooling2D", "Flatten"):
        if needed not in kinds:
            say.fail("missing_layer", kinds, needed, layer=needed)
    if tuple(model.input_shape) != (None, 28, 28, 1) or tuple(model.output_shape) != (None, 10):
        say.fail("in_out_shapes", (model.input_shape, model.output_shape), ((None, 28, 28, 1), (None, 10)))
    say.passed("layers_ok", f"{', '.join(kinds)}; (28, 28, 1) -> (10,)")
    probabilities = np.asarray(model(np.zeros((2, 28, 28, 1), dtype="float32")))
    if probabilities.min() < 0 or not np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5):
        say.fail("softmax", np.round(probabilities[0], 4).tolist(), say.text("probabilities"))
    say.passed("softmax_ok")
    if model.count_params() > MAX_PARAMETERS:
        say.fail("over_budget", model.count_params(), f"≤ {MAX_PARAMETERS:,}")
    say.passed("budget_ok", count=model.count_params(), budget=MAX_PARAMETERS)
    if not model.compiled:
        say.fail("not_compiled", False, True)
    loss = setting_name(getattr(model, "loss", None))
    if loss != "sparsecategoricalcrossentropy":
        say.fail("loss", getattr(model, "loss", None), "sparse_categorical_crossentropy")
    say.passed("compiled_ok")
    all_passed()


def check_training(model, x_test, y_test):
    """Visible checks for the trained model (the grader measures the same accuracy itself)."""
    probabilities = np.asarray(model.predict(x_test, verbose=0))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y_test))
    tiers = ", ".join(f"{tier:.2f}" for tier in TIERS)
    say.note("test_accuracy", accuracy=accuracy, tiers=tiers)
    if accuracy < TIERS[0]:
        say.fail("below_first_tier", round(accuracy, 4), f"≥ {TIERS[0]}")
    reached = ", ".join(f"{tier:.2f}" for tier in TIERS if accuracy >= tier)
    say.passed("tiers_reached", f"{accuracy:.4f} ≥ {TIERS[0]:.2f}; {reached}")
    all_passed()
