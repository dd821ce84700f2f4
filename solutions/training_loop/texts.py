"""What the ``training_loop`` checks say, in Chinese and English: their titles and failure messages.

A check raises ``CheckFailed(key, ...)`` with a key from ``MESSAGES`` (or one of the engine's generic
keys in ``autograder.feedback``) and names its title with ``@check(title=...)``; the grader fills the
``str.format`` fields when it writes feedback.
"""

from autograder.feedback import ENGINE_TEXTS

MESSAGES: dict[str, dict[str, str]] = {
    # part 1
    "split_shape": {
        "zh": "应返回 (x_train, y_train), (x_val, y_val)：两对数组，x 的每一行是一个样本，y 与 x 一样长；得到 {got}。",
        "en": "must return (x_train, y_train), (x_val, y_val): two pairs of arrays, a sample per row of x, y as long "
        "as x; it gave {got}.",
    },
    "pairs_broken": {
        "zh": "图像和标签对不上了（或者样本本身被改了）：x 和 y 要用同一个排列打乱，例如 order = rng.permutation(len(x))，"
        "再用 x[order] 和 y[order]。",
        "en": "samples and labels no longer match (or the samples themselves changed): shuffle x and y with one "
        "permutation, e.g. order = rng.permutation(len(x)), then x[order] and y[order].",
    },
    "split_mutated": {
        "zh": "split_validation 改动了传给它的 {array}（原地打乱，例如 np.random.shuffle({array})）：调用者的数据不能变，"
        "笔记本里传入的正是训练集的一部分。用 order = rng.permutation(len(x)) 和 x[order]、y[order] 得到新数组。",
        "en": "split_validation changed the {array} it was given (shuffled in place, e.g. np.random.shuffle({array})): "
        "the caller's data must stay as it is, and the notebook passes part of the training set. Use order = "
        "rng.permutation(len(x)), then x[order] and y[order], which make new arrays.",
    },
    "val_size": {
        "zh": "验证集有 {got} 个样本，应为 int(fraction * len(x)) = {expected} 个。",
        "en": "the validation part has {got} samples; it must have int(fraction * len(x)) = {expected}.",
    },
    "leaks": {
        "zh": "样本 {samples} 同时出现在训练集和验证集中：验证集的样本不能再用来训练，否则验证结果就不是“没见过的数据”上的结果。",
        "en": "samples {samples} are in both the training and the validation part: a validation sample must never "
        "be trained on, or the validation result is not one on unseen data.",
    },
    "lost_samples": {
        "zh": "两部分合起来只有 {got} 个不同的样本，应是全部 {expected} 个：每个样本都要恰好出现在一部分中。",
        "en": "the two parts hold {got} distinct samples together; all {expected} must be there, each in exactly "
        "one part.",
    },
    "not_seeded": {
        "zh": "同一个 seed 调用两次，得到的验证集不同（第二次以 {got} 开头，第一次以 {expected} 开头）："
        "随机排列要由 seed 决定，例如 np.random.default_rng(seed).permutation(len(x))。",
        "en": "called twice with the same seed it gave different validation parts (the second starts {got}, the "
        "first {expected}): the permutation must come from seed, e.g. "
        "np.random.default_rng(seed).permutation(len(x)).",
    },
    "not_shuffled": {
        "zh": "验证集正好是原来顺序里的前 30 个或后 30 个样本（以 {got} 开头）：切分之前要先打乱。",
        "en": "the validation part is exactly the first or the last 30 samples in their original order (it starts "
        "{got}): shuffle before cutting.",
    },
    "seed_ignored": {
        "zh": "两个不同的 seed 得到了同样的验证集（以 {got} 开头）：要用 seed 参数，而不是固定的种子。",
        "en": "two different seeds gave the same validation part (it starts {got}): use the seed argument, not a "
        "fixed seed.",
    },
    # part 2
    "history_shape": {
        "zh": "应返回 {{'loss': [...], 'accuracy': [...]}}，每个列表有 {epochs} 个数（每轮一个，用 float(meter.result())）；"
        "得到 {got}。",
        "en": "must return {{'loss': [...], 'accuracy': [...]}} with {epochs} numbers in each list (one per epoch, "
        "float(meter.result())); it gave {got}.",
    },
    "used_fit": {
        "zh": "train_by_hand 编译了评分程序给它的模型（调用了 compile，大概是为了用 fit）：这一部分要自己写训练循环，"
        "用 tf.GradientTape 求梯度、optimizer.apply_gradients 更新，不用 compile 和 fit。",
        "en": "train_by_hand compiled the grader's model (it called compile, presumably to use fit): this part "
        "asks for the loop written by hand, with tf.GradientTape for the gradients and "
        "optimizer.apply_gradients for the update, without compile or fit.",
    },
    "meters_not_reset": {
        "zh": "{meters} 在第 2 轮以后记录的是从第 1 轮起所有批次的平均值：每轮结束、记下 result() 之后，要用 "
        "reset_state() 把测量器清零（Keras 3 中的名字；笔记里的 reset_states() 已经没有了）。",
        "en": "from epoch 2 on, {meters} records the mean of every batch since epoch 1: after recording result() at "
        "the end of each epoch, clear the meter with reset_state() (Keras 3's name; the notes' reset_states() "
        "is gone).",
    },
    "epoch_differs": {
        "zh": "第 {epoch} 轮的 {metric} 是 {got}，按题目要求的训练（SGD、每批更新一次、这一批的损失和用 argmax 得到的预测写入测量器）"
        "应为 {expected}。",
        "en": "epoch {epoch}'s {metric} is {got}; the training the task asks for (SGD, one update per batch, the batch's "
        "loss and its argmax predictions written into the meters) gives {expected}.",
    },
    "weights_differ": {
        "zh": "训练后 model.get_weights() 应是 [kernel, bias]；得到 {got}。",
        "en": "after training model.get_weights() must be [kernel, bias]; it gave {got}.",
    },
    "loop_accuracy": {
        "zh": "评分程序在 {count:,} 张没有用来训练的图像上测得 model 的准确率：{accuracy:.3f}。",
        "en": "accuracy the grader measured for model on {count:,} images it was not trained on: {accuracy:.3f}.",
    },
    "loop_untrained": {
        "zh": "第 2 部分训练出的 model 在评分程序的验证图像上准确率只有 {got}，至少应为 {expected}："
        "训练单元格里的 model 要用你的 train_by_hand 训练过。",
        "en": "part 2's model scores only {got} on the grader's validation images; at least {expected} is needed: "
        "the training cell's model must be trained by your train_by_hand.",
    },
    # part 3
    "make_model_changed": {
        "zh": "make_model() 的权重形状是 {got}，应为 {expected}：不要修改给定的 make_model。",
        "en": "make_model()'s weights have shapes {got}; they must be {expected}: do not change the given make_model.",
    },
    "no_folder": {
        "zh": "调用后没有这个文件夹：文件夹不存在时要先创建它（os.makedirs(folder, exist_ok=True)）。",
        "en": "there is no such folder after the call: create the folder if it does not exist "
        "(os.makedirs(folder, exist_ok=True)).",
    },
    "no_weights_file": {
        "zh": '文件夹里没有可用的 model.weights.h5（{detail}）：用 model.save_weights(os.path.join(folder, "model.weights.h5")) '
        "把权重保存成一个普通文件。",
        "en": "the folder has no usable model.weights.h5 ({detail}): save the weights as a plain file with "
        'model.save_weights(os.path.join(folder, "model.weights.h5")).',
    },
    "folder_changed": {
        "zh": "评分程序无法在内核的目录里建立放权重文件的新文件夹（{detail}）：内核在检查进行时改动了自己的目录。",
        "en": "the grader could not make the new folder for the weights file in the kernel's directory ({detail}): "
        "the kernel changed its directory while the check ran.",
    },
    # part 4
    "gap_measured": {
        "zh": "评分程序测得 {name}.model：训练准确率 {train:.3f}，验证准确率 {val:.3f}，差距 {gap:.3f}。",
        "en": "the grader measured {name}.model: training accuracy {train:.3f}, validation accuracy {val:.3f}, "
        "gap {gap:.3f}.",
    },
    "no_validation": {
        "zh": 'History 中没有每一轮的 accuracy 和 val_accuracy（有的键：{got}）：用 metrics=["accuracy"] 编译，'
        "并把 validation_data=(x_val, y_val) 交给 fit。",
        "en": "the History has no accuracy and val_accuracy per epoch (its keys: {got}): compile with "
        'metrics=["accuracy"] and give fit validation_data=(x_val, y_val).',
    },
    "plain_epochs": {
        "zh": "plain_history 记录了 {got} 轮，应为 {expected} 轮（epochs 的默认值）。",
        "en": "plain_history records {got} epochs; it must be {expected} (epochs' default).",
    },
    "validation_not_x_val": {
        "zh": "History 最后一轮的 val_accuracy 是 {got}，而评分程序在 x_val 上测得 {expected}：验证数据应是 (x_val, y_val)，"
        "不能是训练数据。",
        "en": "the History's last val_accuracy is {got}, but the grader measured {expected} on x_val: the validation "
        "data must be (x_val, y_val), not the training data.",
    },
    "no_overfitting": {
        "zh": "不加正则化的模型的差距（训练准确率减验证准确率）是 {got}，至少应为 {expected}：按题目用 adam 训练 20 轮，"
        "用默认的批大小（不给 batch_size，即 32），不要加 Dropout、正则化或提前停止。",
        "en": "the plain model's gap (training minus validation accuracy) is {got}; it must be at least {expected}: "
        "train it with adam for 20 epochs as the task says, at the default batch size (no batch_size: 32), "
        "with no Dropout, regularisation or early stopping.",
    },
    "epochs_ignored": {
        "zh": "History 中每个键的轮数是 {got}，应为 {expected}：把 epochs 参数交给 fit，并给出 validation_data。",
        "en": "the History holds {got} epochs per key; it must be {expected}: give fit the epochs argument and "
        "validation_data.",
    },
    "too_many_epochs": {
        "zh": "regularized_history 记录了 {got} 轮，最多 {most} 轮。",
        "en": "regularized_history records {got} epochs; at most {most} are allowed.",
    },
    "regularized_not_x_val": {
        "zh": "评分程序在 x_val 上测得 regularized_history.model 的验证准确率为 {expected}，但 History 里没有哪一轮的 "
        "val_accuracy 与它相符（最后几轮：{got}）：训练数据应是 (x, y)，validation_data 应是 (x_val, y_val)。",
        "en": "the grader measured regularized_history.model at {expected} on x_val, but no epoch's val_accuracy "
        "in the History agrees (the last ones: {got}): train on (x, y) and give validation_data=(x_val, y_val).",
    },
    "validation_trained_on": {
        "zh": "加正则化的模型在验证图像上的准确率是 {val}，训练图像上是 {train}，评分程序自己的 10,000 张测试图像上是 {test}："
        "只用 1,000 张训练图像训练，验证准确率不会超过 {most}，不会远高于训练准确率，也不会比测试图像上的高出 {above} 以上。"
        "验证数据被用来训练了，或者两组数据交换了位置：用 (x, y) 训练，(x_val, y_val) 只作为 validation_data。",
        "en": "the regularized model scores {val} on the validation images, {train} on the training images and "
        "{test} on the grader's own 10,000 test images: trained on the 1,000 training images alone its "
        "validation accuracy is neither above {most}, nor far above its training accuracy, nor more than "
        "{above} above its test accuracy. The validation data was trained on, or the two were swapped: train on "
        "(x, y) and give (x_val, y_val) only as validation_data.",
    },
    "did_not_learn": {
        "zh": "加正则化的模型的验证准确率是 {got}，至少应为 {expected}：正则化太强，或者训练太早停止，模型没有学会。",
        "en": "the regularized model's validation accuracy is {got}; at least {expected} is needed: the "
        "regularisation is too strong or training stopped too soon, and the model did not learn.",
    },
    "gap_not_smaller": {
        "zh": "加正则化的模型的差距是 {got}，应不超过 {expected}（不加正则化的模型的差距 {plain} 减去 {margin}；"
        "你的 plain_history 和参考答案的 {reference} 取较小者）：试试更强的 Dropout（0.5）、L2(0.01) 或 "
        "EarlyStopping(restore_best_weights=True)，用默认的批大小。",
        "en": "the regularized model's gap is {got}; it must be at most {expected} (the plain model's gap {plain} "
        "minus {margin}, the smaller of your plain_history's and the reference's {reference}): try a stronger Dropout "
        "(0.5), L2(0.01) or EarlyStopping(restore_best_weights=True), at the default batch size.",
    },
}

TITLES: dict[str, dict[str, str]] = {
    "split_sizes": {
        "zh": "x 和 y 不被改动，验证集大小为 int(fraction * len(x))，每个样本恰好在一部分中，标签跟着样本走",
        "en": "x and y left unchanged, a validation part of int(fraction * len(x)), every sample in exactly one part, "
        "labels with their samples",
    },
    "split_seeded": {
        "zh": "同一个 seed 得到同样的、打乱过的划分，不同的 seed 得到不同的划分",
        "en": "the same seed gives the same shuffled split, another seed another split",
    },
    "loop_matches": {
        "zh": "在评分程序的模型和数据上（不用 compile 和 fit），每一轮的 loss、accuracy 和训练后的权重与 SGD 的结果一致",
        "en": "on the grader's model and data (without compile or fit), every epoch's loss and accuracy and the "
        "trained weights match SGD",
    },
    "loop_real_run": {
        "zh": "第 2 部分的 model 确实训练过（评分程序自己测量准确率）",
        "en": "part 2's model was trained (the grader measures its accuracy itself)",
    },
    "model_file": {
        "zh": "model.keras 保存了结构和权重（评分程序以安全模式加载）",
        "en": "model.keras holds the structure and the weights (loaded by the grader in safe mode)",
    },
    "weights_reloaded": {
        "zh": "model.weights.h5 的权重读入新建的模型后，预测与原模型相同",
        "en": "the weights of model.weights.h5, read into a new model, predict what the original did",
    },
    "plain_overfits": {
        "zh": "不加正则化的模型记录了验证结果，而且过拟合看得见（评分程序自己测量差距）",
        "en": "the plain model records validation results and visibly overfits (the grader measures the gap)",
    },
    "epochs_honoured": {
        "zh": "fit_with_validation 训练 epochs 参数给出的轮数",
        "en": "fit_with_validation trains for the epochs it is given",
    },
    "gap_smaller": {
        "zh": "加正则化后差距至少小 0.015，验证准确率在 0.75 到 0.85 之间，验证数据没有用来训练（评分程序自己测量）",
        "en": "regularisation makes the gap at least 0.015 smaller with a validation accuracy from 0.75 to 0.85, the "
        "validation data never trained on (measured by the grader)",
    },
}

TEXTS = ENGINE_TEXTS.extended(MESSAGES, TITLES)
