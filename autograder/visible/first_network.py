"""Visible checks for the ``first_network`` assignment (可见检查).

Students run these in the notebook. They use only what the notebook states (the layers asked
for, y = 3x + 1, Fashion-MNIST's test images), never the reference solution. Like the grader,
they save each model and load it back in Keras safe mode, so a model the grader cannot load
(for example one with a ``Lambda`` layer or a function of its own as activation) is caught here
first. The hidden checks
(隐藏检查) read the compile settings from that saved file and measure the trained models
themselves.

What the checks print, in Chinese and English, is in ``TEXTS`` below; the texts several
assignments share are in ``autograder.visible.messages``.
"""

import os
import tempfile
import warnings

import numpy as np

from autograder.model_runner import tensorflow_activation_aliases
from autograder.visible.messages import Text
from autograder.visible.report import Reporter, all_passed, setting_name

TEXTS: dict[str, Text] = {
    "unsafe": Text(
        "{name}() 的模型无法在安全模式下载入"
        '（激活函数请写成 "relu"、"softmax" 这样的字符串，不要用 tf.nn 函数）',
        "the model of {name}() cannot be loaded in safe mode "
        '(use activation="relu" / "softmax" strings, not tf.nn functions)',
    ),
    "builtin_layers": Text("只由内置层组成的模型", "a model of built-in layers"),
    "one_dense": Text("应只有一层 Dense(1)，没有激活函数", "one Dense(1) layer, no activation"),
    "input_shape": Text("输入形状（{hint}）", "input shape ({hint})"),
    "linear_layers_ok": Text("只有一层 Dense(1)，输入形状 (1,)", "one Dense(1) layer, input shape (1,)"),
    "compile_settings": Text("编译设置（{settings}）", "compile settings ({settings})"),
    "sgd_ok": Text("已用 sgd 和 mean_squared_error 编译", "compiled with sgd and mean_squared_error"),
    "safe_ok": Text("能在安全模式下保存并载入", "saves and loads back in safe mode"),
    "prediction": Text("训练后在 x = 10 处的预测", "prediction at x = 10 after training"),
    "prediction_ok": Text(
        "linear_model 在 x = 10 处预测 {prediction:.3f}（按 y = 3x + 1 应为 31）",
        "linear_model predicts {prediction:.3f} at x = 10 (y = 3x + 1 gives 31)",
    ),
    "layers": Text("模型的层", "the model's layers"),
    "activations": Text("激活函数", "activations"),
    "classifier_layers_ok": Text(
        "层正确：Flatten → Dense(128, relu) → Dense(10, softmax)",
        "layers: Flatten → Dense(128, relu) → Dense(10, softmax)",
    ),
    "output_shape": Text("2 张图片的输出形状", "output shape for 2 images"),
    "shapes_ok": Text("输入 (28, 28)，输出 (batch, 10)", "input (28, 28), output (batch, 10)"),
    "adam_ok": Text(
        '已用 adam、sparse_categorical_crossentropy 和 metrics=["accuracy"] 编译',
        'compiled with adam, sparse_categorical_crossentropy, metrics=["accuracy"]',
    ),
    "test_accuracy": Text("{count:,} 张测试图片上的准确率", "accuracy on the {count:,} test images"),
}
say = Reporter(TEXTS)


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
            say.fail(
                "unsafe",
                f"{type(error).__name__}: {str(error)[:200]}",
                say.text("builtin_layers"),
                name=name,
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
        say.fail("not_a_model", type(model).__name__, "Sequential", name="build_linear_model()")
    layers = _layers(model)
    if _describe(layers) != ["Dense(1)"] or not _acts_like(layers[0].activation, _linear):
        say.fail("one_dense", _describe(layers), ["Dense(1)"])
    if _input_shape(model) != (None, 1):
        say.fail("input_shape", _input_shape(model), (None, 1), hint="keras.Input(shape=(1,))")
    say.passed("linear_layers_ok")
    optimizer = _optimizer(model)
    loss = setting_name(getattr(model, "loss", None))
    if optimizer != "sgd" or loss not in ("meansquarederror", "mse"):
        say.fail(
            "compile_settings",
            (getattr(model, "optimizer", None), getattr(model, "loss", None)),
            ("sgd", "mean_squared_error"),
            settings="optimizer, loss",
        )
    say.passed("sgd_ok")
    _safe_copy(model, "build_linear_model")
    say.passed("safe_ok")
    prediction = float(np.asarray(linear_model(np.array([[10.0]], dtype="float32")))[0, 0])
    if abs(prediction - 31.0) > 0.5:
        say.fail("prediction", round(prediction, 3), "31 ± 0.5")
    say.passed("prediction_ok", prediction=prediction)
    all_passed()


def check_fashion_classifier(build_fashion_classifier):
    """Visible checks for build_fashion_classifier()."""
    import keras

    model = _built(build_fashion_classifier)
    if not isinstance(model, keras.Model):
        say.fail("not_a_model", type(model).__name__, "Sequential", name="build_fashion_classifier()")
    layers = _layers(model)
    expected = ["Flatten()", "Dense(128)", "Dense(10)"]
    if _describe(layers) != expected:
        say.fail("layers", _describe(layers), expected)
    if not _acts_like(layers[1].activation, _relu) or not _acts_like(layers[2].activation, _softmax):
        say.fail("activations", [layers[1].activation, layers[2].activation], ["relu", "softmax"])
    say.passed("classifier_layers_ok")
    if _input_shape(model) != (None, 28, 28):
        say.fail("input_shape", _input_shape(model), (None, 28, 28), hint="keras.Input(shape=(28, 28))")
    out = np.asarray(model(np.zeros((2, 28, 28), dtype="float32")))
    if out.shape != (2, 10):
        say.fail("output_shape", out.shape, (2, 10))
    say.passed("shapes_ok")
    metrics = (model.get_compile_config().get("metrics") or []) if model.compiled else []
    settings = (
        _optimizer(model),
        setting_name(getattr(model, "loss", None)),
        [setting_name(m) for m in metrics],
    )
    accuracy = {"accuracy", "acc", "sparsecategoricalaccuracy"}
    if settings[:2] != ("adam", "sparsecategoricalcrossentropy") or not accuracy & set(settings[2]):
        say.fail(
            "compile_settings",
            settings,
            ("adam", "sparse_categorical_crossentropy", ["accuracy"]),
            settings="optimizer, loss, metrics",
        )
    say.passed("adam_ok")
    _safe_copy(model, "build_fashion_classifier")
    say.passed("safe_ok")
    all_passed()


def check_classifier_training(classifier, history, x_test, y_test):
    """Visible checks for the trained classifier (the grader measures the same accuracy itself)."""
    epochs = len(history.history.get("loss", []))
    if epochs != 5:
        say.fail("epochs_wrong", epochs, 5, n=5)
    say.passed("epochs_ok", n=5)
    probabilities = np.asarray(classifier.predict(x_test, verbose=0))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y_test))
    if accuracy < 0.85:
        say.fail("test_accuracy", round(accuracy, 3), "≥ 0.85", count=10_000)
    say.passed("test_accuracy", f"{accuracy:.3f}", count=len(y_test))
    all_passed()
