"""Visible checks for the ``callbacks`` assignment (可见检查).

Students run these in the notebook. They drive the callback with a few hand-written
``logs`` on a stand-in model, as ``fit`` would, and read the History of the real run.
The hidden checks (隐藏检查) try many more sequences, thresholds and keys.
"""

import warnings

from autograder.visible.report import all_passed, passed


def _fail(what, got, expected):
    raise AssertionError(f"{what}\n  got    得到: {got!r}\n  expected 期望: {expected!r}")


def _stand_in_model():
    """An empty model, compiled so that it has the stop_training flag fit reads."""
    import keras

    model = keras.Sequential()
    model.compile()
    return model


def _stopped_at(callback_class, accuracies, **kwargs):

    callback = callback_class(**kwargs)
    model = _stand_in_model()
    callback.set_model(model)
    for epoch, accuracy in enumerate(accuracies):
        callback.on_epoch_end(epoch, {"loss": 1 - accuracy, "accuracy": accuracy})
        if model.stop_training:
            return epoch
    return None


def check_callback(callback_class):
    """Visible checks for class AccuracyThresholdCallback(keras.callbacks.Callback)."""
    import keras

    if not (isinstance(callback_class, type) and issubclass(callback_class, keras.callbacks.Callback)):
        _fail(
            "应是 keras.callbacks.Callback 的子类 / must subclass keras.callbacks.Callback",
            callback_class,
            "a class",
        )
    got = _stopped_at(callback_class, [0.8, 0.9, 0.93, 0.95])
    if got != 2:
        hint = ""
        if _stopped_at(callback_class, [0.99]) is None:
            hint = " (TF2 的键是 'accuracy'，不是 'acc' / the TF2 key is 'accuracy', not 'acc')"
        _fail(
            "准确率 0.8, 0.9, 0.93, 0.95 时应在第 3 个 epoch（下标 2）停止 / accuracies 0.8, 0.9, 0.93, 0.95 "
            "must stop at epoch index 2" + hint,
            got,
            2,
        )
    passed("stops at the first epoch above 0.9, not at 0.9 itself / 在第一次超过 0.9 时停止")
    if _stopped_at(callback_class, [0.6, 0.7], threshold=0.65) != 1:
        _fail(
            "threshold=0.65 时 / with threshold=0.65",
            _stopped_at(callback_class, [0.6, 0.7], threshold=0.65),
            1,
        )
    passed("honours threshold / 使用 threshold 参数")
    callback = callback_class()
    callback.set_model(_stand_in_model())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        callback.on_epoch_end(0, None)
        caught.clear()  # a warning for logs=None is allowed, not required
        callback.on_epoch_end(1, {"loss": 0.3})
    if not caught:
        _fail("logs 中没有 'accuracy' 时应发出警告 / must warn when 'accuracy' is missing", [], "a warning")
    passed("logs=None and a missing key do not crash; the missing key warns / 不会崩溃，并给出警告")
    all_passed()


def check_training(history):
    """Visible checks for the real run (the grader measures the model's accuracy itself)."""
    accuracies = history.history.get("accuracy", [])
    if not accuracies or accuracies[-1] <= 0.9:
        _fail(
            "最后一个 epoch 的准确率应超过 0.9 / the last epoch's accuracy must be above 0.9",
            accuracies,
            "> 0.9",
        )
    if any(a > 0.9 for a in accuracies[:-1]):
        _fail("应在第一次超过 0.9 时停止 / training must stop at the first epoch above 0.9", accuracies, "")
    passed(
        f"stopped after epoch {len(accuracies)} at accuracy {accuracies[-1]:.4f} / 在第 {len(accuracies)} 个 epoch 停止"
    )
    all_passed()
