"""What the ``cnn`` checks say, in Chinese and English: their titles and failure messages.

A check raises ``CheckFailed(key, ...)`` with a key from ``MESSAGES`` (or one of the engine's generic
keys in ``autograder.feedback``) and names its title with ``@check(title=...)``; the grader fills the
``str.format`` fields when it writes feedback.
"""

from autograder.feedback import ENGINE_TEXTS

MESSAGES: dict[str, dict[str, str]] = {
    "wrong_array": {
        "zh": "返回了 {got}，应返回 {expected}。",
        "en": "returned {got}; expected a {expected}.",
    },
    "input_reshaped": {
        "zh": "函数改变了传入数组的形状（变成 {got}，原为 {expected}）：请返回新数组，不要修改 images。",
        "en": "the function changed the shape of the array it was given (now {got}, was {expected}): return a "
        "new array and leave images alone.",
    },
    "layer_missing": {
        "zh": "build_cnn() 的模型里没有 {expected} 层（它的层：{got}）。",
        "en": "build_cnn()'s model has no {expected} layer (its layers: {got}).",
    },
    "flatten_too_early": {
        "zh": "Flatten 应在所有 Conv2D 和 MaxPooling2D 之后（它的层：{got}）。",
        "en": "Flatten must come after every Conv2D and MaxPooling2D layer (its layers: {got}).",
    },
    "model_not_built": {
        "zh": "build_cnn() 返回的模型还没有建立（没有输入形状）：请以 keras.Input(shape=(28, 28, 1)) 开始。",
        "en": "build_cnn()'s model is not built (it has no input shape): start it with keras.Input(shape=(28, 28, 1)).",
    },
    "not_probabilities": {
        "zh": "模型的输出不是每张图片 10 个概率（都 ≥ 0、和为 1）：第一张图片得到 {got}。最后一层应是 "
        'Dense(10, activation="softmax")。',
        "en": "the model's output is not 10 probabilities per image (each ≥ 0, adding up to 1): for the first "
        'image it gives {got}. The last layer must be Dense(10, activation="softmax").',
    },
    "wrong_shapes": {
        "zh": "模型的输入和输出形状是 {got}，应是 {expected}（别忘了通道维度）。",
        "en": "the model's input and output shapes are {got}; they must be {expected} (mind the channel axis).",
    },
    "wrong_compile": {
        "zh": "模型编译时用的 loss 是 {got}，整数标签应使用 {expected}。",
        "en": "the model is compiled with loss {got}; integer labels need {expected}.",
    },
    "over_budget": {
        "zh": "模型有 {got} 个参数，超过了 {expected} 的预算：加池化层，或减少卷积核、神经元数量。",
        "en": "the model has {got} parameters, over the budget of {expected}: add pooling, or use fewer filters "
        "or units.",
    },
    "parameter_count": {"zh": "参数个数：{count:,}。", "en": "parameters: {count:,}."},
    "test_accuracy": {
        "zh": "评分程序在 10,000 张测试图片上测得的准确率：{accuracy:.4f}。",
        "en": "accuracy the grader measured on the 10,000 test images: {accuracy:.4f}.",
    },
    "below_tier": {
        "zh": "测试准确率 {got} 低于这一档的 {expected}。",
        "en": "the test accuracy {got} is below this tier's {expected}.",
    },
}

TITLES: dict[str, dict[str, str]] = {
    "no_mutation": {"zh": "不修改输入数组", "en": "does not change its input array"},
    "preprocess_values": {
        "zh": "float32、形状 (N, 28, 28, 1)、数值为 images / 255",
        "en": "float32 of shape (N, 28, 28, 1) with values images / 255",
    },
    "architecture": {
        "zh": "Conv2D 和 MaxPooling2D，然后 Flatten、Dense；输入 (28, 28, 1)，输出每张图片 10 个概率（softmax）",
        "en": "Conv2D and MaxPooling2D, then Flatten and Dense; input (28, 28, 1), output 10 probabilities per "
        "image (softmax)",
    },
    "compiled": {
        "zh": "用 sparse_categorical_crossentropy 编译",
        "en": "compiled with sparse_categorical_crossentropy",
    },
    "parameter_budget": {"zh": "参数不超过 500,000 个", "en": "at most 500,000 parameters"},
    "accuracy_0.88": {
        "zh": "评分程序测得 10,000 张测试图片上的准确率至少 0.88",
        "en": "the grader measures at least 0.88 accuracy on the 10,000 test images",
    },
    "accuracy_0.90": {"zh": "测试准确率至少 0.90", "en": "test accuracy at least 0.90"},
    "accuracy_0.91": {"zh": "测试准确率至少 0.91", "en": "test accuracy at least 0.91"},
}

TEXTS = ENGINE_TEXTS.extended(MESSAGES, TITLES)
