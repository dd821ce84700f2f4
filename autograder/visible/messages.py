"""Every text the visible checks print, in Chinese and English, in one place (可见检查的全部文字).

A check names its text by key and fills its ``str.format`` fields; ``autograder.visible.report``
prints it Chinese first. Code, numbers and units are the same in both languages.
"""

from __future__ import annotations

from typing import NamedTuple


class Text(NamedTuple):
    """One message in Chinese and English; ``str()`` gives "中文 / English"."""

    zh: str
    en: str

    def format(self, **fields: object) -> Text:
        return Text(self.zh.format(**fields), self.en.format(**fields))

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


MESSAGES: dict[str, Text] = {
    # How every check reports.
    "all_passed": Text("可见检查全部通过", "all visible checks passed"),
    "label.input": Text("输入", "input"),
    "label.got": Text("得到", "got"),
    "label.expected": Text("期望", "expected"),
    "label.warning": Text("警告", "warning"),
    "label.after_call": Text("调用后", "after the call"),
    # Shared by several assignments.
    "wrong_value": Text("值不对", "wrong value"),
    "not_ndarray": Text("返回值不是 NumPy 数组", "the result is not a NumPy array"),
    "input_modified": Text("输入被修改了", "the input was modified"),
    "input_not_modified": Text("输入未被修改", "input not modified"),
    "input_unchanged": Text("输入保持不变（不要修改输入）", "the input unchanged (do not modify it)"),
    "a_class": Text("一个类", "a class"),
    "a_tensor": Text("一个张量", "a tensor"),
    "must_subclass": Text("{name} 应是 {base} 的子类", "{name} must subclass {base}"),
    "subclasses": Text("{name} 是 {base} 的子类", "{name} subclasses {base}"),
    "not_a_model": Text("{name} 应返回 Keras 模型", "{name} must return a Keras model"),
    "epochs_wrong": Text("训练的 epoch 数应为 {n}", "the number of epochs must be {n}"),
    "epochs_ok": Text("history 记录了 {n} 个 epoch", "epochs in history: {n}"),
    "shape_of": Text("形状 {shape}", "shape {shape}"),
    # activations
    "act.right_value": Text("取值正确", "right value"),
    "act.warned": Text("产生了警告", "it warned"),
    "act.no_warning_expected": Text(
        "没有警告（请用数值稳定的写法）", "no warning (use a numerically stable form)"
    ),
    "act.wrong_extreme_value": Text("极端输入上的值不对", "wrong value on extreme inputs"),
    "act.extremes_ok": Text("没有警告、NaN 或 inf", "no warning, NaN or inf"),
    "act.wrong_shape": Text("形状不对", "wrong shape"),
    "act.array_of_shape": Text("{call}，输入是形状为 {shape} 的数组", "{call}, an array of shape {shape}"),
    "act.shape_ok": Text(
        "返回形状为 {shape} 的 NumPy 数组，输入未被修改", "NumPy array of shape {shape}, input not modified"
    ),
    "act.autodiff_wrong": Text(
        "导数与 {name} 的自动微分不一致", "derivative disagrees with automatic differentiation of {name}"
    ),
    "act.autodiff_ok": Text(
        "与 {name} 的自动微分 (tf.GradientTape) 一致",
        "agrees with tf.GradientTape on {name}",
    ),
    # callbacks
    "cb.stop_at_index_2": Text(
        "准确率为 0.8, 0.9, 0.93, 0.95 时应在第 3 个 epoch（下标 2）之后停止",
        "accuracies 0.8, 0.9, 0.93, 0.95 must stop after epoch 3 (index 2)",
    ),
    "cb.stop_at_index_2_acc_key": Text(
        "准确率为 0.8, 0.9, 0.93, 0.95 时应在第 3 个 epoch（下标 2）之后停止"
        "（TF2 中的键是 'accuracy'，不是 'acc'）",
        "accuracies 0.8, 0.9, 0.93, 0.95 must stop after epoch 3 (index 2) "
        "(the TF2 key is 'accuracy', not 'acc')",
    ),
    "cb.stops_above_threshold": Text(
        "在准确率第一次超过 0.9 的 epoch 停止，恰好等于 0.9 时不停",
        "stops at the first epoch above 0.9, not at 0.9 itself",
    ),
    "cb.with_threshold": Text("threshold=0.65 时", "with threshold=0.65"),
    "cb.threshold_ok": Text("使用了 threshold 参数", "honours threshold"),
    "cb.with_monitor": Text(
        "monitor='val_accuracy' 时，logs 为 {logs}",
        "with monitor='val_accuracy', logs {logs}",
    ),
    "cb.monitor_ok": Text("使用了 monitor 参数", "honours monitor"),
    "cb.must_print": Text("停止时应打印一条消息", "must print a message when it stops"),
    "cb.a_message": Text("一条消息", "a message"),
    "cb.prints": Text("停止时打印了消息", "prints a message when it stops"),
    "cb.must_warn": Text("logs 中没有 'accuracy' 时应发出警告", "must warn when 'accuracy' is missing"),
    "cb.a_warning": Text("一个警告", "a warning"),
    "cb.must_not_stop": Text(
        "logs 中没有 'accuracy' 时不应停止训练",
        "must not stop when 'accuracy' is missing",
    ),
    "cb.missing_key_ok": Text(
        "logs=None 或缺少键时不会崩溃；缺少键时发出警告，且不停止训练",
        "logs=None and a missing key do not crash; the missing key warns and does not stop",
    ),
    "cb.last_above": Text("最后一个 epoch 的准确率应超过 0.9", "the last epoch's accuracy must be above 0.9"),
    "cb.first_above": Text(
        "训练应在准确率第一次超过 0.9 时停止", "training must stop at the first epoch above 0.9"
    ),
    "cb.first_above_is_last": Text(
        "第一个超过 0.9 的值就是最后一个", "the first value above 0.9 is the last one"
    ),
    "cb.within_20": Text("应在 20 个 epoch 以内超过 0.9", "must pass 0.9 within 20 epochs"),
    "cb.run_ok": Text(
        "在第 {n} 个 epoch 之后停止，准确率 {accuracy:.4f}，是第一次超过 0.9",
        "stopped after epoch {n} at accuracy {accuracy:.4f}, the first above 0.9",
    ),
    "cb.tiny_learnable": Text(
        "在容易学会的小数据上（max_epochs=10），回调函数应在准确率第一次超过 0.9 时停止训练",
        "on tiny learnable data (max_epochs=10) the callback must stop training at the first epoch above 0.9",
    ),
    "cb.tiny_learnable_expected": Text(
        "在第一个超过 0.9 的值处结束，且少于 10 个 epoch",
        "ends at its first value above 0.9, in fewer than 10 epochs",
    ),
    "cb.tiny_learnable_ok": Text(
        "在容易学会的小数据上，回调函数在第 {n} 个 epoch 之后停止了训练",
        "on tiny learnable data the callback stopped training after epoch {n}",
    ),
    "cb.tiny_unlearnable": Text(
        "在学不会的小数据上，max_epochs=3 时 fit 应正好训练 3 个 epoch（epochs=max_epochs）",
        "on tiny unlearnable data with max_epochs=3, fit must run exactly 3 epochs (epochs=max_epochs)",
    ),
    "cb.tiny_unlearnable_ok": Text(
        "在学不会的小数据上，fit 正好训练了 max_epochs=3 个 epoch",
        "on tiny unlearnable data fit ran exactly max_epochs=3 epochs",
    ),
    # cnn
    "cnn.shape": Text("形状（别忘了通道维度）", "shape (mind the channel axis)"),
    "cnn.dtype": Text("数据类型", "dtype"),
    "cnn.shape_ok": Text("形状为 (N, 28, 28, 1)，类型为 float32", "shape (N, 28, 28, 1) and float32"),
    "cnn.scaling": Text("像素 255 和 51 应变为 1.0 和 0.2", "pixels 255 and 51 must become 1.0 and 0.2"),
    "cnn.scaling_ok": Text("像素缩放到 [0, 1]", "pixels scaled to [0, 1]"),
    "cnn.images_changed": Text("images 被修改了", "images was changed"),
    "cnn.images_unchanged": Text("没有修改 images", "images unchanged"),
    "cnn.missing_layer": Text("缺少 {layer} 层", "no {layer} layer"),
    "cnn.in_out_shapes": Text("输入和输出形状", "input and output shapes"),
    "cnn.layers_ok": Text("层和形状正确", "layers and shapes"),
    "cnn.softmax": Text("输出应是 10 个概率（softmax）", "the output must be 10 probabilities (softmax)"),
    "cnn.probabilities": Text("10 个不小于 0 的数，和为 1", "10 numbers ≥ 0 adding up to 1"),
    "cnn.softmax_ok": Text("每张图片的输出是 10 个概率", "the output is 10 probabilities per image"),
    "cnn.over_budget": Text("参数超出预算", "over the parameter budget"),
    "cnn.budget_ok": Text(
        "共 {count:,} 个参数，在 {budget:,} 的预算之内", "{count:,} parameters, within {budget:,}"
    ),
    "cnn.not_compiled": Text("模型应已编译", "the model must be compiled"),
    "cnn.loss": Text("损失函数", "loss"),
    "cnn.compiled_ok": Text(
        "已用 sparse_categorical_crossentropy 编译", "compiled with sparse_categorical_crossentropy"
    ),
    "cnn.test_accuracy": Text(
        "测试准确率：{accuracy:.4f}（分档：{tiers}）", "test accuracy: {accuracy:.4f} (tiers: {tiers})"
    ),
    "cnn.below_first_tier": Text("测试准确率低于第一档", "test accuracy below the first tier"),
    "cnn.tiers_reached": Text("达到的分档", "tiers reached"),
    # convolution
    "conv.wrong_shape_or_dtype": Text("形状或类型不对", "wrong shape or dtype"),
    "conv.shape_and_dtype": Text("形状 {shape}，类型 {dtype}", "shape {shape}, dtype {dtype}"),
    "conv.input_image_unchanged": Text(
        "输入图像保持不变（请在副本上计算）", "the input image unchanged (work on a copy)"
    ),
    "conv.random_image": Text(
        "{call}，image 是随机的 {size} uint8 图像", "{call} with a random {size} uint8 image"
    ),
    "conv.example_ok": Text(
        "4x4 手算示例：不对称的卷积核，weight {weight}，值限制在 0 到 255 之间",
        "4x4 example with a non-symmetric kernel, weight {weight}, values clipped to 0 and 255",
    ),
    "conv.uint8_ok": Text("返回与输入形状相同的 uint8 数组", "returns a uint8 array of the input's shape"),
    "conv.border_changed": Text("边缘像素被改变了", "the border pixels changed"),
    "conv.border_expected": Text(
        "第一行、最后一行、第一列和最后一列与输入相同", "first/last row and column equal to the input's"
    ),
    "conv.border_ok": Text("边缘像素保持输入的值", "border pixels keep the input's values"),
    "conv.value_error_ok": Text("float64 图像引发 ValueError", "ValueError for a float64 image"),
    "conv.no_value_error": Text("没有引发 ValueError", "no ValueError raised"),
    "conv.value_error_expected": Text(
        "ValueError（图像必须是 uint8）", "ValueError (the image must be uint8)"
    ),
    "conv.pool_example_ok": Text("4x4 手算示例", "4x4 example"),
    "conv.pool_shape_ok": Text(
        "5x7 图像 -> 形状 (2, 3)，类型 uint8（舍去多出的最后一行和一列）",
        "5x7 image -> shape (2, 3), dtype uint8 (odd last row/column dropped)",
    ),
    "conv.first_difference": Text(
        "第一个不同的像素在 {where}：得到 {got}，期望 {expected}",
        "first difference at {where}: got {got}, expected {expected}",
    ),
    "conv.disagrees": Text("与 {slow} 的结果不一致", "disagrees with {slow}"),
    "conv.same_result": Text("与 {slow} 的结果完全一致", "same result as {slow}"),
    "conv.not_allowed": Text("源代码中有不允许的循环或调用", "not allowed in the source"),
    "conv.uses_call": Text("{name} 的第 {line} 行用了 `{callee}`", "line {line} of {name} uses `{callee}`"),
    "conv.pixel_loop": Text(
        "{name} 的第 {line} 行有遍历像素的循环（或步数不由代码固定的循环）",
        "line {line} of {name} has a loop over pixels (or one whose number of steps the code does not fix)",
    ),
    "conv.allowed_loops": Text(
        "只允许遍历卷积核九个位置的循环，不能用 convolve3x3（见第 3 节）",
        "only loops over the nine kernel taps, no use of convolve3x3 (see section 3)",
    ),
    "conv.no_pixel_loops_ok": Text(
        "源代码中没有遍历像素的循环，也没有用 convolve3x3",
        "no loop over pixels and no use of convolve3x3 in its source",
    ),
    "conv.speed": Text(
        "⏱ 在这张 32x40 图像上，{fast} 比 {slow} 快 {ratio:.1f} 倍"
        "（{fast_ms:.3f} ms 对 {slow_ms:.1f} ms；仅供参考，不计分）",
        "⏱ {fast} is {ratio:.1f}x faster than {slow} on this 32x40 image "
        "({fast_ms:.3f} ms vs {slow_ms:.1f} ms; information only, not graded)",
    ),
    # first_network
    "fn.unsafe": Text(
        "{name}() 的模型无法在安全模式下载入"
        '（激活函数请写成 "relu"、"softmax" 这样的字符串，不要用 tf.nn 函数）',
        "the model of {name}() cannot be loaded in safe mode "
        '(use activation="relu" / "softmax" strings, not tf.nn functions)',
    ),
    "fn.builtin_layers": Text("只由内置层组成的模型", "a model of built-in layers"),
    "fn.one_dense": Text("应只有一层 Dense(1)，没有激活函数", "one Dense(1) layer, no activation"),
    "fn.input_shape": Text("输入形状（{hint}）", "input shape ({hint})"),
    "fn.linear_layers_ok": Text("只有一层 Dense(1)，输入形状 (1,)", "one Dense(1) layer, input shape (1,)"),
    "fn.compile_settings": Text("编译设置（{settings}）", "compile settings ({settings})"),
    "fn.sgd_ok": Text("已用 sgd 和 mean_squared_error 编译", "compiled with sgd and mean_squared_error"),
    "fn.safe_ok": Text("能在安全模式下保存并载入", "saves and loads back in safe mode"),
    "fn.prediction": Text("训练后在 x = 10 处的预测", "prediction at x = 10 after training"),
    "fn.prediction_ok": Text(
        "linear_model 在 x = 10 处预测 {prediction:.3f}（按 y = 3x + 1 应为 31）",
        "linear_model predicts {prediction:.3f} at x = 10 (y = 3x + 1 gives 31)",
    ),
    "fn.layers": Text("模型的层", "the model's layers"),
    "fn.activations": Text("激活函数", "activations"),
    "fn.classifier_layers_ok": Text(
        "层正确：Flatten → Dense(128, relu) → Dense(10, softmax)",
        "layers: Flatten → Dense(128, relu) → Dense(10, softmax)",
    ),
    "fn.output_shape": Text("2 张图片的输出形状", "output shape for 2 images"),
    "fn.shapes_ok": Text("输入 (28, 28)，输出 (batch, 10)", "input (28, 28), output (batch, 10)"),
    "fn.adam_ok": Text(
        '已用 adam、sparse_categorical_crossentropy 和 metrics=["accuracy"] 编译',
        'compiled with adam, sparse_categorical_crossentropy, metrics=["accuracy"]',
    ),
    "fn.test_accuracy": Text("{count:,} 张测试图片上的准确率", "accuracy on the {count:,} test images"),
    # layers
    "ly.no_weights_yet": Text("第一次调用前不应有权重", "no weights before the first call"),
    "ly.no_weights_yet_ok": Text("第一次调用前没有权重", "no weights before the first call"),
    "ly.weight_shapes": Text(
        "输入形状为 (3, 5) 之后权重的形状", "weight shapes after an input of shape (3, 5)"
    ),
    "ly.weights_built_ok": Text(
        "第一次以 (3, 5) 的输入调用时创建 W (5, 2) 和 b (2,)",
        "the first call on a (3, 5) input makes W (5, 2), then b (2,)",
    ),
    "ly.by_hand": Text(
        "2×2 手算例子，activation={activation!r}", "the 2×2 example by hand, activation={activation!r}"
    ),
    "ly.by_hand_ok": Text(
        "2×2 手算例子：[[2.5, -1.5]]，用 relu 时为 [[2.5, 0]]",
        "2×2 example by hand: [[2.5, -1.5]], with relu [[2.5, 0]]",
    ),
    "ly.gradients": Text(
        "W 和 b 都应有梯度（只用 TensorFlow 运算）", "W and b must both get a gradient (TensorFlow ops only)"
    ),
    "ly.two_tensors": Text("2 个张量", "2 tensors"),
    "ly.gradients_ok": Text(
        "tf.GradientTape 求得了 W 和 b 的梯度",
        "tf.GradientTape finds gradients for W and b",
    ),
    "ly.config": Text(
        "get_config() 应包含 units 和 activation", "get_config() must have units and activation"
    ),
    "ly.config_ok": Text("get_config() 包含 units 和 activation", "get_config() has units and activation"),
    "ly.identity": Text("应原样返回输入", "must return its input unchanged"),
    "ly.identity_ok": Text("原样返回输入", "returns its input unchanged"),
    "ly.losses": Text("默认 rate=0.1 时的 layer.losses", "layer.losses with the default rate=0.1"),
    "ly.losses_ok": Text("layer.losses 为 [0.1 × 6] = [0.6]", "layer.losses is [0.1 × 6] = [0.6]"),
    "ly.output_shape": Text("4 张图片的输出形状", "output shape for 4 images"),
    "ly.output_ok": Text("输入 4 张图片，输出形状为 (4, 10) 的 logits", "4 images in, (4, 10) logits out"),
    "ly.variable_shapes": Text("可训练变量的形状", "shapes of the trainable variables"),
    "ly.variables_ok": Text("10 个可训练变量，形状都正确", "10 trainable variables of the right shapes"),
    "ly.ten_variables": Text("model 应有 10 个可训练变量", "model must have 10 trainable variables"),
    "ly.ten_variables_ok": Text("model 有 10 个可训练变量", "model has its 10 trainable variables"),
    "ly.train_accuracy": Text("训练图片上的准确率", "accuracy on the training images"),
    "ly.train_accuracy_ok": Text(
        "{count:,} 张训练图片上的准确率：{accuracy:.3f}（至少 0.80）",
        "accuracy on the {count:,} training images: {accuracy:.3f} (at least 0.80)",
    ),
    # losses
    "ls.not_tensor": Text(
        "{name} 应返回张量（只用 TensorFlow 运算）", "{name} must return a tensor (TensorFlow ops only)"
    ),
    "ls.not_scalar": Text("{name} 应返回一个数（0 维张量）", "{name} must return one number (a 0-d tensor)"),
    "ls.no_gradient": Text(
        "{name}：没有梯度（NumPy 运算会打断 tf.GradientTape）",
        "{name}: no gradient (a NumPy step breaks tf.GradientTape)",
    ),
    "ls.by_hand": Text("2×2 手算例子", "the 2×2 example worked out by hand"),
    "ls.by_hand_ok": Text("2×2 手算例子，返回 0 维张量：0.125", "2×2 example by hand, a 0-d tensor: 0.125"),
    "ls.float64": Text("float64 输入的手算例子", "the example by hand with float64 inputs"),
    "ls.float64_ok": Text("float64 输入的同一例子：0.125", "the same example with float64 inputs: 0.125"),
    "ls.keras": Text("与 Keras 的均方误差取平均后不一致", "differs from the mean of Keras's MSE"),
    "ls.keras_ok": Text(
        "与 keras.losses.mean_squared_error 的平均值一致",
        "agrees with the mean of keras.losses.mean_squared_error",
    ),
    "ls.gradient": Text("梯度不对", "wrong gradient"),
    "ls.gradient_ok": Text(
        "tf.GradientTape 求得的梯度是 2(ŷ − y)/n", "tf.GradientTape finds the gradient 2(ŷ − y)/n"
    ),
    "ls.default_name": Text("默认名字", "default name"),
    "ls.default_name_ok": Text("CustomMSE().name 是 'custom_mse'", "CustomMSE().name is 'custom_mse'"),
    "ls.with_factor": Text(
        "regularization_factor={factor} 时的值", "value with regularization_factor={factor}"
    ),
    "ls.factors_ok": Text(
        "regularization_factor 为 0、0.1、2 时，loss(y_true, y_pred) 与手算值一致",
        "loss(y_true, y_pred) by hand for regularization_factor 0, 0.1, 2",
    ),
    "ls.default_factor": Text(
        "默认 regularization_factor=0.1 时的值", "value with the default regularization_factor=0.1"
    ),
    "ls.default_factor_ok": Text(
        "CustomMSE() 默认 regularization_factor 为 0.1", "CustomMSE() uses regularization_factor 0.1"
    ),
    "ls.config": Text("get_config() 缺少 regularization_factor", "get_config() lacks regularization_factor"),
    "ls.from_config": Text("from_config 之后的值", "value after from_config"),
    "ls.config_ok": Text(
        "CustomMSE.from_config(loss.get_config()) 得到同样的损失函数",
        "CustomMSE.from_config(loss.get_config()) gives the same loss",
    ),
    "ls.has_gradient": Text("tf.GradientTape 能求得梯度", "tf.GradientTape finds a gradient"),
    "ls.not_custom_mse": Text("模型没有用 CustomMSE() 编译", "the model is not compiled with CustomMSE()"),
    "ls.custom_mse_ok": Text("model.loss 是 CustomMSE", "model.loss is a CustomMSE"),
    "ls.test_accuracy": Text("1,000 张测试图片上的准确率", "accuracy on 1,000 test images"),
    "ls.test_accuracy_ok": Text(
        "1,000 张测试图片上的准确率：{accuracy:.3f}（至少 0.70）",
        "accuracy on 1,000 test images: {accuracy:.3f} (at least 0.70)",
    ),
}
