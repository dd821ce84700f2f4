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

from autograder.visible.report import all_passed, passed, quiet_stderr


def _fail(what, got, expected):
    raise AssertionError(f"{what}\n  got    得到: {got!r}\n  expected 期望: {expected!r}")


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
        _fail(
            "应是 keras.callbacks.Callback 的子类 / must subclass keras.callbacks.Callback",
            callback_class,
            "a class",
        )
    passed("subclasses keras.callbacks.Callback / 是 keras.callbacks.Callback 的子类")
    got = _stopped_at(callback_class, _accuracies([0.8, 0.9, 0.93, 0.95]))
    if got != 2:
        hint = ""
        if _stopped_at(callback_class, _accuracies([0.99])) is None:
            hint = " (TF2 的键是 'accuracy'，不是 'acc' / the TF2 key is 'accuracy', not 'acc')"
        _fail(
            "准确率 0.8, 0.9, 0.93, 0.95 时应在第 3 个 epoch（下标 2）停止 / accuracies 0.8, 0.9, 0.93, 0.95 "
            "must stop at epoch index 2" + hint,
            got,
            2,
        )
    passed("stops at the first epoch above 0.9, not at 0.9 itself / 在第一次超过 0.9 时停止")
    got = _stopped_at(callback_class, _accuracies([0.6, 0.7]), threshold=0.65)
    if got != 1:
        _fail("threshold=0.65 时 / with threshold=0.65", got, 1)
    passed("honours threshold / 使用 threshold 参数")
    logs = [{"accuracy": 0.95, "val_accuracy": 0.5}, {"accuracy": 0.5, "val_accuracy": 0.95}]
    got = _stopped_at(callback_class, logs, monitor="val_accuracy")
    if got != 1:
        _fail(f"monitor='val_accuracy' 时 / with monitor='val_accuracy', logs {logs}", got, 1)
    passed("honours monitor / 使用 monitor 参数")
    callback = callback_class()
    with quiet_stderr():
        callback.set_model(_stand_in_model())
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        callback.on_epoch_end(0, {"accuracy": 0.95})
    if not printed.getvalue().strip():
        _fail("停止时应打印一条消息 / must print a message when it stops", printed.getvalue(), "a message")
    passed(f"prints a message when it stops / 停止时打印消息: {printed.getvalue().strip()[:80]!r}")
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
        _fail("logs 中没有 'accuracy' 时应发出警告 / must warn when 'accuracy' is missing", [], "a warning")
    if model.stop_training:
        _fail("logs 中没有 'accuracy' 时不应停止 / must not stop when 'accuracy' is missing", True, False)
    passed(
        "logs=None and a missing key do not crash; the missing key warns and does not stop / "
        "不会崩溃，缺少键时给出警告且不停止"
    )
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
        _fail(
            "最后一个 epoch 的准确率应超过 0.9 / the last epoch's accuracy must be above 0.9",
            accuracies,
            "> 0.9",
        )
    if any(a > 0.9 for a in accuracies[:-1]):
        _fail("应在第一次超过 0.9 时停止 / training must stop at the first epoch above 0.9", accuracies, "")
    if len(accuracies) > 20:
        _fail("应在 20 个 epoch 以内超过 0.9 / must pass 0.9 within 20 epochs", len(accuracies), "<= 20")
    passed(
        f"stopped after epoch {len(accuracies)} at accuracy {accuracies[-1]:.4f}, the first above 0.9 / "
        f"在第 {len(accuracies)} 个 epoch（第一次超过 0.9）停止"
    )
    got = _tiny_run(train_until_threshold, learnable=True, max_epochs=10)
    if not got or got[-1] <= 0.9 or any(a > 0.9 for a in got[:-1]) or len(got) == 10:
        _fail(
            "在容易学会的小数据上（max_epochs=10）应在第一次超过 0.9 时停止 / on tiny learnable data "
            "(max_epochs=10) the callback must stop training at the first epoch above 0.9",
            [round(a, 4) for a in got],
            "ends at its first value above 0.9, in fewer than 10 epochs",
        )
    passed(f"on tiny learnable data the callback stopped training after epoch {len(got)} / 回调函数让训练停止")
    got = _tiny_run(train_until_threshold, learnable=False, max_epochs=3)
    if len(got) != 3:
        _fail(
            "在学不会的小数据上 max_epochs=3 时应正好训练 3 个 epoch / on tiny unlearnable data with "
            "max_epochs=3, fit must run exactly 3 epochs (epochs=max_epochs)",
            len(got),
            3,
        )
    passed("on tiny unlearnable data fit ran exactly max_epochs=3 epochs / 正好训练 max_epochs 个 epoch")
    all_passed()
