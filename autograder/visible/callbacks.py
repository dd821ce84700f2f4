"""Visible checks for the ``callbacks`` assignment (可见检查).

Students run these in the notebook. They drive the callback with a few hand-written
``logs`` on a stand-in model, as ``fit`` would, read the History of the real run, and run
``train_until_threshold`` on two tiny data sets. Each check prints its line only once it has passed.
The hidden checks (隐藏检查) try many more sequences, thresholds and keys.
"""

import contextlib
import io
import warnings

import numpy as np

from autograder.visible.report import all_passed, fail, passed, quiet_stderr, text

CALLBACK = "AccuracyThresholdCallback"


def _stand_in_model():
    """An empty model, compiled so that it has the stop_training flag fit reads."""
    import keras

    model = keras.Sequential()
    model.compile()
    return model


def _stopped_at(callback_class, logs_per_epoch, **kwargs):
    """The epoch index after which the callback stopped the stand-in model, or None; its prints are kept
    out of the checks' output."""
    callback = callback_class(**kwargs)
    with quiet_stderr():
        model = _stand_in_model()
    callback.set_model(model)
    with contextlib.redirect_stdout(io.StringIO()):
        for epoch, logs in enumerate(logs_per_epoch):
            callback.on_epoch_end(epoch, logs)
            if model.stop_training:
                return epoch
    return None


def _accuracies(values):
    return [{"loss": 1 - value, "accuracy": value} for value in values]


def check_callback(callback_class):
    """Visible checks for class AccuracyThresholdCallback(keras.callbacks.Callback)."""
    import keras

    if not (isinstance(callback_class, type) and issubclass(callback_class, keras.callbacks.Callback)):
        fail("must_subclass", callback_class, text("a_class"), name=CALLBACK, base="keras.callbacks.Callback")
    passed("subclasses", name=CALLBACK, base="keras.callbacks.Callback")
    got = _stopped_at(callback_class, _accuracies([0.8, 0.9, 0.93, 0.95]))
    if got != 2:
        never_stops = _stopped_at(callback_class, _accuracies([0.99])) is None
        fail("cb.stop_at_index_2_acc_key" if never_stops else "cb.stop_at_index_2", got, 2)
    passed("cb.stops_above_threshold")
    got = _stopped_at(callback_class, _accuracies([0.6, 0.7]), threshold=0.65)
    if got != 1:
        fail("cb.with_threshold", got, 1)
    passed("cb.threshold_ok")
    logs = [{"accuracy": 0.95, "val_accuracy": 0.5}, {"accuracy": 0.5, "val_accuracy": 0.95}]
    got = _stopped_at(callback_class, logs, monitor="val_accuracy")
    if got != 1:
        fail("cb.with_monitor", got, 1, logs=logs)
    passed("cb.monitor_ok")
    callback = callback_class()
    with quiet_stderr():
        callback.set_model(_stand_in_model())
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        callback.on_epoch_end(0, {"accuracy": 0.95})
    if not printed.getvalue().strip():
        fail("cb.must_print", printed.getvalue(), text("cb.a_message"))
    passed("cb.prints", repr(printed.getvalue().strip()[:80]))
    callback = callback_class()
    with quiet_stderr():
        model = _stand_in_model()
    callback.set_model(model)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        callback.on_epoch_end(0, None)
        caught.clear()  # a warning for logs=None is allowed, not required
        callback.on_epoch_end(1, {"loss": 0.3})
    if not caught:
        fail("cb.must_warn", [], text("cb.a_warning"))
    if model.stop_training:
        fail("cb.must_not_stop", True, False)
    passed("cb.missing_key_ok")
    all_passed()


def _tiny_data(learnable):
    """97 images: class k a white bar at rows 2k+4, 2k+5 (learnable), or all alike (unlearnable)."""
    y = (np.arange(97) % 10).astype(np.uint8)
    x = np.zeros((97, 28, 28), np.float32)
    for image, label in zip(x, y):
        if learnable:
            image[2 * label + 4 : 2 * label + 6, 4:24] = 1.0
        else:
            image[:] = 0.5
    return x, y


def _tiny_run(train_until_threshold, learnable, max_epochs):
    """The accuracy per epoch of train_until_threshold on tiny data, its output and warnings kept quiet."""
    with contextlib.redirect_stdout(io.StringIO()), quiet_stderr():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            history = train_until_threshold(*_tiny_data(learnable), max_epochs=max_epochs)
    return history.history.get("accuracy", [])


def check_training(history, train_until_threshold):
    """Visible checks for the real run and for train_until_threshold on tiny data (the grader also
    measures the trained model's accuracy itself)."""
    accuracies = history.history.get("accuracy", [])
    if not accuracies or accuracies[-1] <= 0.9:
        fail("cb.last_above", accuracies, "> 0.9")
    if any(a > 0.9 for a in accuracies[:-1]):
        fail("cb.first_above", accuracies, text("cb.first_above_is_last"))
    if len(accuracies) > 20:
        fail("cb.within_20", len(accuracies), "<= 20")
    passed("cb.run_ok", n=len(accuracies), accuracy=accuracies[-1])
    got = _tiny_run(train_until_threshold, learnable=True, max_epochs=10)
    if not got or got[-1] <= 0.9 or any(a > 0.9 for a in got[:-1]) or len(got) == 10:
        fail("cb.tiny_learnable", [round(a, 4) for a in got], text("cb.tiny_learnable_expected"))
    passed("cb.tiny_learnable_ok", n=len(got))
    got = _tiny_run(train_until_threshold, learnable=False, max_epochs=3)
    if len(got) != 3:
        fail("cb.tiny_unlearnable", len(got), 3)
    passed("cb.tiny_unlearnable_ok")
    all_passed()
