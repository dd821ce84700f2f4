"""What the ``losses`` checks say, in Chinese and English: their titles and failure messages.

A check raises ``CheckFailed(key, ...)`` with a key from ``MESSAGES`` (or one of the engine's generic
keys in ``autograder.feedback``) and names its title with ``@check(title=...)``; the grader fills the
``str.format`` fields when it writes feedback.
"""

from autograder.feedback import ENGINE_TEXTS

MESSAGES: dict[str, dict[str, str]] = {
    "not_scalar": {
        "zh": "返回的形状是 {got}：损失应是一个数（0 维张量），请对所有元素取平均。",
        "en": "returned shape {got}: a loss must be a single number (a 0-d tensor); average over all elements.",
    },
    "no_gradient": {
        "zh": "tf.GradientTape 得不到关于 y_pred 的梯度（结果为 None）：请只用 TensorFlow 运算（tf.square、"
        "tf.reduce_mean），不要用 NumPy、float() 或 .numpy()。",
        "en": "tf.GradientTape finds no gradient with respect to y_pred (it is None): use TensorFlow operations "
        "only (tf.square, tf.reduce_mean), not NumPy, float() or .numpy().",
    },
    "wrong_default": {
        "zh": "默认的 {what} 是 {got}，应为 {expected}。",
        "en": "the default {what} is {got}; it should be {expected}.",
    },
    "config_missing": {
        "zh": "get_config() 里没有正确的 regularization_factor（得到的键：{got}）。",
        "en": "get_config() does not carry the right regularization_factor (its keys: {got}).",
    },
    "wrong_loss_in_model": {
        "zh": "model 不是用 CustomMSE() 编译的（它保存的 loss 是 {got}）。",
        "en": "model is not compiled with CustomMSE() (the loss saved with it is {got}).",
    },
    "not_learned": {
        "zh": "评分程序在 1,000 张测试图片上测得的准确率是 {got}，至少需要 {expected}（未训练的网络约 0.10）。",
        "en": "the grader measured an accuracy of {got} on 1,000 test images; at least {expected} is needed "
        "(an untrained network gets about 0.10).",
    },
}

TITLES: dict[str, dict[str, str]] = {
    "loss_values": {
        "zh": "与参考答案一致（1 到 3 维，批量 1 到 64，float32 和 float64）",
        "en": "matches the reference (1-d to 3-d, batch 1 to 64, float32 and float64)",
    },
    "symmetric_zero": {
        "zh": "交换 y_true 和 y_pred 结果不变；两者相等时为 0",
        "en": "the same with y_true and y_pred swapped, and 0 when they are equal",
    },
    "gradient": {
        "zh": "tf.GradientTape 求得的梯度与参考答案一致",
        "en": "tf.GradientTape's gradient matches the reference",
    },
    "factor_honoured": {
        "zh": "regularization_factor 为 0、0.1、2.5 时的取值",
        "en": "values for regularization_factor 0, 0.1 and 2.5",
    },
    "defaults": {"zh": "默认参数（0.1，名字 custom_mse）", "en": "defaults (0.1, name custom_mse)"},
    "config_round_trip": {
        "zh": "get_config() 与 from_config() 可往返",
        "en": "get_config() and from_config() round-trip",
    },
    "uses_custom_loss": {
        "zh": "训练好的 model 使用的是你的 CustomMSE",
        "en": "the trained model uses your CustomMSE",
    },
    "learned": {
        "zh": "评分程序测得 1,000 张测试图片上的准确率至少 0.70",
        "en": "the grader measures at least 0.70 accuracy on 1,000 test images",
    },
}

TEXTS = ENGINE_TEXTS.extended(MESSAGES, TITLES)
