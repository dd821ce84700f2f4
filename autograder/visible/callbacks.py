"""Visible checks for the ``callbacks`` assignment (可见检查).

Students run these in the notebook. They drive the callback with a few hand-written
``logs`` on a stand-in model, as ``fit`` would, read the History of the real run, and run
``train_until_threshold`` on two tiny data sets. Each check prints its line only once it has passed.
The hidden checks (隐藏检查) try many more sequences, thresholds and keys.

What the checks print, in Chinese and English, is in ``TEXTS`` below; the texts several
assignments share are in ``autograder.visible.messages``.
"""

import contextlib
import io
import warnings

import numpy as np

from autograder.visible.messages import Text
from autograder.visible.report import Reporter, all_passed, quiet_stderr

TEXTS: dict[str, Text] = {
    "stop_at_index_2": Text(
        "准确率为 0.8, 0.9, 0.93, 0.95 时应在第 3 个 epoch（下标 2）之后停止",
        "accuracies 0.8, 0.9, 0.93, 0.95 must stop after epoch 3 (index 2)",
    ),
    "stop_at_index_2_acc_key": Text(
        "准确率为 0.8, 0.9, 0.93, 0.95 时应在第 3 个 epoch（下标 2）之后停止"
        "（TF2 中的键是 'accuracy'，不是 'acc'）",
        "accuracies 0.8, 0.9, 0.93, 0.95 must stop after epoch 3 (index 2) "
        "(the TF2 key is 'accuracy', not 'acc')",
    ),
    "stops_above_threshold": Text(
        "在准确率第一次超过 0.9 的 epoch 停止，恰好等于 0.9 时不停",
        "stops at the first epoch above 0.9, not at 0.9 itself",
    ),
    "with_threshold": Text("threshold=0.65 时", "with threshold=0.65"),
    "threshold_ok": Text("使用了 threshold 参数", "honours threshold"),
    "with_monitor": Text(
        "monitor='val_accuracy' 时，logs 为 {logs}",
        "with monitor='val_accuracy', logs {logs}",
    ),
    "monitor_ok": Text("使用了 monitor 参数", "honours monitor"),
    "must_print": Text("停止时应打印一条消息", "must print a message when it stops"),
    "a_message": Text("一条消息", "a message"),
    "prints": Text("停止时打印了消息", "prints a message when it stops"),
    "must_warn": Text("logs 中没有 'accuracy' 时应发出警告", "must warn when 'accuracy' is missing"),
    "a_warning": Text("一个警告", "a warning"),
    "must_not_stop": Text(
        "logs 中没有 'accuracy' 时不应停止训练",
        "must not stop when 'accuracy' is missing",
    ),
    "missing_key_ok": Text(
        "logs=None 或缺少键时不会崩溃；缺少键时发出警告，且不停止训练",
        "logs=None and a missing key do not crash; the missing key warns and does not stop",
    ),
    "last_above": Text("最后一个 epoch 的准确率应超过 0.9", "the last epoch's accuracy must be above 0.9"),
    "first_above": Text(
        "训练应在准确率第一次超过 0.9 时停止", "training must stop at the first epoch above 0.9"
    ),
    "first_above_is_last": Text(
        "第一个超过 0.9 的值就是最后一个", "the first value above 0.9 is the last one"
    ),
    "within_20": Text("应在 20 个 epoch 以内超过 0.9", "must pass 0.9 within 20 epochs"),
    "run_ok": Text(
        "在第 {n} 个 epoch 之后停止，准确率 {accuracy:.4f}，是第一次超过 0.9",
        "stopped after epoch {n} at accuracy {accuracy:.4f}, the first above 0.9",
    ),
    "tiny_learnable": Text(
        "在容易学会的小数据上（max_epochs=10），回调函数应在准确率第一次超过 0.9 时停止训练",
        "on tiny learnable data (max_epochs=10) the callback must stop training at the first epoch above 0.9",
    ),
    "tiny_learnable_expected": Text(
        "在第一个超过 0.9 的值处结束，且少于 10 个 epoch",
        "ends at its first value above 0.9, in fewer than 10 epochs",
    ),
    "tiny_learnable_ok": Text(
        "在容易学会的小数据上，回调函数在第 {n} 个 epoch 之后停止了训练",
        "on tiny learnable data the callback stopped training after epoch {n}",
    ),
    "tiny_unlearnable": Text(
        "在学不会的小数据上，max_epochs=3 时 fit 应正好训练 3 个 epoch（epochs=max_epochs）",
        "on tiny unlearnable data with max_epochs=3, fit must run exactly 3 epochs (epochs=max_epochs)",
    ),
    "tiny_unlearnable_ok": Text(
        "在学不会的小数据上，fit 正好训练了 max_epochs=3 个 epoch",
        "on tiny unlearnable data fit ran exactly max_epochs=3 epochs",
    ),
}
say = Reporter(TEXTS)

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
        say.fail(
            "must_subclass",
            callback_class,
            say.text("a_class"),
            name=CALLBACK,
            base="keras.callbacks.Callback",
        )
    say.passed("subclasses", name=CALLBACK, base="keras.callbacks.Callback")
    got = _stopped_at(callback_class, _accuracies([0.8, 0.9, 0.93, 0.95]))
    if got != 2:
        never_stops = _stopped_at(callback_class, _accuracies([0.99])) is None
        say.fail("stop_at_index_2_acc_key" if never_stops else "stop_at_index_2", got, 2)
    say.passed("stops_above_threshold")
    got = _stopped_at(callback_class, _accuracies([0.6, 0.7]), threshold=0.65)
    if got != 1:
        say.fail("with_threshold", got, 1)
    say.passed("threshold_ok")
    logs = [{"accuracy": 0.95, "val_accuracy": 0.5}, {"accuracy": 0.5, "val_accuracy": 0.95}]
    got = _stopped_at(callback_class, logs, monitor="val_accuracy")
    if got != 1:
        say.fail("with_monitor", got, 1, logs=logs)
    say.passed("monitor_ok")
    callback = callback_class()
    with quiet_stderr():
        callback.set_model(_stand_in_model())
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        callback.on_epoch_end(0, {"accuracy": 0.95})
    if not printed.getvalue().strip():
        say.fail("must_print", printed.getvalue(), say.text("a_message"))
    say.passed("prints", repr(printed.getvalue().strip()[:80]))
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
        say.fail("must_warn", [], say.text("a_warning"))
    if model.stop_training:
        say.fail("must_not_stop", True, False)
    say.passed("missing_key_ok")
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
        say.fail("last_above", accuracies, "> 0.9")
    if any(a > 0.9 for a in accuracies[:-1]):
        say.fail("first_above", accuracies, say.text("first_above_is_last"))
    if len(accuracies) > 20:
        say.fail("within_20", len(accuracies), "<= 20")
    say.passed("run_ok", n=len(accuracies), accuracy=accuracies[-1])
    got = _tiny_run(train_until_threshold, learnable=True, max_epochs=10)
    if not got or got[-1] <= 0.9 or any(a > 0.9 for a in got[:-1]) or len(got) == 10:
        say.fail("tiny_learnable", [round(a, 4) for a in got], say.text("tiny_learnable_expected"))
    say.passed("tiny_learnable_ok", n=len(got))
    got = _tiny_run(train_until_threshold, learnable=False, max_epochs=3)
    if len(got) != 3:
        say.fail("tiny_unlearnable", len(got), 3)
    say.passed("tiny_unlearnable_ok")
    all_passed()
