"""Hidden checks for the ``cnn`` assignment.

``preprocess`` is called in the student's kernel with generated images and compared with the
NumPy reference. ``build_cnn()`` is called in the kernel and its model saved and loaded by the
grader in Keras safe mode, in a confined process of its own (``autograder.model_host``), so its
layers, shapes, parameters and compile settings are read from the file, not from the kernel. The
trained ``model`` is measured the same way on the 10,000 test images.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder import datasets
from autograder.checks import CheckFailed, check, expect_close, show
from autograder.model_host import ModelRaised
from autograder.models import SavedModel, compile_setting_name, saved_model
from solutions.cnn import reference
from solutions.cnn.texts import TEXTS

IMAGES = st.integers(1, 4).flatmap(lambda n: hnp.arrays(np.uint8, (n, 28, 28)))
EDGES = np.stack([np.zeros((28, 28), np.uint8), np.full((28, 28), 255, np.uint8)])
# Images the model's output is probed on: black, white and noise.
PROBE_IMAGES = np.concatenate([EDGES, np.random.default_rng(0).integers(0, 256, (2, 28, 28), dtype=np.uint8)])


# -- part 1: preprocess --------------------------------------------------------------------------
@check(cell="test_preprocess", title="preprocess_values")
@given(images=IMAGES)
@example(images=EDGES)
def test_preprocess_scales_and_adds_the_channel_axis(student, images):
    got = student.call("preprocess", images).value
    described = f"images of shape {images.shape}, dtype uint8"
    if not isinstance(got, np.ndarray) or got.dtype != np.float32 or got.shape != images.shape + (1,):
        raise CheckFailed(
            "wrong_array",
            input=described,
            got=show(got) if not isinstance(got, np.ndarray) else f"{got.dtype} array of shape {got.shape}",
            expected=f"float32 array of shape {images.shape + (1,)}",
        )
    expect_close(got, reference.preprocess(images), described)


@check(cell="test_preprocess", title="no_mutation")
@given(images=IMAGES)
def test_preprocess_leaves_its_input_alone(student, images):
    after = student.call("preprocess", images, return_args=True).args_after[0]
    if not isinstance(after, np.ndarray) or after.shape != images.shape:
        raise CheckFailed("input_reshaped", got=show(getattr(after, "shape", after)), expected=images.shape)
    changed = np.argwhere(after != images)
    if changed.size:
        index = tuple(int(i) for i in changed[0])
        raise CheckFailed("mutated", index=index, before=images[index], after=after[index])


# -- part 2: build_cnn ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(student) -> SavedModel:
    """A fresh ``build_cnn()`` from the kernel, loaded here (CheckFailed is re-raised by each check)."""
    try:
        return saved_model(student, student.call("build_cnn", keep=True).value)
    except CheckFailed as failure:
        return failure  # type: ignore[return-value]


def loaded(built) -> SavedModel:
    """The fresh model, or the reason it could not be had; a model never built has no shapes."""
    if isinstance(built, CheckFailed):
        raise built
    if not built.model.built:
        raise CheckFailed("model_not_built")
    return built


@check(cell="test_build_cnn", title="architecture")
def test_conv_pool_flatten_dense_softmax(built):
    model = loaded(built).model
    kinds = [layer.kind for layer in model.layers if layer.kind != "InputLayer"]
    for needed in ("Conv2D", "MaxPooling2D", "Flatten"):
        if needed not in kinds:
            raise CheckFailed("layer_missing", got=", ".join(kinds), expected=needed)
    flatten = kinds.index("Flatten")
    if flatten < max(i for i, kind in enumerate(kinds) if kind in ("Conv2D", "MaxPooling2D")):
        raise CheckFailed("flatten_too_early", got=", ".join(kinds))
    if "Dense" not in kinds[flatten:]:
        raise CheckFailed("layer_missing", got=", ".join(kinds), expected="Dense")
    shapes = (tuple(model.input_shape), tuple(model.output_shape))
    if shapes != ((None, 28, 28, 1), (None, 10)):
        raise CheckFailed("wrong_shapes", got=str(shapes), expected=str(((None, 28, 28, 1), (None, 10))))
    # Softmax is judged by what comes out (Dense(10, activation="softmax"), tf.nn.softmax or a
    # Softmax layer after Dense(10) alike): ten numbers >= 0 adding up to 1 for every image.
    probabilities = np.asarray(model.predict(reference.preprocess(PROBE_IMAGES)), dtype=np.float64)
    sums = probabilities.sum(axis=1)
    if probabilities.min() < 0 or not np.allclose(sums, 1.0, atol=1e-4):
        raise CheckFailed("not_probabilities", got=show(np.round(probabilities[0], 4)))


@check(cell="test_build_cnn", title="compiled")
def test_compiled_for_integer_labels(built):
    loss = loaded(built).compile_config.get("loss")
    name = compile_setting_name(loss)
    if name not in ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"):
        raise CheckFailed("wrong_compile", got=show(name), expected="'sparse_categorical_crossentropy'")
    if isinstance(loss, dict) and isinstance(loss.get("config"), dict) and loss["config"].get("from_logits"):
        raise CheckFailed(
            "wrong_compile",
            got="SparseCategoricalCrossentropy(from_logits=True)",
            expected="'sparse_categorical_crossentropy' (the softmax layer already gives probabilities)",
        )


@check(cell="test_build_cnn", title="parameter_budget")
def test_within_the_parameter_budget(built, note):
    parameters = loaded(built).model.count_params()
    note(TEXTS.message("parameter_count", count=parameters))
    if parameters > reference.MAX_PARAMETERS:
        raise CheckFailed("over_budget", got=f"{parameters:,}", expected=f"{reference.MAX_PARAMETERS:,}")


# -- part 3: the trained model --------------------------------------------------------------------
@pytest.fixture(scope="module")
def test_accuracy(student) -> float | CheckFailed:
    """The trained ``model``'s accuracy on the 10,000 test images, measured here once."""
    images, labels = datasets.fashion_mnist_test()
    try:
        model = saved_model(student, "model").model
        # The budget holds for the model that was trained, not only for a fresh build_cnn().
        parameters = model.count_params() if model.built else None
        if parameters is None or parameters > reference.MAX_PARAMETERS:
            raise CheckFailed(
                "over_budget",
                got=f"{parameters:,}" if parameters else "?",
                expected=f"{reference.MAX_PARAMETERS:,}",
            )
        try:
            probabilities = np.asarray(model.predict(reference.preprocess(images)))
        except ModelRaised as error:  # the model's own reason is shown (a limit it ran out of too)
            raise CheckFailed("model_not_loadable", detail=f"predict failed: {error.fields['detail']}"[:300])
        if probabilities.shape != (len(labels), 10):
            raise CheckFailed("wrong_shapes", got=str(probabilities.shape), expected=str((len(labels), 10)))
    except CheckFailed as failure:
        return failure
    return float(np.mean(probabilities.argmax(axis=1) == labels))


# Tiered credit: each tier is its own check, so 0.89 keeps the first tier's 2 of the 5 points.
@check(cell="test_train_cnn", weight=2.0, title="accuracy_0.88")
def test_accuracy_at_least_088(test_accuracy, note):
    expect_tier(test_accuracy, 0.88, note)


@check(cell="test_train_cnn", weight=1.5, title="accuracy_0.90")
def test_accuracy_at_least_090(test_accuracy):
    expect_tier(test_accuracy, 0.90)


@check(cell="test_train_cnn", weight=1.5, title="accuracy_0.91")
def test_accuracy_at_least_091(test_accuracy):
    expect_tier(test_accuracy, 0.91)


def expect_tier(accuracy: float | CheckFailed, tier: float, note=None) -> None:
    if isinstance(accuracy, CheckFailed):
        raise accuracy
    if note is not None:
        note(TEXTS.message("test_accuracy", accuracy=accuracy))
    if accuracy < tier:
        raise CheckFailed("below_tier", got=f"{accuracy:.4f}", expected=f"{tier:.2f}")
