"""Hidden checks for the ``first_network`` assignment.

The two builders are called in the student's kernel; each model they return is saved there
(``model.save``) and loaded by the grader in Keras safe mode (``autograder.models.saved_model``),
in a confined process of its own, so its layers and the compile settings saved in its ``.keras``
file are read by the grader, not reported by the kernel. The trained ``linear_model`` and
``classifier`` are loaded the same way: the grader predicts at x = 10 and measures the test
accuracy itself, so printed numbers, a made-up ``history`` or a patched ``predict``/``evaluate``
earn nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from autograder import datasets
from autograder.checks import CheckFailed, check, show
from autograder.codec import Handle
from autograder.model_host import ModelRaised
from autograder.models import SavedModel, compile_setting_name, saved_model
from autograder.student import KernelGone
from solutions.first_network import reference
from solutions.first_network.texts import TEXTS

ACTIVATION_TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}


# -- helpers ---------------------------------------------------------------------------------------
def built(student, builder: str) -> Handle:
    """``builder()`` called in the kernel and kept there; it must return a Keras model."""
    handle = student.call(builder, keep=True).value
    type_name = handle.type_name if isinstance(handle, Handle) else type(handle).__name__
    if not isinstance(handle, Handle) or not type_name.startswith("keras."):
        raise CheckFailed("not_a_keras_model", name=builder, got=type_name)
    return handle


def tf_activation(student, model: str | Handle) -> str | None:
    """The name of a TensorFlow function used as an activation (``tf.nn.softmax`` is saved as the
    function ``softmax_v2``, which safe mode cannot load), read from the kernel's config. Only
    chooses the feedback's words: the check fails either way."""
    try:
        config = student.call(model, method="get_config").value
    except KernelGone:
        raise
    except Exception:  # noqa: BLE001 (no hint then; the original reason is shown)
        return None
    layers = config.get("layers") if isinstance(config, dict) else None
    for layer in layers if isinstance(layers, list) else []:
        inner = layer.get("config") if isinstance(layer, dict) else None
        used = inner.get("activation") if isinstance(inner, dict) else None
        if isinstance(used, dict) and used.get("module") not in ("keras.activations", None):
            return str(used.get("config"))
    return None


def loaded(student, model: str | Handle, name: str) -> SavedModel:
    """``saved_model``, with a hint when a TensorFlow activation is what safe mode refused."""
    try:
        return saved_model(student, model)
    except CheckFailed as failure:
        if failure.key == "model_not_loadable":
            function = tf_activation(student, model)
            if function is not None:
                raise CheckFailed("model_activation_not_loadable", name=name, got=function) from None
        raise


def fresh(student, builder: str) -> SavedModel | CheckFailed:
    """``builder()`` called in the kernel and its model loaded, or the reason it could not be."""
    try:
        return loaded(student, built(student, builder), builder)
    except CheckFailed as failure:
        return failure


def have(saved: SavedModel | CheckFailed) -> SavedModel:
    """The fresh model, or its failure raised for the check that asks."""
    if isinstance(saved, CheckFailed):
        raise saved
    return saved


# One fresh model per builder, shared by the checks of its cell: loading one starts a process of its own.
@pytest.fixture(scope="module")
def fresh_linear_model(student) -> SavedModel | CheckFailed:
    return fresh(student, "build_linear_model")


@pytest.fixture(scope="module")
def fresh_classifier(student) -> SavedModel | CheckFailed:
    return fresh(student, "build_fashion_classifier")


def layers_of(model) -> list:
    """The model's layers without the input layer (a Sequential lists none, a functional model one)."""
    return [layer for layer in model.layers if layer.kind != "InputLayer"]


def describe(layers: list) -> str:
    parts = []
    for layer in layers:
        parts.append(f"{layer.kind}({layer.units})" if layer.units is not None else f"{layer.kind}()")
    return "[" + ", ".join(parts) + "]"


def expected_layers() -> str:
    return "[Flatten(), Dense(128, relu), Dense(10, softmax)]"


def expect_input_shape(model, expected: tuple) -> None:
    got = model.first_input_shape
    if got is None:
        raise CheckFailed("no_input_shape", expected=expected[1:])
    if got != expected:
        raise CheckFailed("input_shape_differs", got=got, expected=expected)


def expect_activation(layer, index: int, name: str) -> None:
    """``layer.activation`` does what ``name`` does on a few numbers (compared by behaviour)."""
    function = layer.activation
    probe = reference.ACTIVATION_PROBE.astype("float32")
    expected = reference.activation(name, probe)
    try:
        got = np.asarray(function(probe), dtype=np.float64) if callable(function) else None
    except ModelRaised:  # a function that cannot take a batch is not this activation
        got = None
    if got is None or got.shape != expected.shape or not np.allclose(got, expected, **ACTIVATION_TOLERANCE):
        raise CheckFailed(
            "activation_differs",
            index=index,
            layer=f"{layer.kind}({layer.units if layer.units is not None else ''})",
            expected="linear (no activation)" if name == "linear" else name,
            probe=show(reference.ACTIVATION_PROBE.ravel()),
            got="(not callable)" if got is None else show(np.round(got.ravel(), 4)),
        )


def compile_settings(saved: SavedModel, name: str) -> dict[str, Any]:
    if not saved.compile_config:
        raise CheckFailed("not_compiled", name=name)
    return saved.compile_config


def expect_setting(what: str, got: Any, allowed: frozenset[str] | set[str], expected: str) -> None:
    name = compile_setting_name(got)
    if name is None or reference.canonical(name) not in allowed:
        raise CheckFailed("compile_setting_differs", what=what, got=show(name), expected=expected)


def expect_output_shape(model, x: np.ndarray, expected: tuple) -> np.ndarray:
    try:
        out = np.asarray(model(x))
    except ModelRaised as error:  # the model's own error (a limit it ran out of fails with its reason)
        raise CheckFailed(
            "output_shape_differs",
            input_shape=x.shape,
            got=f"an error ({error.kind})",
            expected=expected,
        ) from None
    if out.shape != expected:
        raise CheckFailed("output_shape_differs", input_shape=x.shape, got=out.shape, expected=expected)
    return out


# -- part 1: the linear model --------------------------------------------------------------------
@check(cell="test_build_linear_model", title="linear_architecture")
def test_linear_model_is_one_neuron(fresh_linear_model):
    model = have(fresh_linear_model).model
    layers = layers_of(model)
    if [layer.kind for layer in layers] != ["Dense"] or layers[0].units != 1:
        raise CheckFailed("layers_differ", got=describe(layers), expected="[Dense(1)]")
    expect_activation(layers[0], 0, "linear")
    expect_input_shape(model, reference.LINEAR_INPUT_SHAPE)


@check(cell="test_build_linear_model", title="linear_compile")
def test_linear_model_compiled_with_sgd_and_mse(fresh_linear_model):
    saved = have(fresh_linear_model)
    settings = compile_settings(saved, "build_linear_model")
    expect_setting("optimizer", settings.get("optimizer"), {reference.LINEAR_OPTIMIZER}, '"sgd"')
    expect_setting("loss", settings.get("loss"), reference.LINEAR_LOSSES, '"mean_squared_error"')


@check(cell="test_build_linear_model", title="linear_prediction")
def test_trained_linear_model_predicts_31_at_10(student, note):
    """The grader predicts with its own safe-mode copy of the trained ``linear_model``."""
    model = loaded(student, "linear_model", "build_linear_model").model
    x = np.array([[reference.PROBE_X]], dtype="float32")
    prediction = float(expect_output_shape(model, x, (1, 1))[0, 0])
    note(TEXTS.message("linear_prediction_value", got=f"{prediction:.3f}"))
    if not abs(prediction - reference.EXPECTED_PREDICTION) <= reference.PREDICTION_TOLERANCE:
        raise CheckFailed(
            "prediction_off",
            got=f"{prediction:.3f}",
            expected=f"{reference.EXPECTED_PREDICTION:g} ± {reference.PREDICTION_TOLERANCE:g}",
        )


# -- part 2: the classifier ----------------------------------------------------------------------
@check(cell="test_build_fashion_classifier", title="classifier_layers")
def test_classifier_layers(fresh_classifier):
    model = have(fresh_classifier).model
    layers = layers_of(model)
    kinds = [(layer.kind, layer.units) for layer in layers]
    if kinds != [(kind, units) for kind, units, _ in reference.CLASSIFIER_LAYERS]:
        raise CheckFailed("layers_differ", got=describe(layers), expected=expected_layers())
    for index, (layer, (_, _, activation)) in enumerate(
        zip(layers, reference.CLASSIFIER_LAYERS, strict=True)
    ):
        if activation is not None:
            expect_activation(layer, index, activation)


@check(cell="test_build_fashion_classifier", title="classifier_shapes")
def test_classifier_input_and_output_shapes(fresh_classifier):
    model = have(fresh_classifier).model
    expect_input_shape(model, reference.CLASSIFIER_INPUT_SHAPE)
    images = np.random.default_rng(0).random((3, 28, 28)).astype("float32")
    expect_output_shape(model, images, (3, reference.CLASSES))


@check(cell="test_build_fashion_classifier", title="classifier_compile")
def test_classifier_compiled_with_adam_sparse_crossentropy_accuracy(fresh_classifier):
    saved = have(fresh_classifier)
    settings = compile_settings(saved, "build_fashion_classifier")
    expect_setting("optimizer", settings.get("optimizer"), {reference.CLASSIFIER_OPTIMIZER}, '"adam"')
    loss = settings.get("loss")
    expect_setting("loss", loss, reference.CLASSIFIER_LOSSES, '"sparse_categorical_crossentropy"')
    if isinstance(loss, dict) and isinstance(loss.get("config"), dict) and loss["config"].get("from_logits"):
        raise CheckFailed(
            "compile_setting_differs",
            what="loss",
            got="SparseCategoricalCrossentropy(from_logits=True)",
            expected='"sparse_categorical_crossentropy" (the softmax layer already gives probabilities)',
        )
    metrics = settings.get("metrics")
    names = [compile_setting_name(m) for m in metrics] if isinstance(metrics, list) else []
    if not any(n is not None and reference.canonical(n) in reference.CLASSIFIER_METRICS for n in names):
        raise CheckFailed(
            "compile_setting_differs", what="metrics", got=show(metrics), expected='["accuracy"]'
        )


# -- part 3: the trained classifier --------------------------------------------------------------
@pytest.fixture(scope="module")
def test_images() -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST's 10,000 test images, scaled as the notebook scales them, and their labels."""
    images, labels = datasets.fashion_mnist_test()
    return (images / 255.0).astype("float32"), labels


@check(cell="test_train_classifier", title="classifier_accuracy")
def test_trained_classifier_accuracy_on_the_test_set(student, test_images, note):
    """Accuracy measured here, on a safe-mode copy of ``classifier``, never by the kernel."""
    images, labels = test_images
    model = loaded(student, "classifier", "build_fashion_classifier").model
    probabilities = expect_output_shape(model, images, (len(labels), reference.CLASSES))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == labels))
    note(TEXTS.message("test_set_accuracy", accuracy=accuracy, count=len(labels)))
    if accuracy < reference.MIN_TEST_ACCURACY:
        raise CheckFailed(
            "classifier_not_learned", got=f"{accuracy:.3f}", expected=f"{reference.MIN_TEST_ACCURACY:.2f}"
        )
