"""What the ``callbacks`` checks say, in Chinese and English: their titles and failure messages.

A check raises ``CheckFailed(key, ...)`` with a key from ``MESSAGES`` (or one of the engine's generic
keys in ``autograder.feedback``) and names its title with ``@check(title=...)``; the grader fills the
``str.format`` fields when it writes feedback.
"""

from autograder.feedback import ENGINE_TEXTS

MESSAGES: dict[str, dict[str, str]] = {
    "uses_acc_key": {
        "zh": "回调函数读取的是 logs['acc']：这是 TensorFlow 1 的键名，TensorFlow 2 里准确率的键是 'accuracy'"
        "（也就是 monitor 参数），所以训练永远不会停止。",
        "en": "the callback reads logs['acc'], TensorFlow 1's key; in TensorFlow 2 the accuracy is under "
        "'accuracy' (the monitor argument), so training never stops.",
    },
    "stopped_at": {
        "zh": "回调函数让训练在第 {got} 个 epoch（从 0 数起；never 表示从未停止）后停止，应在第 {expected} 个："
        "第一个严格大于阈值的 epoch（never 表示不应停止）。",
        "en": "the callback stopped training after epoch {got} (counting from 0; never: it did not stop); it "
        "should stop after epoch {expected}, the first whose value is strictly above the threshold (never: "
        "none is).",
    },
    "no_warning": {
        "zh": "logs 里没有要监视的键时应使用 warnings.warn 给出警告。",
        "en": "when the monitored key is missing from logs, warn with warnings.warn.",
    },
    "no_message": {
        "zh": "停止训练时应打印一条消息（哪个 epoch、哪个值）。",
        "en": "print a message (which epoch, which value) when it stops training.",
    },
    "callback_not_used": {
        "zh": "在评分程序自己的、模型几个 epoch 就能学会的数据上，准确率在第 {expected} 个 epoch 后已超过 0.9，"
        "训练却一直进行到第 {got} 个：请把 AccuracyThresholdCallback 的实例放进 fit 的 callbacks=[...]，"
        "由它让训练停止。",
        "en": "on the grader's own data, which the model learns in a few epochs, the accuracy was above 0.9 "
        "after epoch {expected}, yet training went on until epoch {got}: put an AccuracyThresholdCallback in "
        "fit's callbacks=[...] so that it stops training.",
    },
    "fit_epochs": {
        "zh": "在评分程序自己的、任何模型都学不会的数据上（所有图片相同，标签依次为 0–9），训练进行了 {got} 个 epoch，"
        "应正好是 max_epochs = {expected} 个：把 epochs=max_epochs 传给 fit。",
        "en": "on the grader's own data, which no model can learn (every image the same, labels 0-9 in turn), "
        "training ran {got} epochs; it must run exactly max_epochs = {expected}: give fit epochs=max_epochs.",
    },
    "own_data_never_above": {
        "zh": "在评分程序自己的、模型两三个 epoch 就能学会的数据上，准确率在 {epochs} 个 epoch 里从未超过 0.9："
        "请检查模型、编译设置，以及训练是否在超过 0.9 之前就被停止了。",
        "en": "on the grader's own data, which the notebook's model learns in two or three epochs, the accuracy "
        "never went above 0.9 in {epochs} epochs: check the model, its compile settings, and whether training "
        "was stopped before it passed 0.9.",
    },
    "never_above": {
        "zh": "真实训练的准确率从未超过 0.9（共 {epochs} 个 epoch）：训练在达到 0.9 之前就结束了。"
        "fit 应得到 epochs=max_epochs，只有回调函数可以让它提前结束。",
        "en": "the real run's accuracy never went above 0.9 in its {epochs} epochs: training ended before it "
        "reached the target. fit must get epochs=max_epochs, and only the callback may end it sooner.",
    },
    "kept_training": {
        "zh": "准确率在第 {expected} 个 epoch（fit 打印的 Epoch {expected}/…）后已超过 0.9，但训练一直进行到第 {got} 个："
        "回调函数没有让训练停止。",
        "en": "the accuracy was above 0.9 after epoch {expected} (fit's 'Epoch {expected}/…'), yet training went "
        "on until epoch {got}: the callback did not stop it.",
    },
    "too_many_epochs": {
        "zh": "训练用了 {epochs} 个 epoch 才超过 0.9，应在 {most} 个以内（参考答案用 8 个）：请检查模型和编译设置。",
        "en": "training took {epochs} epochs to pass 0.9; it should take at most {most} (the reference takes 8): "
        "check the model and its compile settings.",
    },
    "no_history": {
        "zh": "history.history 里没有每个 epoch 的 'accuracy'（得到 {got}）。",
        "en": "history.history has no 'accuracy' per epoch (it gave {got}).",
    },
    "not_confirmed": {
        "zh": "评分程序载入你训练好的模型，在训练图片上测得的准确率是 {got}，至少需要 {expected}。",
        "en": "the grader loaded your trained model and measured an accuracy of {got} on the training images; "
        "at least {expected} is needed.",
    },
    "confirmed_accuracy": {
        "zh": "评分程序在 {count:,} 张训练图片上测得的准确率：{accuracy:.3f}。",
        "en": "accuracy the grader measured on {count:,} training images: {accuracy:.3f}.",
    },
}

TITLES: dict[str, dict[str, str]] = {
    "stops_at_first_above": {
        "zh": "在第一个严格大于阈值的 epoch 停止，之前从不停止（阈值 0.9、0.5、0.75 和默认值）",
        "en": "stops at the first epoch strictly above the threshold and never before (0.9, 0.5, 0.75, default)",
    },
    "monitor_honoured": {"zh": "监视 monitor 指定的键", "en": "watches the key named by monitor"},
    "missing_logs": {
        "zh": "logs 为 None 或缺少键时不崩溃；缺少键时发出警告",
        "en": "logs=None and a missing key never crash; a missing key warns",
    },
    "prints_message": {"zh": "停止时打印消息", "en": "prints a message when it stops"},
    "stopped_in_real_run": {
        "zh": "真实训练在第一次超过 0.9 的 epoch 停止，远早于 max_epochs；在评分程序自己的数据上，"
        "回调函数同样让训练停止，且 fit 最多训练 max_epochs 个 epoch",
        "en": "the real run stopped at the first epoch above 0.9, well before max_epochs; on the grader's own "
        "data the callback stops training too, and fit runs at most max_epochs epochs",
    },
    "accuracy_confirmed": {
        "zh": "评分程序自己测得训练好的模型的准确率",
        "en": "the grader measures the trained model's accuracy itself",
    },
}

TEXTS = ENGINE_TEXTS.extended(MESSAGES, TITLES)
