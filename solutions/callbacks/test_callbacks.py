"""Hidden checks for the ``callbacks`` assignment.

Part 1 drives the student's callback in the kernel the way ``fit`` does: a stand-in model
(an empty, compiled ``keras.Sequential``) is given with ``set_model``, then ``on_epoch_end`` is called
with hypothesis-generated ``logs`` and the model's ``stop_training`` read after each epoch.
Part 2 reads the real run's History, calls the student's ``train_until_threshold`` on two small
data sets of the grader's own (one the model learns in a few epochs, one nothing can learn) to see the
callback stop it and ``max_epochs`` bound it, and loads the trained model in safe mode to measure its
accuracy in the grader: a History is the kernel's word, the accuracy is not.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from autograder import datasets
from autograder.checks import CheckFailed, check, show
from autograder.codec import Handle
from autograder.models import saved_model
from solutions.callbacks import reference
from solutions.callbacks.texts import TEXTS

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
    if not returned.warnings:  # any category: the notebook asks for warnings.warn(...), nothing more
        raise CheckFailed("no_warning", input="on_epoch_end(1, {'loss': 0.3})")
    if told_to_stop(student, model):
        raise CheckFailed("stopped_at", input="on_epoch_end(1, {'loss': 0.3})", got=1, expected="never")


@check(cell="test_AccuracyThresholdCallback", title="prints_message")
def test_says_why_it_stops(student):
    callback, _ = fresh(student)
    returned = student.call(callback, 0, {"accuracy": 0.95}, method="on_epoch_end", printed=True)
    if not returned.stdout.strip():
        raise CheckFailed("no_message", input="on_epoch_end(0, {'accuracy': 0.95})")


# -- part 2: the real run, and the grader's own runs -------------------------------------------
def learnable(count: int = 97) -> tuple[np.ndarray, np.ndarray]:
    """Images the notebook's model learns within two or three epochs: class k is a white bar at rows
    2k+4 and 2k+5. An odd count keeps 0.9 itself from being an accuracy an epoch can have."""
    y = (np.arange(count) % 10).astype(np.uint8)
    x = np.zeros((count, 28, 28), np.float32)
    for image, label in zip(x, y):
        image[2 * label + 4 : 2 * label + 6, 4:24] = 1.0
    return x, y


def unlearnable(count: int = 97) -> tuple[np.ndarray, np.ndarray]:
    """Identical grey images with labels 0-9 in turn: no model gets near 0.9, so fit runs every epoch."""
    return np.full((count, 28, 28), 0.5, np.float32), (np.arange(count) % 10).astype(np.uint8)


LEARNABLE_MAX_EPOCHS = 10  # the reference stops after epoch 2 or 3 at any batch size from 16 to 256
UNLEARNABLE_MAX_EPOCHS = 3


def accuracies_of(student, history: str | Handle, described: str) -> list[float]:
    """The 'accuracy' per epoch of a History in the kernel (CheckFailed if it has none)."""
    logged = student.get(history, "history")
    accuracies = logged.get("accuracy") if isinstance(logged, dict) else None
    numbers = isinstance(accuracies, list) and all(
        type(value) in (int, float) and -1e6 < value < 1e6
        for value in accuracies  # NaN fails too
    )
    if not numbers or not accuracies:
        raise CheckFailed("no_history", input=described, got=show(logged)[:300])
    return accuracies


def own_run(
    student, data: tuple[np.ndarray, np.ndarray], max_epochs: int, about: str
) -> tuple[list[float], str]:
    """The accuracy per epoch of the student's train_until_threshold on the grader's data, and that run
    described for feedback."""
    call = f"train_until_threshold(x, y, max_epochs={max_epochs}) on the grader's {about}"
    history = student.call("train_until_threshold", *data, max_epochs=max_epochs, keep=True).value
    accuracies = accuracies_of(student, history, call)
    return accuracies, f"{call}: accuracy per epoch {shown(accuracies)}"


def shown(accuracies: list[float]) -> str:
    return ", ".join(f"{value:.4f}" for value in accuracies[:60]) + (", ..." if len(accuracies) > 60 else "")


@check(cell="test_train_until_threshold", title="stopped_in_real_run")
def test_the_real_run_stopped_at_the_first_epoch_above(student):
    """The notebook's run must end at its first epoch above 0.9. Its History is the kernel's word, so the
    grader also calls train_until_threshold on data of its own: on data the model learns in a few epochs
    the callback must stop it at the first epoch above 0.9, and on data nothing learns fit must run exactly
    max_epochs. Training that happens to end at the right epoch without the callback (fit(epochs=8)), or a
    History made up to look like a stopped run, fails there."""
    accuracies = accuracies_of(student, "history", "history = train_until_threshold(x_train, y_train)")
    described = f"history = train_until_threshold(x_train, y_train): accuracy per epoch {shown(accuracies)}"
    stop, last = reference.first_stop(accuracies), len(accuracies) - 1
    if stop is None:
        raise CheckFailed("never_above", input=described, epochs=len(accuracies))
    if stop < last:
        raise CheckFailed("kept_training", input=described, got=last + 1, expected=stop + 1)  # as fit counts
    if len(accuracies) > reference.WELL_BEFORE:
        raise CheckFailed(
            "too_many_epochs", input=described, epochs=len(accuracies), most=reference.WELL_BEFORE
        )

    accuracies, described = own_run(student, learnable(), LEARNABLE_MAX_EPOCHS, "learnable data")
    stop, last = reference.first_stop(accuracies), len(accuracies) - 1
    if stop is None:
        raise CheckFailed("own_data_never_above", input=described, epochs=len(accuracies))
    if stop < last:
        raise CheckFailed("callback_not_used", input=described, got=last + 1, expected=stop + 1)

    accuracies, described = own_run(student, unlearnable(), UNLEARNABLE_MAX_EPOCHS, "unlearnable data")
    if len(accuracies) != UNLEARNABLE_MAX_EPOCHS:
        raise CheckFailed("fit_epochs", input=described, got=len(accuracies), expected=UNLEARNABLE_MAX_EPOCHS)


@pytest.fixture(scope="module")
def training_images() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.fashion_mnist_train()
    count = reference.TRAIN_IMAGES
    return (x[:count] / 255.0).astype(np.float32), y[:count]


@check(cell="test_train_until_threshold", title="accuracy_confirmed")
def test_the_grader_confirms_the_accuracy(student, training_images, note):
    model = saved_model(student, student.get("history", "model", keep=True)).model
    x, y = training_images
    accuracy = float(np.mean(np.asarray(model.predict(x)).argmax(axis=1) == y))
    note(TEXTS.message("confirmed_accuracy", accuracy=accuracy, count=len(y)))
    if accuracy < reference.MIN_CONFIRMED_ACCURACY:
        raise CheckFailed(
            "not_confirmed", got=f"{accuracy:.3f}", expected=f"{reference.MIN_CONFIRMED_ACCURACY:.2f}"
        )
