"""Visible checks for the ``training_loop`` assignment (可见检查).

Students run these in the notebook. They split small arrays whose rows say which sample they are, run
the hand-written loop with a learning rate of 0 (every epoch then sees the same model, so its numbers can
be computed from the model directly), save and reload a model, and read the two overfitting runs. Each
check prints its line only once it has passed. The hidden checks (隐藏检查) compare every epoch's numbers
and the trained weights of the loop with the grader's own computation, and measure the saved and trained
models in the grader.

What the checks print, in Chinese and English, is in ``TEXTS`` below; the texts several assignments
share are in ``autograder.visible.messages``.
"""

import contextlib
import io
import os
import shutil
import tempfile
import warnings

import numpy as np

from autograder.visible.messages import Text
from autograder.visible.report import Reporter, all_passed, quiet_stderr, show

TEXTS: dict[str, Text] = {
    "split_returns": Text(
        "应返回 (x_train, y_train), (x_val, y_val)", "must return (x_train, y_train), (x_val, y_val)"
    ),
    "two_pairs": Text("两对数组", "two pairs of arrays"),
    "split_mutated": Text(
        "split_validation 不能改动传给它的 x 和 y（不要原地打乱，例如 np.random.shuffle(x)）：用 x[order] 得到新数组",
        "split_validation must not change the x and y it is given (no in-place shuffle such as "
        "np.random.shuffle(x)): x[order] makes new arrays",
    ),
    "split_sizes": Text(
        "10 个样本、fraction=0.3 时，验证集应有 int(0.3 * 10) = 3 个、训练集 7 个",
        "10 samples with fraction=0.3: 3 to validate (int(0.3 * 10)), 7 to train",
    ),
    "split_sizes_ok": Text("两部分的大小正确", "both parts have the right size"),
    "split_each_once": Text(
        "每个样本应恰好出现在一部分中（不能两部分都有，也不能丢失）",
        "every sample must be in exactly one part (not in both, none lost)",
    ),
    "split_each_once_ok": Text("每个样本恰好出现在一部分中", "every sample is in exactly one part"),
    "split_pairs": Text(
        "x 和 y 应用同一个排列打乱：每个样本的标签要跟着它走",
        "x and y must be shuffled with one permutation: each label stays with its sample",
    ),
    "split_pairs_ok": Text("图像和标签仍然对应", "samples and labels still match"),
    "split_seeded": Text("同一个 seed 应得到同样的划分", "the same seed must give the same split"),
    "split_seeds_differ": Text(
        "不同的 seed 应得到不同的划分（数据要随机打乱）",
        "different seeds must give different splits (shuffle the data)",
    ),
    "split_seeded_ok": Text(
        "同一个 seed 得到同样的划分，不同的 seed 得到不同的划分",
        "the same seed gives the same split, different seeds different ones",
    ),
    "loop_returns": Text(
        "应返回 {{'loss': [...], 'accuracy': [...]}}，每个列表有 epochs 个数",
        "must return {{'loss': [...], 'accuracy': [...]}} with epochs numbers in each list",
    ),
    "loop_returns_ok": Text("返回了每一轮的 loss 和 accuracy", "returns the loss and accuracy of each epoch"),
    "loop_compiled": Text(
        "train_by_hand 不能 compile 传给它的模型（也就是不能用 fit）：自己用 tf.GradientTape 写训练循环",
        "train_by_hand must not compile the model it is given (that is, not use fit): write the loop with "
        "tf.GradientTape",
    ),
    "loop_frozen": Text(
        "learning_rate=0 时模型不变，每一轮的平均损失都应是模型在各批上损失的平均值",
        "with learning_rate=0 the model does not change: every epoch's loss must be the mean of the model's "
        "batch losses",
    ),
    "loop_frozen_accuracy": Text(
        "learning_rate=0 时每一轮的准确率都应是模型在这些数据上的准确率（预测用 argmax）",
        "with learning_rate=0 every epoch's accuracy must be the model's accuracy on this data (predictions "
        "by argmax)",
    ),
    "loop_frozen_ok": Text(
        "learning_rate=0 时，每一轮的损失和准确率正确",
        "with learning_rate=0 each epoch's loss and accuracy are right",
    ),
    "loop_learns": Text(
        "在容易学会的小数据上训练 5 轮，损失应下降", "on easy tiny data the loss must fall over 5 epochs"
    ),
    "loop_learns_ok": Text("在容易学会的小数据上，损失在下降", "on easy tiny data the loss falls"),
    "real_run": Text(
        "hand_history 应有 3 轮的 loss 和 accuracy，损失逐轮下降",
        "hand_history must hold 3 epochs of loss and accuracy, the loss falling",
    ),
    "real_run_ok": Text("真实训练：每轮损失 {losses}", "the real run: loss per epoch {losses}"),
    "files_missing": Text(
        "save_model_and_weights 应在文件夹里写出 model.keras 和 model.weights.h5",
        "save_model_and_weights must write model.keras and model.weights.h5 into the folder",
    ),
    "files_ok": Text("写出了 model.keras 和 model.weights.h5", "wrote model.keras and model.weights.h5"),
    "load_model_differs": Text(
        "keras.models.load_model 加载的 model.keras 应与原模型预测相同",
        "model.keras loaded with keras.models.load_model must predict what the original does",
    ),
    "reload_differs": Text(
        "load_weights_into_new_model 返回的模型应与原模型预测相同（读入了保存的权重）",
        "the model load_weights_into_new_model returns must predict what the original does (the saved "
        "weights read in)",
    ),
    "reload_is_original": Text(
        "load_weights_into_new_model 应返回一个新建的模型，而不是原来的模型对象",
        "load_weights_into_new_model must return a new model, not the original object",
    ),
    "reload_needs_keras_file": Text(
        "load_weights_into_new_model 应只读取 model.weights.h5：文件夹里只有这个文件时也要能加载",
        "load_weights_into_new_model must read model.weights.h5 only: it must load from a folder holding that "
        "file alone",
    ),
    "reload_ok": Text(
        "两种方式加载的模型都与原模型预测相同", "both ways of loading predict what the original does"
    ),
    "no_validation": Text(
        "History 中应有每一轮的 val_loss 和 val_accuracy（把 validation_data 交给 fit）",
        "the History must hold val_loss and val_accuracy for each epoch (give fit validation_data)",
    ),
    "plain_epochs": Text("应训练 20 轮", "must train 20 epochs"),
    "validation_mismatch": Text(
        "History 最后一轮的 val_accuracy 应等于模型在 x_val 上的准确率：验证数据应是 (x_val, y_val)",
        "the History's last val_accuracy must equal the model's accuracy on x_val: the validation data must be "
        "(x_val, y_val)",
    ),
    "regularized_mismatch": Text(
        "模型在 x_val 上的准确率应等于 History 中某一轮的 val_accuracy（恢复最好的权重时是那一轮）：验证数据应是 (x_val, y_val)",
        "the model's accuracy on x_val must equal some epoch's val_accuracy in the History (the best epoch's, "
        "when the best weights are restored): the validation data must be (x_val, y_val)",
    ),
    "gap_line": Text(
        "训练准确率 {train:.3f}，验证准确率 {val:.3f}，差距 {gap:.3f}",
        "training accuracy {train:.3f}, validation accuracy {val:.3f}, gap {gap:.3f}",
    ),
    "plain_gap_small": Text(
        "不加正则化的模型的差距应至少为 {least}：过拟合要看得见",
        "the plain model's gap must be at least {least}: the overfitting must be visible",
    ),
    "plain_ok": Text(
        "记录了验证数据上的结果；差距 {gap:.3f}，过拟合看得见",
        "validation results recorded; gap {gap:.3f}, the overfitting is visible",
    ),
    "too_many_epochs": Text("最多训练 20 轮", "train at most 20 epochs"),
    "did_not_learn": Text("验证准确率应至少为 {least}", "the validation accuracy must be at least {least}"),
    "validation_trained_on": Text(
        "只用 1,000 张图像训练，验证准确率不会超过 {most}，也不会远高于训练准确率：用 (x, y) 训练，"
        "(x_val, y_val) 只作为 validation_data",
        "trained on 1,000 images alone the validation accuracy is neither above {most} nor far above the "
        "training accuracy: train on (x, y), give (x_val, y_val) only as validation_data",
    ),
    "gap_not_smaller": Text(
        "差距应比不加正则化的模型（{plain:.3f}，你的和参考答案的 0.161 取较小者）至少小 {margin}",
        "the gap must be at least {margin} smaller than the plain model's ({plain:.3f}, the smaller of yours "
        "and the reference's 0.161)",
    ),
    "regularized_ok": Text(
        "差距从 {plain:.3f} 减小到 {gap:.3f}，验证准确率 {val:.3f}",
        "the gap fell from {plain:.3f} to {gap:.3f}, validation accuracy {val:.3f}",
    ),
}
say = Reporter(TEXTS)

MIN_PLAIN_GAP = 0.08  # as the hidden checks (solutions/training_loop/reference.py) and the notebook say
PLAIN_GAP = 0.161
GAP_MARGIN = 0.015
MIN_VAL_ACCURACY = 0.75
MAX_VAL_ACCURACY = 0.85
MOST_NEGATIVE_GAP = -0.02


def _labelled_rows(count):
    """x whose first column numbers the samples, and labels that follow from that number."""
    ids = np.arange(count)
    x = np.stack([ids, ids * 10, -ids], axis=1).astype(np.float32)
    return x, (ids * 7) % 5


def check_split(split_validation):
    """Visible checks for split_validation(x, y, fraction=0.3, seed=0)."""
    x, y = _labelled_rows(10)
    result = split_validation(x, y, 0.3, 0)
    if not (np.array_equal(x, _labelled_rows(10)[0]) and np.array_equal(y, _labelled_rows(10)[1])):
        say.fail("split_mutated", show(x[:, 0]), show(_labelled_rows(10)[0][:, 0]))
    try:
        (x_train, y_train), (x_val, y_val) = result
        x_train, y_train, x_val, y_val = (np.asarray(a) for a in (x_train, y_train, x_val, y_val))
    except (TypeError, ValueError):
        say.fail("split_returns", type(result).__name__, say.text("two_pairs"))
    if (len(x_train), len(y_train), len(x_val), len(y_val)) != (7, 7, 3, 3):
        say.fail("split_sizes", (len(x_train), len(y_train), len(x_val), len(y_val)), (7, 7, 3, 3))
    say.passed("split_sizes_ok")
    ids = sorted(np.concatenate([x_train[:, 0], x_val[:, 0]]).astype(int).tolist())
    if ids != list(range(10)):
        say.fail("split_each_once", ids, list(range(10)))
    say.passed("split_each_once_ok")
    for part_x, part_y in ((x_train, y_train), (x_val, y_val)):
        if not np.array_equal((part_x[:, 0].astype(int) * 7) % 5, part_y):
            say.fail("split_pairs", show(part_y), show((part_x[:, 0].astype(int) * 7) % 5))
    say.passed("split_pairs_ok")
    x, y = _labelled_rows(100)
    val_ids = [tuple(split_validation(x, y, 0.3, seed)[1][0][:, 0].astype(int)) for seed in (0, 0, 1)]
    if val_ids[0] != val_ids[1]:
        say.fail("split_seeded", show(val_ids[1][:10]), show(val_ids[0][:10]))
    if val_ids[0] == val_ids[2] or val_ids[0] == tuple(range(30)) or val_ids[0] == tuple(range(70, 100)):
        say.fail("split_seeds_differ", show(val_ids[2][:10]), show(val_ids[0][:10]))
    say.passed("split_seeded_ok")
    all_passed()


def _tiny_classifier(weights):
    import keras

    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])
    model.set_weights(weights)
    return model


def _easy_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(48, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64) + (x[:, 1] > 0.5)
    weights = [rng.normal(size=(4, 3)).astype(np.float32), np.zeros(3, np.float32)]
    return x, y, weights


def _quiet_run(train_by_hand, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()), quiet_stderr(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return train_by_hand(*args, **kwargs)


def check_loop(train_by_hand, hand_history):
    """Visible checks for train_by_hand(model, dataset, epochs, learning_rate=0.1) and its real run."""
    import tensorflow as tf

    x, y, weights = _easy_data()
    batches = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    model = _tiny_classifier(weights)
    history = _quiet_run(train_by_hand, model, batches, 2, learning_rate=0.0)
    if model.compiled or model.loss is not None:
        say.fail("loop_compiled", "model.compiled == True", "model.compiled == False")
    ok = isinstance(history, dict) and all(
        isinstance(history.get(key), list) and len(history[key]) == 2 for key in ("loss", "accuracy")
    )
    if not ok:
        say.fail("loop_returns", history, "{'loss': [a, b], 'accuracy': [c, d]}")
    say.passed("loop_returns_ok")
    logits = x @ weights[0] + weights[1]
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    losses = -np.log(shifted[np.arange(len(y)), y] / shifted.sum(axis=1))
    loss = float(np.mean(losses.reshape(6, 8).mean(axis=1)))
    accuracy = float(np.mean(np.argmax(logits, axis=1) == y))
    if not np.allclose(history["loss"], [loss, loss], rtol=1e-3):
        say.fail("loop_frozen", show(history["loss"]), show([loss, loss]))
    if not np.allclose(history["accuracy"], [accuracy, accuracy], atol=1e-4):
        say.fail("loop_frozen_accuracy", show(history["accuracy"]), show([accuracy, accuracy]))
    say.passed("loop_frozen_ok")
    history = _quiet_run(train_by_hand, _tiny_classifier(weights), batches, 5, learning_rate=0.5)
    if not history["loss"][-1] < history["loss"][0]:
        say.fail("loop_learns", show(history["loss"]), "loss[-1] < loss[0]")
    say.passed("loop_learns_ok")
    losses = hand_history.get("loss", []) if isinstance(hand_history, dict) else []
    if len(losses) != 3 or len(hand_history.get("accuracy", [])) != 3 or not losses[-1] < losses[0]:
        say.fail("real_run", hand_history, "{'loss': [3 numbers], 'accuracy': [3 numbers]}")
    say.passed("real_run_ok", losses=", ".join(f"{value:.4f}" for value in losses))
    all_passed()


def check_saving(save_model_and_weights, load_weights_into_new_model, make_model):
    """Visible checks for save_model_and_weights(model, folder) and load_weights_into_new_model(folder)."""
    import keras

    rng = np.random.default_rng(1)
    with quiet_stderr():
        model = make_model()
        model.set_weights(
            [rng.normal(scale=0.1, size=w.shape).astype(np.float32) for w in model.get_weights()]
        )
    images = rng.random((5, 28, 28), dtype=np.float32)
    expected = np.asarray(model(images))
    with tempfile.TemporaryDirectory() as parent:
        folder = os.path.join(parent, "saved")
        with quiet_stderr():
            save_model_and_weights(model, folder)
        files = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        if not {"model.keras", "model.weights.h5"} <= set(files):
            say.fail("files_missing", files, ["model.keras", "model.weights.h5"])
        say.passed("files_ok")
        with quiet_stderr():
            loaded = keras.models.load_model(os.path.join(folder, "model.keras"))
            got = np.asarray(loaded(images))
        if not np.allclose(got, expected, atol=1e-5):
            say.fail("load_model_differs", show(got[0]), show(expected[0]))
        only_weights = os.path.join(parent, "only_weights")
        os.makedirs(only_weights)
        shutil.copyfile(
            os.path.join(folder, "model.weights.h5"), os.path.join(only_weights, "model.weights.h5")
        )
        try:
            with quiet_stderr():
                reloaded = load_weights_into_new_model(only_weights)
        except (OSError, ValueError) as error:
            say.fail("reload_needs_keras_file", f"{type(error).__name__}: {error}"[:200], "model.weights.h5")
        if reloaded is model:
            say.fail("reload_is_original", "model", "make_model()")
        with quiet_stderr():
            got = np.asarray(reloaded(images))
        if not np.allclose(got, expected, atol=1e-5):
            say.fail("reload_differs", show(got[0]), show(expected[0]))
    say.passed("reload_ok")
    all_passed()


def _validation_history(history, epochs=None):
    logged = getattr(history, "history", {})
    if not all(isinstance(logged.get(key), list) and logged[key] for key in ("val_loss", "val_accuracy")):
        say.fail("no_validation", sorted(logged), ["accuracy", "loss", "val_accuracy", "val_loss"])
    return logged


def check_plain(plain_history, gap_of):
    """Visible checks for fit_with_validation's run on 1,000 images (the grader measures the model itself)."""
    logged = _validation_history(plain_history)
    if len(logged["val_accuracy"]) != 20:
        say.fail("plain_epochs", len(logged["val_accuracy"]), 20)
    train, val, gap = gap_of(plain_history.model)
    say.note("gap_line", train=train, val=val, gap=gap)
    if abs(logged["val_accuracy"][-1] - val) > 0.005:
        say.fail("validation_mismatch", round(logged["val_accuracy"][-1], 4), round(float(val), 4))
    if gap < MIN_PLAIN_GAP:
        say.fail("plain_gap_small", round(float(gap), 3), f">= {MIN_PLAIN_GAP}", least=MIN_PLAIN_GAP)
    say.passed("plain_ok", gap=gap)
    all_passed()


def check_regularized(plain_history, regularized_history, gap_of):
    """Visible checks for train_regularized's run: a smaller gap than the plain model's, still learning."""
    logged = _validation_history(regularized_history)
    if len(logged["val_accuracy"]) > 20:
        say.fail("too_many_epochs", len(logged["val_accuracy"]), "<= 20")
    plain_gap = min(gap_of(plain_history.model)[2], PLAIN_GAP)
    train, val, gap = gap_of(regularized_history.model)
    say.note("gap_line", train=train, val=val, gap=gap)
    if not any(abs(logged_val - val) <= 0.005 for logged_val in logged["val_accuracy"]):
        say.fail("regularized_mismatch", show(logged["val_accuracy"][-3:]), round(float(val), 4))
    if val > MAX_VAL_ACCURACY or gap < MOST_NEGATIVE_GAP:
        say.fail(
            "validation_trained_on",
            f"validation {val:.3f}, training {train:.3f}",
            f"validation <= {MAX_VAL_ACCURACY}, at most {-MOST_NEGATIVE_GAP} above training",
            most=MAX_VAL_ACCURACY,
        )
    if val < MIN_VAL_ACCURACY:
        say.fail("did_not_learn", round(float(val), 3), f">= {MIN_VAL_ACCURACY}", least=MIN_VAL_ACCURACY)
    if gap > plain_gap - GAP_MARGIN:
        expected = f"<= {plain_gap - GAP_MARGIN:.3f}"
        say.fail("gap_not_smaller", round(float(gap), 3), expected, plain=plain_gap, margin=GAP_MARGIN)
    say.passed("regularized_ok", plain=plain_gap, gap=gap, val=val)
    all_passed()
