"""Hidden checks for the ``losses`` assignment.

The function and the class are called in the student's kernel through the probe: the class
is constructed there and kept as a handle, and gradients are taken there with
``tf.GradientTape`` (the probe's ``gradient`` request); every value comes back as data and
is compared here with the NumPy reference, within float32 precision whatever the inputs'
dtype (the notebook lets a solution compute in float32, as Keras does). A ``CustomMSE`` is
called as Keras calls it, ``loss(y_true, y_pred)``, which averages whatever ``call``
returns: one number or one per sample give the same loss, and the notebook accepts both.
The training check evaluates a copy of the student's trained ``model``, saved by the
kernel and loaded here in Keras safe mode, on test images of the grader's own, so the
student's own numbers (history, printed accuracy) are never trusted.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder import datasets
from autograder.checks import CheckFailed, check, expect_close, show
from autograder.codec import Handle, Tensor
from autograder.models import saved_model
from solutions.losses import reference

FACTORS = st.sampled_from([0.0, 0.1, 2.5])


@st.composite
def label_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """(y_true, y_pred) of one shape: 1-d to 3-d, batch 1..64 first, float32 or float64."""
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    shape = (draw(st.integers(1, 64)), *draw(st.lists(st.integers(1, 6), max_size=2)))
    width = 32 if dtype == np.float32 else 64
    y_true = draw(hnp.arrays(dtype, shape, elements=st.floats(0, 1, width=width)))
    y_pred = draw(hnp.arrays(dtype, shape, elements=st.floats(-2, 2, width=width)))
    return y_true, y_pred


ONE_HOT = (
    np.eye(3)[[0, 2, 1, 1]],
    np.array([[0.7, 0.1, 0.2], [0.2, 0.2, 0.6], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]]),
)
MATRIX = (np.zeros((2, 3)), np.arange(6.0).reshape(2, 3))  # per-sample means differ from the overall mean


def described(y_true: np.ndarray, y_pred: np.ndarray) -> str:
    return f"y_true={show(y_true)}, y_pred={show(y_pred)}"


def scalar(value, inputs: str) -> float:
    """The loss value as a float; a loss must be one number, not one per element or per sample."""
    array = np.asarray(value.value if isinstance(value, Tensor) else value)
    if array.dtype.kind not in "biuf":
        raise CheckFailed("not_numeric", input=inputs, got=show(value))
    if array.shape != ():
        raise CheckFailed("not_scalar", input=inputs, got=array.shape)
    return float(array)


def expect_gradient(gradient, expected: np.ndarray, y_true: np.ndarray, y_pred: np.ndarray) -> None:
    if gradient is None:
        raise CheckFailed("no_gradient", input=described(y_true, y_pred))
    expect_close(gradient, expected, input=y_pred)


# -- part 1: custom_mean_squared_error ---------------------------------------------------
@check(cell="test_custom_mean_squared_error", title="loss_values")
@given(pair=label_pairs())
@example(pair=ONE_HOT)
@example(pair=MATRIX)
def test_mse_values(student, pair):
    y_true, y_pred = pair
    got = scalar(student.call("custom_mean_squared_error", y_true, y_pred).value, described(*pair))
    expected = reference.mse_value(y_true, y_pred)
    expect_close(got, expected, input=described(*pair))


@check(cell="test_custom_mean_squared_error", title="symmetric_zero")
@given(pair=label_pairs())
@example(pair=MATRIX)
def test_mse_symmetric_and_zero_on_equal_inputs(student, pair):
    y_true, y_pred = pair
    swapped = scalar(
        student.call("custom_mean_squared_error", y_pred, y_true).value, described(y_pred, y_true)
    )
    expected = reference.mse_value(y_true, y_pred)
    expect_close(swapped, expected, input=described(y_pred, y_true))
    same = scalar(student.call("custom_mean_squared_error", y_pred, y_pred).value, described(y_pred, y_pred))
    expect_close(same, 0.0, input=described(y_pred, y_pred), atol=1e-12, rtol=0)


@check(cell="test_custom_mean_squared_error", title="gradient")
@given(pair=label_pairs())
@example(pair=MATRIX)
def test_mse_gradient(student, pair):
    y_true, y_pred = pair
    _, gradient = student.gradient("custom_mean_squared_error", y_true, y_pred, wrt=1)
    expect_gradient(gradient, reference.mse_gradient(y_true, y_pred), y_true, y_pred)


# -- part 2: CustomMSE ------------------------------------------------------------------
def loss_value(student, loss: Handle, y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return scalar(student.call(loss, y_true, y_pred).value, described(y_true, y_pred))


@check(cell="test_CustomMSE", title="factor_honoured")
@given(pair=label_pairs(), factor=FACTORS)
@example(pair=ONE_HOT, factor=2.5)
@example(pair=MATRIX, factor=0.0)
def test_custom_mse_values_for_each_factor(student, pair, factor):
    loss = student.call("CustomMSE", regularization_factor=factor, keep=True).value
    got = loss_value(student, loss, *pair)
    expected = reference.custom_mse_value(*pair, factor=factor)
    expect_close(got, expected, input=f"regularization_factor={factor}, {described(*pair)}")


@check(cell="test_CustomMSE", title="defaults")
@given(pair=label_pairs())
@example(pair=ONE_HOT)
def test_custom_mse_defaults(student, pair):
    loss = student.call("CustomMSE", keep=True).value
    name = student.get(loss, "name")
    if name != reference.DEFAULT_NAME:
        raise CheckFailed(
            "wrong_default",
            input="CustomMSE()",
            what="name",
            got=show(name),
            expected=repr(reference.DEFAULT_NAME),
        )
    got = loss_value(student, loss, *pair)
    expect_close(got, reference.custom_mse_value(*pair), input=f"CustomMSE(), {described(*pair)}")


@check(cell="test_CustomMSE", title="config_round_trip")
@given(pair=label_pairs(), factor=FACTORS)
@example(pair=ONE_HOT, factor=2.5)
def test_custom_mse_config_round_trip(student, pair, factor):
    loss = student.call("CustomMSE", regularization_factor=factor, keep=True).value
    config = student.call(loss, method="get_config").value
    if not isinstance(config, dict) or config.get("regularization_factor") != factor:
        keys = sorted(config) if isinstance(config, dict) else show(config)
        raise CheckFailed("config_missing", input=f"CustomMSE(regularization_factor={factor})", got=keys)
    rebuilt = student.call("CustomMSE", config, method="from_config", keep=True).value
    got = loss_value(student, rebuilt, *pair)
    expect_close(
        got,
        reference.custom_mse_value(*pair, factor=factor),
        input=f"CustomMSE.from_config({config!r}), {described(*pair)}",
    )


@check(cell="test_CustomMSE", title="gradient")
@given(pair=label_pairs(), factor=FACTORS)
@example(pair=MATRIX, factor=0.1)
def test_custom_mse_gradient(student, pair, factor):
    loss = student.call("CustomMSE", regularization_factor=factor, keep=True).value
    y_true, y_pred = pair
    _, gradient = student.gradient(loss, y_true, y_pred, wrt=1)
    expected = reference.custom_mse_gradient(y_true, y_pred, factor=factor)
    expect_gradient(gradient, expected, y_true, y_pred)


# -- part 3: the trained model ------------------------------------------------------------
@pytest.fixture(scope="module")
def test_images() -> tuple[np.ndarray, np.ndarray]:
    """The first 1,000 Fashion-MNIST test images, scaled as the notebook scales, and one-hot labels."""
    images, labels = datasets.fashion_mnist_test()
    return (images[:1000] / 255.0).astype("float32"), np.eye(10, dtype="float32")[labels[:1000]]


@check(cell="test_train_with_custom_loss", title="uses_custom_loss")
def test_model_trains_with_the_students_custom_mse(student):
    """Read from the model's own saved file (its compile settings), not from what the kernel says."""
    loss = saved_model(student, "model").compile_config.get("loss")
    name = loss.get("class_name") if isinstance(loss, dict) else loss
    if name != "CustomMSE":
        raise CheckFailed("wrong_loss_in_model", got=show(name))


@check(cell="test_train_with_custom_loss", title="learned")
def test_model_learned_from_one_epoch(student, test_images):
    """Accuracy is measured here, on a copy of the model loaded in safe mode, never by the kernel."""
    images, one_hot = test_images
    model = saved_model(student, "model").model
    probabilities = np.asarray(model.predict(images))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == one_hot.argmax(axis=1)))
    if accuracy < reference.MIN_ACCURACY:
        raise CheckFailed("not_learned", got=f"{accuracy:.3f}", expected=f"{reference.MIN_ACCURACY:.2f}")
