"""Hidden checks for the ``callbacks`` assignment.

Part 1 drives the student's callback in the kernel the way ``fit`` does: a stand-in model
(an empty, compiled ``keras.Sequential``) is given with ``set_model``, then ``on_epoch_end`` is called
with hypothesis-generated ``logs`` and the model's ``stop_training`` read after each epoch.
Part 2 reads the real run's History and then loads the trained model in safe mode to
measure its accuracy in the grader: the History is the kernel's word, the accuracy is not.
"""

from __future__ import annotations

import ast

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from autograder import datasets
from autograder.checks import CheckFailed, check, show
from autograder.codec import Handle
from autograder.feedback import message
from autograder.models import saved_model
from autograder.static import definitions
from solutions.callbacks import reference

ACCURACIES = st.lists(st.floats(0, 1), min_size=1, max_size=12)
THRESHOLDS = st.sampled_from([0.9, 0.5, 0.75])


def fresh(student, **kwargs) -> tuple[Handle, Handle]:
    """A new callback and the stand-in model it is attached to."""
    callback = student.call("AccuracyThresholdCallback", keep=True, **kwargs).value
    model = student.call("keras", method="Sequential", keep=True).value
    student.call(model, method="compile")  # compile is what gives a model its stop_training flag
    student.call(callback, model, method="set_model")
    return callback, model


def told_to_stop(student, model: Handle) -> bool:
    """``model.stop_training`` read as fit reads it (truthiness), for plain data only."""
    value = student.get(model, "stop_training")
    return isinstance(value, (bool, int, np.bool_, np.integer)) and bool(value)


def stopped_epoch(student, logs_per_epoch: list[dict], **kwargs) -> int | None:
    """Feed epochs to a new callback as fit would, until the model is told to stop."""
    callback, model = fresh(student, **kwargs)
    for epoch, logs in enumerate(logs_per_epoch):
        student.call(callback, epoch, logs, method="on_epoch_end")
        if told_to_stop(student, model):
            return epoch
    return None


def uses_tf1_key(student) -> bool:
    """The classic TF1 mistake: reading logs["acc"], which TF2 no longer writes."""
    return stopped_epoch(student, [{"acc": 0.99, "accuracy": 0.5}]) == 0


def expect_stop(student, got: int | None, expected: int | None, described: str) -> None:
    if got == expected:
        return
    if expected is not None and got is None and uses_tf1_key(student):
        raise CheckFailed("uses_acc_key", input=described)
    raise CheckFailed(
        "stopped_at",
        input=described,
        got="never" if got is None else got,
        expected="never" if expected is None else expected,
    )


@check(cell="test_AccuracyThresholdCallback", title="stops_at_first_above")
@given(accuracies=ACCURACIES, threshold=st.one_of(st.none(), THRESHOLDS))
@example(accuracies=[0.85, 0.9, 0.9000001, 0.95], threshold=None)
def test_stops_at_the_first_epoch_strictly_above(student, accuracies, threshold):
    kwargs = {} if threshold is None else {"threshold": threshold}
    logs = [{"loss": 1.0 - a, "accuracy": a} for a in accuracies]
    got = stopped_epoch(student, logs, **kwargs)
    expected = reference.first_stop(accuracies, reference.THRESHOLD if threshold is None else threshold)
    made = f"AccuracyThresholdCallback({', '.join(f'{k}={v}' for k, v in kwargs.items())})"
    expect_stop(student, got, expected, f"{made}, accuracy per epoch {show(accuracies)}")


@check(cell="test_AccuracyThresholdCallback", title="monitor_honoured")
@given(pairs=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=12))
@example(pairs=[(0.95, 0.5), (0.5, 0.95)])
def test_watches_the_monitored_key(student, pairs):
    logs = [{"accuracy": a, "val_accuracy": v} for a, v in pairs]
    got = stopped_epoch(student, logs, threshold=0.9, monitor="val_accuracy")
    expected = reference.first_stop([v for _, v in pairs], 0.9)
    expect_stop(student, got, expected, f"monitor='val_accuracy', logs per epoch {logs!r}")


@check(cell="test_AccuracyThresholdCallback", title="missing_logs")
def test_missing_logs_warn_and_never_crash(student):
    callback, model = fresh(student)
    student.call(callback, 0, None, method="on_epoch_end")
    if told_to_stop(student, model):
        raise CheckFailed("stopped_at", input="on_epoch_end(0, None)", got=0, expected="never")
    returned = student.call(callback, 1, {"loss": 0.3}, method="on_epoch_end")
    if not any(warning["category"] == "UserWarning" for warning in returned.warnings):
        raise CheckFailed("no_warning", input="on_epoch_end(1, {'loss': 0.3})")
    if told_to_stop(student, model):
        raise CheckFailed("stopped_at", input="on_epoch_end(1, {'loss': 0.3})", got=1, expected="never")


@check(cell="test_AccuracyThresholdCallback", title="prints_message")
def test_says_why_it_stops(student):
    callback, _ = fresh(student)
    returned = student.call(callback, 0, {"accuracy": 0.95}, method="on_epoch_end")
    if not returned.stdout.strip():
        raise CheckFailed("no_message", input="on_epoch_end(0, {'accuracy': 0.95})")


# -- part 2: the real run ---------------------------------------------------------------------
def fits_with_the_callback(source: str) -> bool:
    """Whether a ``.fit(...)`` call in ``source`` passes ``callbacks=`` naming AccuracyThresholdCallback."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "fit":
            for keyword in node.keywords:
                if keyword.arg == "callbacks" and "AccuracyThresholdCallback" in ast.unparse(keyword.value):
                    return True
    return False


@check(cell="test_train_until_threshold", title="stopped_in_real_run")
def test_the_real_run_stopped_at_the_first_epoch_above(student, submitted_code):
    """The History is the kernel's word, so the notebook's own train_until_threshold must pass the
    callback to fit (read by the grader from the submitted cells) and fit must have been given
    max_epochs: training for exactly the right number of epochs without the callback earns nothing."""
    written = definitions(submitted_code, "train_until_threshold")
    if not written or not any(fits_with_the_callback(source) for source in written):
        raise CheckFailed("callback_not_used")
    logged = student.get("history", "history")
    accuracies = logged.get("accuracy") if isinstance(logged, dict) else None
    numbers = isinstance(accuracies, list) and all(
        type(value) in (int, float) and -1e6 < value < 1e6
        for value in accuracies  # NaN fails too
    )
    if not numbers or not accuracies:
        raise CheckFailed("no_history", got=show(logged)[:300])
    params = student.get("history", "params")
    epochs = params.get("epochs") if isinstance(params, dict) else None
    if epochs != reference.MAX_EPOCHS:
        raise CheckFailed("fit_epochs", got=show(epochs)[:100], expected=reference.MAX_EPOCHS)
    shown = ", ".join(f"{value:.4f}" for value in accuracies[:60]) + (", ..." if len(accuracies) > 60 else "")
    stop, last = reference.first_stop(accuracies), len(accuracies) - 1
    if stop is None:
        raise CheckFailed("never_above", input=shown, epochs=len(accuracies))
    if stop < last:
        raise CheckFailed("kept_training", input=shown, got=last + 1, expected=stop + 1)  # as fit counts
    if len(accuracies) > reference.WELL_BEFORE:
        raise CheckFailed("too_many_epochs", input=shown, epochs=len(accuracies), most=reference.WELL_BEFORE)


@pytest.fixture(scope="module")
def training_images() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.fashion_mnist_train()
    count = reference.TRAIN_IMAGES
    return (x[:count] / 255.0).astype(np.float32), y[:count]


@check(cell="test_train_until_threshold", title="accuracy_confirmed")
def test_the_grader_confirms_the_accuracy(student, training_images, note):
    model = saved_model(student, student.get("history", "model", keep=True)).model
    x, y = training_images
    accuracy = float(np.mean(np.asarray(model.predict(x, verbose=0)).argmax(axis=1) == y))
    note(message("confirmed_accuracy", accuracy=accuracy, count=len(y)))
    if accuracy < reference.MIN_CONFIRMED_ACCURACY:
        raise CheckFailed(
            "not_confirmed", got=f"{accuracy:.3f}", expected=f"{reference.MIN_CONFIRMED_ACCURACY:.2f}"
        )
