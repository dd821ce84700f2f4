"""Visible checks for the ``cnn`` assignment (可见检查).

Students run these in the notebook. They use small hand-made images, the model's own
summary numbers and its predictions on the test images, never the reference solution. The
hidden checks (隐藏检查) load the model in the grader and measure it there.
"""

import warnings

import numpy as np

from autograder.visible.report import all_passed, passed, setting_name

MAX_PARAMETERS = 500_000
TIERS = (0.88, 0.90, 0.91)  # the accuracy tiers the notebook states


def _fail(what, got, expected):
    raise AssertionError(f"{what}\n  got    得到: {got!r}\n  expected 期望: {expected!r}")


def check_preprocess(preprocess):
    """Visible checks for preprocess(images)."""
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    images[0, 0, 0], images[1, 27, 27] = 255, 51
    original = images.copy()
    got = preprocess(images)
    if not isinstance(got, np.ndarray):
        _fail("应返回 NumPy 数组 / must return a NumPy array", type(got).__name__, "np.ndarray")
    if got.shape != (2, 28, 28, 1):
        _fail("形状（别忘了通道维度）/ shape (mind the channel axis)", got.shape, (2, 28, 28, 1))
    if got.dtype != np.float32:
        _fail("数据类型 / dtype", str(got.dtype), "float32")
    passed("shape (N, 28, 28, 1) and float32 / 形状和数据类型正确")
    if not (np.isclose(got[0, 0, 0, 0], 1.0) and np.isclose(got[1, 27, 27, 0], 0.2) and got.max() <= 1.0):
        _fail(
            "像素 255 和 51 应变为 1.0 和 0.2 / pixels 255 and 51 must become 1.0 and 0.2",
            (float(got[0, 0, 0, 0]), float(got[1, 27, 27, 0])),
            (1.0, 0.2),
        )
    passed("pixels scaled to [0, 1] / 像素缩放到 [0, 1]")
    if images.shape != original.shape or not np.array_equal(images, original):
        _fail("images 被修改了 / images was changed", images.shape, original.shape)
    passed("images unchanged / 没有修改输入")
    all_passed()


def check_build_cnn(build_cnn):
    """Visible checks for build_cnn()."""
    import keras

    # Keras warns about the older input_shape= argument; a graded cell must write nothing to stderr.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = build_cnn()
    if not isinstance(model, keras.Model):
        _fail("应返回 Keras 模型 / must return a Keras model", type(model).__name__, "Sequential")
    kinds = [type(layer).__name__ for layer in model.layers if type(layer).__name__ != "InputLayer"]
    for needed in ("Conv2D", "MaxPooling2D", "Flatten"):
        if needed not in kinds:
            _fail(f"缺少 {needed} 层 / no {needed} layer", kinds, needed)
    if tuple(model.input_shape) != (None, 28, 28, 1) or tuple(model.output_shape) != (None, 10):
        _fail(
            "输入和输出形状 / input and output shapes",
            (model.input_shape, model.output_shape),
            ((None, 28, 28, 1), (None, 10)),
        )
    passed(f"layers {', '.join(kinds)}; (28, 28, 1) -> (10,) / 层和形状正确")
    probabilities = np.asarray(model(np.zeros((2, 28, 28, 1), dtype="float32")))
    if probabilities.min() < 0 or not np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5):
        _fail(
            "输出应是 10 个概率（softmax）/ the output must be 10 probabilities (softmax)",
            np.round(probabilities[0], 4).tolist(),
            "10 numbers ≥ 0 adding up to 1",
        )
    passed("the output is 10 probabilities per image / 输出是概率")
    if model.count_params() > MAX_PARAMETERS:
        _fail("参数超出预算 / over the parameter budget", model.count_params(), f"≤ {MAX_PARAMETERS:,}")
    passed(f"{model.count_params():,} parameters, within {MAX_PARAMETERS:,} / 参数在预算之内")
    if not model.compiled:
        _fail("模型应已编译 / the model must be compiled", False, True)
    loss = setting_name(getattr(model, "loss", None))
    if loss != "sparsecategoricalcrossentropy":
        _fail("损失函数 / loss", getattr(model, "loss", None), "sparse_categorical_crossentropy")
    passed("compiled with sparse_categorical_crossentropy / 已编译，损失函数正确")
    all_passed()


def check_training(model, x_test, y_test):
    """Visible checks for the trained model (the grader measures the same accuracy itself)."""
    probabilities = np.asarray(model.predict(x_test, verbose=0))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y_test))
    tiers = ", ".join(f"{tier:.2f}" for tier in TIERS)
    print(f"  test accuracy / 测试准确率: {accuracy:.4f} (tiers / 分档: {tiers})")
    if accuracy < TIERS[0]:
        _fail("测试准确率低于第一档 / test accuracy below the first tier", round(accuracy, 4), f"≥ {TIERS[0]}")
    reached = ", ".join(f"{tier:.2f}" for tier in TIERS if accuracy >= tier)
    passed(f"{accuracy:.4f} ≥ {TIERS[0]:.2f}, tiers reached / 达到的分档: {reached}")
    all_passed()
