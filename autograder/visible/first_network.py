"""Visible checks for the ``first_network`` assignment (可见检查).

Students run these in the notebook. They use only what the notebook states (the layers asked
for, y = 3x + 1, Fashion-MNIST's test images), never the reference solution. Like the grader,
they save each model and load it back in Keras safe mode, so a model the grader cannot load
(for example one with a ``Lambda`` layer or a function of its own as activation) is caught here
first. The hidden checks
(隐藏检查) read the compile settings from that saved file and measure the trained models
themselves.
"""

import os
import tempfile
import warnings

import numpy as np

from autograder.models import tensorflow_activation_aliases
from autograder.visible.report import all_passed, passed, setting_name


def _fail(what, got, expected):
    raise AssertionError(f"{what}\n  got    得到: {got!r}\n  expected 期望: {expected!r}")


def _built(builder):
    """``builder()`` without Keras's warnings (e.g. for ``input_shape=``): nothing goes to stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return builder()


def _layers(model):
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _describe(layers):
    return [f"{type(layer).__name__}({getattr(layer, 'units', '')})" for layer in layers]


def _input_shape(model):
    try:
        return tuple(model.inputs[0].shape)
    except (AttributeError, IndexError, ValueError):
        return None


def _safe_copy(model, name):
    """Save and load back as the grader does: built-in layers only, Keras safe mode."""
    import keras

    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = os.path.join(folder, "model.keras")
        model.save(path)
        try:
            return keras.models.load_model(
                path, safe_mode=True, compile=False, custom_objects=tensorflow_activation_aliases()
            )
        except Exception as error:  # noqa: BLE001 (shown to the student)
            _fail(
                f"{name}() 的模型无法在安全模式下载入 / the model of {name}() cannot be loaded in safe mode "
                '(use activation="relu" / "softmax" strings, not tf.nn functions)',
                f"{type(error).__name__}: {str(error)[:200]}",
                "a model of built-in layers",
            )


def _optimizer(model):
    """The optimizer's class as a lower-case name ("sgd", "adam"); its own name gets numbered."""
    return type(getattr(model, "optimizer", None)).__name__.lower()


def _acts_like(function, expected):
    z = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]], dtype="float32")
    return np.allclose(np.asarray(function(z)), expected(z), atol=1e-6)


def _linear(z):
    return z


def _relu(z):
    return np.maximum(z, 0)


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def check_linear_model(build_linear_model, linear_model):
    """Visible checks for build_linear_model() and the trained linear_model."""
    import keras

    model = _built(build_linear_model)
    if not isinstance(model, keras.Model):
        _fail(
            "build_linear_model() 应返回 Keras 模型 / must return a Keras model",
            type(model).__name__,
            "Sequential",
        )
    layers = _layers(model)
    if _describe(layers) != ["Dense(1)"] or not _acts_like(layers[0].activation, _linear):
        _fail(
            "应只有一层 Dense(1)，无激活函数 / one Dense(1) layer, no activation",
            _describe(layers),
            ["Dense(1)"],
        )
    if _input_shape(model) != (None, 1):
        _fail("输入形状 / input shape (keras.Input(shape=(1,)))", _input_shape(model), (None, 1))
    passed("one Dense(1) layer, input shape (1,) / 一个神经元")
    optimizer = _optimizer(model)
    loss = setting_name(getattr(model, "loss", None))
    if optimizer != "sgd" or loss not in ("meansquarederror", "mse"):
        _fail(
            "编译设置 / compile settings (optimizer, loss)",
            (getattr(model, "optimizer", None), getattr(model, "loss", None)),
            ("sgd", "mean_squared_error"),
        )
    passed("compiled with sgd and mean_squared_error / 编译设置正确")
    _safe_copy(model, "build_linear_model")
    passed("saves and loads back in safe mode / 可以安全地保存和载入")
    prediction = float(np.asarray(linear_model(np.array([[10.0]], dtype="float32")))[0, 0])
    if abs(prediction - 31.0) > 0.5:
        _fail(
            "训练后 x = 10 处的预测 / prediction at x = 10 after training", round(prediction, 3), "31 ± 0.5"
        )
    passed(f"linear_model predicts {prediction:.3f} at x = 10 (y = 3x + 1 gives 31) / 预测正确")
    all_passed()


def check_fashion_classifier(build_fashion_classifier):
    """Visible checks for build_fashion_classifier()."""
    import keras

    model = _built(build_fashion_classifier)
    if not isinstance(model, keras.Model):
        _fail(
            "build_fashion_classifier() 应返回 Keras 模型 / must return a Keras model",
            type(model).__name__,
            "Sequential",
        )
    layers = _layers(model)
    expected = ["Flatten()", "Dense(128)", "Dense(10)"]
    if _describe(layers) != expected:
        _fail("模型的层 / the model's layers", _describe(layers), expected)
    if not _acts_like(layers[1].activation, _relu) or not _acts_like(layers[2].activation, _softmax):
        _fail("激活函数 / activations", [layers[1].activation, layers[2].activation], ["relu", "softmax"])
    passed("Flatten → Dense(128, relu) → Dense(10, softmax) / 层正确")
    if _input_shape(model) != (None, 28, 28):
        _fail("输入形状 / input shape (keras.Input(shape=(28, 28)))", _input_shape(model), (None, 28, 28))
    out = np.asarray(model(np.zeros((2, 28, 28), dtype="float32")))
    if out.shape != (2, 10):
        _fail("2 张图片的输出形状 / output shape for 2 images", out.shape, (2, 10))
    passed("input (28, 28), output (batch, 10) / 形状正确")
    metrics = (model.get_compile_config().get("metrics") or []) if model.compiled else []
    settings = (_optimizer(model), setting_name(getattr(model, "loss", None)), [setting_name(m) for m in metrics])
    accuracy = {"accuracy", "acc", "sparsecategoricalaccuracy"}
    if settings[:2] != ("adam", "sparsecategoricalcrossentropy") or not accuracy & set(settings[2]):
        _fail(
            "编译设置 / compile settings (optimizer, loss, metrics)",
            settings,
            ("adam", "sparse_categorical_crossentropy", ["accuracy"]),
        )
    passed('compiled with adam, sparse_categorical_crossentropy, metrics=["accuracy"] / 编译设置正确')
    _safe_copy(model, "build_fashion_classifier")
    passed("saves and loads back in safe mode / 可以安全地保存和载入")
    all_passed()


def check_classifier_training(classifier, history, x_test, y_test):
    """Visible checks for the trained classifier (the grader measures the same accuracy itself)."""
    epochs = len(history.history.get("loss", []))
    if epochs != 5:
        _fail("应训练 5 个 epoch / train for exactly five epochs", epochs, 5)
    passed("history has 5 epochs / 训练了 5 个 epoch")
    probabilities = np.asarray(classifier.predict(x_test, verbose=0))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y_test))
    if accuracy < 0.85:
        _fail(
            "10,000 张测试图片上的准确率 / accuracy on the 10,000 test images", round(accuracy, 3), "≥ 0.85"
        )
    passed(f"accuracy on the {len(y_test):,} test images / 测试准确率: {accuracy:.3f}")
    all_passed()
