"""What the ``layers`` checks say, in Chinese and English: their titles and failure messages.

A check raises ``CheckFailed(key, ...)`` with a key from ``MESSAGES`` (or one of the engine's generic
keys in ``autograder.feedback``) and names its title with ``@check(title=...)``; the grader fills the
``str.format`` fields when it writes feedback.
"""

from autograder.feedback import ENGINE_TEXTS

MESSAGES: dict[str, dict[str, str]] = {
    "weights_before_call": {
        "zh": "这个层在第一次调用之前就有了权重（形状 {got}）：请在 build(input_shape) 里创建权重，"
        "因为输入的维度要到第一次调用时才知道。",
        "en": "the layer has weights before its first call (shapes {got}): create them in build(input_shape), "
        "because the input size is only known at the first call.",
    },
    "weight_shapes": {
        "zh": "权重的形状是 {got}，应为 {expected}（先 W 后 b）。",
        "en": "the weights have shapes {got}; expected {expected} (W first, then b).",
    },
    "bias_not_zero": {
        "zh": '新建层的偏置 b 不是全 0：{got}。请用 initializer="zeros"。',
        "en": 'the bias b of a new layer is not all zeros: {got}; use initializer="zeros".',
    },
    "kernel_constant": {
        "zh": '新建层的 W 每个元素都相同（{got}）：请用 initializer="random_normal"，否则各个单元学到的东西一样。',
        "en": 'every element of a new layer\'s W is the same ({got}); use initializer="random_normal", '
        "or all units learn the same thing.",
    },
    "no_weight_gradient": {
        "zh": "tf.GradientTape 得不到关于 W 和 b 的梯度（得到 {got}）：call 里请只用 TensorFlow 运算"
        "（tf.matmul），并用 self.add_weight 创建可训练的权重。",
        "en": "tf.GradientTape finds no gradient for W and b (it got {got}): use TensorFlow operations "
        "(tf.matmul) in call and create trainable weights with self.add_weight.",
    },
    "layer_config_missing": {
        "zh": "get_config() 应以普通值（数字、字符串）带上 units 和 activation，得到的是 {got}。"
        "激活函数请用 keras.activations.serialize(self.activation) 保存。",
        "en": "get_config() must carry units and activation as plain values (numbers, strings); it gave {got}. "
        "Store the activation with keras.activations.serialize(self.activation).",
    },
    "activity_losses_count": {
        "zh": "调用一次之后 layer.losses 应正好有 1 个损失，实际有 {got} 个。",
        "en": "after one call layer.losses should hold exactly one loss; it holds {got}.",
    },
    "mlp_variables": {
        "zh": "模型的可训练变量形状是 {got}，应为 5 个 SimpleDense 层的 10 个变量：{expected}。",
        "en": "the model's trainable variables have shapes {got}; expected the 10 variables of the five "
        "SimpleDense layers: {expected}.",
    },
    "not_learned_training": {
        "zh": "评分程序用你训练好的权重在 20,000 张训练图片上算得的准确率是 {got}，至少需要 {expected}"
        "（未训练的网络约 0.10）。",
        "en": "with your trained weights the grader computed an accuracy of {got} on the 20,000 training images; "
        "at least {expected} is needed (an untrained network gets about 0.10).",
    },
    "measured_accuracy": {
        "zh": "评分程序用你训练好的权重在 {count:,} 张训练图片上测得的准确率：{accuracy:.3f}。",
        "en": "accuracy the grader measured with your trained weights on {count:,} training images: {accuracy:.3f}.",
    },
}

TITLES: dict[str, dict[str, str]] = {
    "config_round_trip": {
        "zh": "get_config() 与 from_config() 可往返",
        "en": "get_config() and from_config() round-trip",
    },
    "lazy_build": {
        "zh": "第一次调用时才创建权重：W 为 (输入维度, units) 的随机正态值，b 为 (units,) 的 0",
        "en": "weights made at the first call: W (input size, units) random normal, b (units,) zeros",
    },
    "dense_outputs": {
        "zh": "用评分程序设定的权重时，激活函数为 None、relu、sigmoid、tanh 的输出与参考答案一致",
        "en": "with the grader's weights, outputs match the reference for activations None, relu, sigmoid, tanh",
    },
    "weight_gradient": {
        "zh": "梯度能传到 W 和 b，且与参考答案一致",
        "en": "gradients reach W and b and match the reference",
    },
    "passes_input_through": {"zh": "原样返回输入", "en": "returns its input unchanged"},
    "activity_loss": {
        "zh": "add_loss 加入的损失等于 rate · sum(inputs)（默认 rate 为 0.1）",
        "en": "the loss added with add_loss equals rate · sum(inputs) (default rate 0.1)",
    },
    "mlp_variables": {
        "zh": "MLP 正好有 10 个形状正确的可训练变量",
        "en": "MLP has exactly 10 trainable variables of the right shapes",
    },
    "mlp_logits": {
        "zh": "用评分程序设定的权重时，MLP 输出 (batch, 10) 的 logits，与参考网络一致",
        "en": "with the grader's weights, MLP gives (batch, 10) logits equal to the reference network's",
    },
    "mlp_learned": {
        "zh": "评分程序用训练好的权重在 20,000 张训练图片上测得准确率至少 0.80",
        "en": "the grader measures at least 0.80 accuracy of the trained weights on the 20,000 training images",
    },
}

TEXTS = ENGINE_TEXTS.extended(MESSAGES, TITLES)
