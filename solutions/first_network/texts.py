"""What the ``first_network`` checks say, in Chinese and English: their titles and failure messages.

A check raises ``CheckFailed(key, ...)`` with a key from ``MESSAGES`` (or one of the engine's generic
keys in ``autograder.feedback``) and names its title with ``@check(title=...)``; the grader fills the
``str.format`` fields when it writes feedback.
"""

from autograder.feedback import ENGINE_TEXTS

MESSAGES: dict[str, dict[str, str]] = {
    "not_a_keras_model": {
        "zh": "`{name}()` 返回的是 {got}，不是 Keras 模型：请返回你建好并编译好的 keras.Sequential。",
        "en": "`{name}()` returned a {got}, not a Keras model: return the keras.Sequential you built and compiled.",
    },
    "model_activation_not_loadable": {
        "zh": "评分程序无法用 Keras 安全模式载入 `{name}()` 的模型：有一层的激活函数是 TensorFlow 函数 {got}"
        "（不是 Keras 自带的激活函数），它不能安全地保存和载入。"
        '请写成字符串：activation="relu"、activation="softmax"。',
        "en": "the grader could not load the model of `{name}()` in Keras safe mode: a layer's activation is the "
        "TensorFlow function {got} (not one of Keras's own activations), which cannot be saved and loaded "
        'safely. Write it as a string: activation="relu", activation="softmax".',
    },
    "layers_differ": {
        "zh": "模型的层（不计输入层）是 {got}，应为 {expected}。",
        "en": "the model's layers (not counting the input) are {got}; expected {expected}.",
    },
    "activation_differs": {
        "zh": "第 {index} 层 {layer}（从 0 数起）的激活函数不是 {expected}：对输入 {probe} 它给出 {got}。",
        "en": "layer {index} {layer} (counting from 0) does not apply {expected}: on the inputs {probe} it gives "
        "{got}.",
    },
    "no_input_shape": {
        "zh": "模型没有输入形状（从未被构建）：请以 keras.Input(shape={expected}) 作为第一层。",
        "en": "the model has no input shape (it was never built): start it with keras.Input(shape={expected}).",
    },
    "input_shape_differs": {
        "zh": "模型的输入形状是 {got}，应为 {expected}。",
        "en": "the model's input shape is {got}; expected {expected}.",
    },
    "output_shape_differs": {
        "zh": "输入形状为 {input_shape} 时，模型输出的形状是 {got}，应为 {expected}。",
        "en": "for an input of shape {input_shape} the model's output has shape {got}; expected {expected}.",
    },
    "not_compiled": {
        "zh": "`{name}()` 返回的模型没有编译（保存的文件里没有编译设置）：请在返回前调用 model.compile(...)。",
        "en": "the model `{name}()` returns is not compiled (its saved file has no compile settings): call "
        "model.compile(...) before returning it.",
    },
    "compile_setting_differs": {
        "zh": "模型编译时的 {what} 是 {got}，应为 {expected}。",
        "en": "the model is compiled with {what} {got}; expected {expected}.",
    },
    "prediction_off": {
        "zh": "评分程序载入你训练好的 linear_model，在 x = 10 处预测得 {got}，应为 {expected}（y = 3x + 1）。",
        "en": "the grader loaded your trained linear_model and it predicts {got} at x = 10; expected {expected} "
        "(y = 3x + 1).",
    },
    "linear_prediction_value": {
        "zh": "评分程序用你训练好的 linear_model 在 x = 10 处的预测：{got}。",
        "en": "the grader's prediction of your trained linear_model at x = 10: {got}.",
    },
    "classifier_not_learned": {
        "zh": "评分程序载入你训练好的 classifier，在 10,000 张测试图片上测得的准确率是 {got}，至少需要 {expected}"
        "（参考答案约 0.87，未训练的网络约 0.10）。",
        "en": "the grader loaded your trained classifier and measured an accuracy of {got} on the 10,000 test "
        "images; at least {expected} is needed (the reference gets about 0.87, an untrained network about 0.10).",
    },
    "test_set_accuracy": {
        "zh": "评分程序在 {count:,} 张测试图片上测得的准确率：{accuracy:.3f}。",
        "en": "accuracy the grader measured on the {count:,} test images: {accuracy:.3f}.",
    },
}

TITLES: dict[str, dict[str, str]] = {
    "linear_architecture": {
        "zh": "build_linear_model() 返回一层 Dense(1)，无激活函数，输入形状 (1,)",
        "en": "build_linear_model() returns one Dense(1) layer, no activation, input shape (1,)",
    },
    "linear_compile": {
        "zh": "线性模型用 sgd 和 mean_squared_error 编译（从保存的模型文件读取）",
        "en": "the linear model is compiled with sgd and mean_squared_error (read from its saved file)",
    },
    "linear_prediction": {
        "zh": "评分程序用训练好的 linear_model 在 x = 10 处预测得 31 ± 0.5",
        "en": "the grader's prediction of the trained linear_model at x = 10 is 31 ± 0.5",
    },
    "classifier_layers": {
        "zh": "分类器的层为 Flatten → Dense(128, relu) → Dense(10, softmax)",
        "en": "the classifier's layers are Flatten → Dense(128, relu) → Dense(10, softmax)",
    },
    "classifier_shapes": {
        "zh": "输入形状 (28, 28)，输出形状 (batch, 10)",
        "en": "input shape (28, 28), output shape (batch, 10)",
    },
    "classifier_compile": {
        "zh": "分类器用 adam、sparse_categorical_crossentropy 和 accuracy 指标编译（从保存的模型文件读取）",
        "en": "the classifier is compiled with adam, sparse_categorical_crossentropy and the accuracy metric "
        "(read from its saved file)",
    },
    "classifier_accuracy": {
        "zh": "评分程序测得训练好的 classifier 在 10,000 张测试图片上的准确率至少 0.85",
        "en": "the grader measures at least 0.85 accuracy of the trained classifier on the 10,000 test images",
    },
}

TEXTS = ENGINE_TEXTS.extended(MESSAGES, TITLES)
