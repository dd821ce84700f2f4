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

from autograder.model_runner import tensorflow_activation_aliases
from autograder.visible.report import all_passed, fail, passed, setting_name, text


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
            fail(
                "fn.unsafe",
                f"{type(error).__name__}: {str(error)[:200]}",
                text("fn.builtin_layers"),
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
        fail("not_a_model", type(model).__name__, "Sequential", name="build_linear_model()")
    layers = _layers(model)
    if _describe(layers) != ["Dense(1)"] or not _acts_like(layers[0].activation, _linear):
        fail("fn.one_dense", _describe(layers), ["Dense(1)"])
    if _input_shape(model) != (None, 1):
        fail("fn.input_shape", _input_shape(model), (None, 1), hint="keras.Input(shape=(1,))")
    passed("fn.linear_layers_ok")
    optimizer = _optimizer(model)
    loss = setting_name(getattr(model, "loss", None))
    if optimizer != "sgd" or loss not in ("meansquarederror", "mse"):
        fail(
            "fn.compile_settings",
            (getattr(model, "optimizer", None), getattr(model, "loss", None)),
            ("sgd", "mean_squared_error"),
            settings="optimizer, loss",
        )
    passed("fn.sgd_ok")
    _safe_copy(model, "build_linear_model")
    passed("fn.safe_ok")
    prediction = float(np.asarray(linear_model(np.array([[10.0]], dtype="float32")))[0, 0])
    if abs(prediction - 31.0) > 0.5:
        fail("fn.prediction", round(prediction, 3), "31 ± 0.5")
    passed("fn.prediction_ok", prediction=prediction)
    all_passed()


def check_fashion_classifier(build_fashion_classifier):
    """Visible checks for build_fashion_classifier()."""
    import keras

    model = _built(build_fashion_classifier)
    if not isinstance(model, keras.Model):
        fail("not_a_model", type(model).__name__, "Sequential", name="build_fashion_classifier()")
    layers = _layers(model)
    expected = ["Flatten()", "Dense(128)", "Dense(10)"]
    if _describe(layers) != expected:
        fail("fn.layers", _describe(layers), expected)
    if not _acts_like(layers[1].activation, _relu) or not _acts_like(layers[2].activation, _softmax):
        fail("fn.activations", [layers[1].activation, layers[2].activation], ["relu", "softmax"])
    passed("fn.classifier_layers_ok")
    if _input_shape(model) != (None, 28, 28):
        fail("fn.input_shape", _input_shape(model), (None, 28, 28), hint="keras.Input(shape=(28, 28))")
    out = np.asarray(model(np.zeros((2, 28, 28), dtype="float32")))
    if out.shape != (2, 10):
        fail("fn.output_shape", out.shape, (2, 10))
    passed("fn.shapes_ok")
    metrics = (model.get_compile_config().get("metrics") or []) if model.compiled else []
    settings = (_optimizer(model), setting_name(getattr(model, "loss", None)), [setting_name(m) for m in metrics])
    accuracy = {"accuracy", "acc", "sparsecategoricalaccuracy"}
    if settings[:2] != ("adam", "sparsecategoricalcrossentropy") or not accuracy & set(settings[2]):
        fail(
            "fn.compile_settings",
            settings,
            ("adam", "sparse_categorical_crossentropy", ["accuracy"]),
            settings="optimizer, loss, metrics",
        )
    passed("fn.adam_ok")
    _safe_copy(model, "build_fashion_classifier")
    passed("fn.safe_ok")
    all_passed()


def check_classifier_training(classifier, history, x_test, y_test):
    """Visible checks for the trained classifier (the grader measures the same accuracy itself)."""
    epochs = len(history.history.get("loss", []))
    if epochs != 5:
        fail("epochs_wrong", epochs, 5, n=5)
    passed("epochs_ok", n=5)
    probabilities = np.asarray(classifier.predict(x_test, verbose=0))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y_test))
    if accuracy < 0.85:
        fail("fn.test_accuracy", round(accuracy, 3), "≥ 0.85", count=10_000)
    passed("fn.test_accuracy", f"{accuracy:.3f}", count=len(y_test))
    all_passed()
