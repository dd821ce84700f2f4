"""Every text a student reads in feedback, in Chinese and English, in one place.

Messages are looked up by key and filled with ``str.format`` fields. A course author
adding an exercise adds check titles to ``CHECK_TITLES`` (or passes a literal title).
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # How a call into the student's notebook can go wrong.
    "missing": {
        "zh": "笔记本里没有定义 `{name}`：请确认定义它的单元格已运行，且名字没有改动。",
        "en": "`{name}` is not defined in your notebook: run the cell that defines it and keep its name.",
    },
    "not_callable": {
        "zh": "`{name}` 不是函数（它的类型是 {detail}）。",
        "en": "`{name}` is not a function (it is a {detail}).",
    },
    "raised": {
        "zh": "调用 `{name}` 时抛出了异常：{detail}",
        "en": "calling `{name}` raised {detail}",
    },
    "not_implemented": {
        "zh": "`{name}` 还没有实现：请把 `raise NotImplementedError()` 换成你的代码。",
        "en": "`{name}` is not written yet: replace `raise NotImplementedError()` with your code.",
    },
    "timed_out": {
        "zh": "`{name}` 运行超时（{detail}）：是否有死循环或过慢的循环？",
        "en": "`{name}` took too long ({detail}): is there an endless or very slow loop?",
    },
    "kernel_gone": {
        "zh": "你的内核已无法响应，后续检查无法进行：{detail}",
        "en": "your kernel stopped answering, so the remaining checks could not run: {detail}",
    },
    # What a returned value can get wrong.
    "values_differ": {
        "zh": "结果在位置 {index} 处不对：输入 {at_input}，得到 {got}，期望 {expected}。",
        "en": "wrong value at index {index}: for input {at_input} it returned {got}, expected {expected}.",
    },
    "value_differs_for": {
        "zh": "结果不对：返回 {got}，期望 {expected}。",
        "en": "wrong value: it returned {got}, expected {expected}.",
    },
    "value_differs_at": {
        "zh": "结果在位置 {index} 处不对：得到 {got}，期望 {expected}。",
        "en": "wrong value at index {index}: it returned {got}, expected {expected}.",
    },
    "wrong_type": {
        "zh": "返回了 {got}，应返回 NumPy 数组（np.ndarray）。",
        "en": "returned {got}; a NumPy array (np.ndarray) was expected.",
    },
    "wrong_shape": {
        "zh": "返回的形状是 {got}，应与输入相同：{expected}。",
        "en": "returned shape {got}; it must equal the input's shape {expected}.",
    },
    "not_numeric": {
        "zh": "返回了 {got}，不是数值。",
        "en": "returned {got}, which is not numeric.",
    },
    "warned": {
        "zh": "运行时产生了警告：{warning}（例如 np.exp 溢出）。请用数值稳定的写法。",
        "en": "it emitted a warning: {warning} (for example np.exp overflowing); use a numerically stable form.",
    },
    "not_finite": {
        "zh": "结果在位置 {index} 处是 {got}（NaN 或无穷大），期望 {expected}。",
        "en": "the result at index {index} is {got} (NaN or infinite), expected {expected}.",
    },
    "mutated": {
        "zh": "函数修改了输入数组（位置 {index}：原为 {before}，变成 {after}）。请先复制或使用不修改原数组的运算。",
        "en": "the function changed its input array (index {index}: was {before}, became {after}); "
        "work on a copy or use operations that return new arrays.",
    },
    "did_not_raise": {
        "zh": "对这个无效输入应抛出 {expected}，但函数返回了 {got}。",
        "en": "for this invalid input it should raise {expected}, but it returned {got}.",
    },
    "wrong_error": {
        "zh": "应抛出 {expected}，实际抛出的是 {got}。",
        "en": "it should raise {expected}, but raised {got}.",
    },
    "pixel_differs": {
        "zh": "像素 ({x}, {y}) 不对：得到 {got}，期望 {expected}。输入中它的 3×3 邻域是 {neighbourhood}。",
        "en": "wrong pixel at ({x}, {y}): got {got}, expected {expected}. Its 3×3 neighbourhood in the input "
        "is {neighbourhood}.",
    },
    "wrong_dtype": {
        "zh": "返回数组的 dtype 是 {got}，题目要求 {expected}。",
        "en": "the returned array's dtype is {got}; the notebook asks for {expected}.",
    },
    "pool_differs": {
        "zh": "池化结果 ({x}, {y}) 不对：得到 {got}，期望 {expected}，即输入中 2×2 区块 {block} 的最大值。",
        "en": "wrong pooled value at ({x}, {y}): got {got}, expected {expected}, the max of the input's 2×2 "
        "block {block}.",
    },
    "pixel_loop": {
        "zh": "第 {line} 行有遍历像素的 Python 循环（{code}）：请用 NumPy 切片代替（只允许遍历 9 个卷积核位置的循环）。",
        "en": "line {line} has a Python loop over pixels ({code}); use NumPy slicing instead (only a loop over "
        "the nine kernel taps is allowed).",
    },
    "not_defined_in_notebook": {
        "zh": "笔记本里找不到 `def {name}(...)`：请在解答单元格中用 def 定义它。",
        "en": "there is no `def {name}(...)` in your notebook: define it with def in its solution cell.",
    },
    "calls_slow_version": {
        "zh": "第 {line} 行调用了 `{callee}`：快速版本需要自己用切片实现。",
        "en": "line {line} calls `{callee}`; the fast version must do the work itself with slicing.",
    },
    "speedup": {
        "zh": "在 512×512 的 ascent 图像上：你的快速版本用时 {fast:.3f} 秒，慢速版本 {slow:.2f} 秒，快 {ratio:.0f} 倍（仅供参考，不计分）。",
        "en": "on the 512×512 ascent image your fast version took {fast:.3f} s and the loop version {slow:.2f} s: "
        "{ratio:.0f}× faster (information only, no points).",
    },
    # Summaries and grader-side problems.
    "same_as_above": {"zh": "（同上）", "en": "(same as above)"},
    "failing_input": {"zh": "最小的出错输入：{input}", "en": "smallest failing input: {input}"},
    "unreliable": {
        "zh": "同一个输入再算一次时却通过了：你的代码是否依赖随机数、时间或上一次调用留下的状态？",
        "en": "the same input passed when run again: does your code depend on chance, the clock or "
        "state left by an earlier call?",
    },
    # Losses and trained models (solutions/losses).
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
    "model_not_loadable": {
        "zh": "评分程序无法载入你的模型（model.save 后用 Keras 安全模式载入，只接受内置层）：{detail}",
        "en": "the grader could not load your model (saved with model.save, loaded in Keras safe mode, "
        "built-in layers only): {detail}",
    },
    "model_raised": {
        "zh": "评分程序运行你的模型（{what}）时，模型出错：{detail}",
        "en": "your model raised an error when the grader ran it ({what}): {detail}",
    },
    "model_out_of_memory": {
        "zh": "评分程序运行你的模型（{what}）时，模型需要的内存超过了上限（{limit}），运行被终止。"
        "参数少的模型也可能在每次调用时分配巨大的中间结果（例如 UpSampling2D、很大的卷积输出）：请检查各层的输出形状。",
        "en": "your model needed more than the memory limit ({limit}) when the grader ran it ({what}), and was "
        "stopped. A model with few weights can still make huge intermediate results on every call (UpSampling2D, "
        "a very large convolution output): check each layer's output shape.",
    },
    "model_time_limit": {
        "zh": "评分程序运行你的模型（{what}）超过了 {seconds} 秒，运行被终止。请检查模型是否过大或过慢。",
        "en": "your model ran longer than {seconds} s when the grader ran it ({what}), and was stopped. Check "
        "whether the model is too big or too slow.",
    },
    "model_cpu_limit": {
        "zh": "评分程序运行你的模型（{what}）时，CPU 时间超过了上限（{seconds} 秒），运行被终止。",
        "en": "your model used more than its CPU time limit ({seconds} s) when the grader ran it ({what}), and "
        "was stopped.",
    },
    "model_process_died": {
        "zh": "评分程序运行你的模型（{what}）的进程意外终止（{detail}），这一项检查不得分。",
        "en": "the process in which the grader ran your model ({what}) stopped unexpectedly ({detail}); this "
        "check scores nothing.",
    },
    "not_learned": {
        "zh": "评分程序在 1,000 张测试图片上测得的准确率是 {got}，至少需要 {expected}（未训练的网络约 0.10）。",
        "en": "the grader measured an accuracy of {got} on 1,000 test images; at least {expected} is needed "
        "(an untrained network gets about 0.10).",
    },
    # Custom layers and models (solutions/layers).
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
    # Callbacks (solutions/callbacks).
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
    # Convolutional networks (solutions/cnn).
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
    # First network (solutions/first_network).
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
    # The summary table at the top of a feedback page (autograder.preprocessors.summary).
    "summary_heading": {"zh": "成绩概要", "en": "Summary"},
    "summary_total": {"zh": "总分", "en": "total"},
    "summary_cell": {"zh": "题目", "en": "cell"},
    "summary_points": {"zh": "得分", "en": "points"},
    "summary_to_fix": {"zh": "需要改正", "en": "what to fix"},
    "summary_all_passed": {"zh": "全部通过", "en": "all checks passed"},
    "summary_by_hand": {"zh": "人工评分", "en": "graded by hand"},
    "cell_score": {"zh": "本题得分 {score:g} / {points:g}", "en": "score {score:g} of {points:g}"},
    "no_credit": {
        "zh": "本题未得分：{reason}",
        "en": "no points for this cell: {reason}",
    },
    "no_checks": {
        "zh": "评分配置错误：找不到这个单元格的隐藏检查（请联系助教）。",
        "en": "grading configuration error: no hidden checks were found for this cell (tell your TA).",
    },
    "grader_error": {
        "zh": "评分程序出错，本题暂记 0 分（请联系助教）：{detail}",
        "en": "the grader itself failed, so this cell scores 0 for now (tell your TA): {detail}",
    },
    "not_finished": {
        "zh": "这项检查没有完成（隐藏检查超时或评分程序出错），记 0 分。",
        "en": "this check did not finish (the hidden checks ran out of time or the grader failed), so it scores 0.",
    },
    "check_error": {
        "zh": "检查未通过：{detail}",
        "en": "check failed: {detail}",
    },
    "kernel_start_failed": {
        "zh": "评分时无法启动内核：{detail}",
        "en": "the grader could not start a kernel for your notebook: {detail}",
    },
    "kernel_out_of_memory": {
        "zh": "运行这个单元格时内存超过了上限（{limit}），内核被终止。"
        "评分程序重启了内核，重新运行了之前的单元格，并跳过这个单元格继续评分。",
        "en": "this cell used more than the memory limit ({limit}) and the kernel was killed. The grader "
        "restarted it, re-ran the cells before this one, and went on without this cell.",
    },
    "output_truncated": {
        "zh": "输出过多：本单元格超过 {limit} 字节之后的输出已被丢弃。",
        "en": "too much output: everything this cell printed after the first {limit} bytes was dropped.",
    },
    "output_not_shown": {
        "zh": "（此处的输出类型 {types} 可能在网页中运行代码，未显示）",
        "en": "(output of type {types} not shown: it could run code in this page)",
    },
    "notebook_output_over_budget": {
        "zh": "输出过多：整个笔记本的输出（含显示更新）超过了 {limit} 字节，此后的输出已被丢弃。",
        "en": "too much output: the notebook's output (display updates included) passed {limit} bytes, "
        "so everything after this point was dropped.",
    },
    "notebook_too_big": {
        "zh": "输出过多：评分后的笔记本超过 {limit} 字节，你的单元格的输出已被删除（评分不受影响）。",
        "en": "too much output: the graded notebook passed {limit} bytes, so your cells' outputs were removed "
        "(the grading is not affected).",
    },
    # A submitted file the grader could not take in as the notebook (autograder.intake).
    "notebook_missing": {
        "zh": "没有找到要提交的笔记本 {expected}（提交的文件夹里有：{found}）。请按发布时的文件名提交。",
        "en": "the notebook {expected} was not handed in (the folder has: {found}); submit it under its released name.",
    },
    "notebook_empty": {
        "zh": "提交的文件 {name} 是空的：请确认保存后再提交。",
        "en": "the submitted file {name} is empty: save the notebook before you submit it.",
    },
    "notebook_unreadable": {
        "zh": "提交的文件 {name} 不是有效的 Jupyter 笔记本（{detail}）。请在 Jupyter 中打开、保存后重新提交。",
        "en": "the submitted file {name} is not a valid Jupyter notebook ({detail}); open it in Jupyter, save and resubmit.",
    },
    "notebook_too_big": {
        "zh": "提交的文件 {name} 太大（{size} 字节），没有评分。请清除输出后重新提交。",
        "en": "the submitted file {name} is too big ({size} bytes) to grade; clear its outputs and resubmit.",
    },
    "graded_instead": {
        "zh": "没有找到 {expected}，已改为评阅你提交的 {found}。下次请使用发布时的文件名。",
        "en": "{expected} was not handed in, so your {found} was graded instead; next time keep the released name.",
    },
    "kernel_died_in_cell": {
        "zh": "运行这个单元格时内核退出了（是否调用了 os._exit、exit() 或占用了过多内存？）。"
        "评分程序重启了内核，重新运行了之前的单元格，并跳过这个单元格继续评分。",
        "en": "the kernel died while running this cell (os._exit, exit(), or too much memory?). The grader "
        "restarted it, re-ran the cells before this one, and went on without this cell.",
    },
    "kernel_restarted_after_timeout": {
        "zh": "这个单元格超时且无法中断，评分程序重启了内核，重新运行了之前的单元格，并跳过这个单元格继续评分。",
        "en": "this cell ran out of time and could not be interrupted, so the grader restarted the kernel, "
        "re-ran the cells before this one, and went on without this cell.",
    },
    "cell_time_limit": {
        "zh": "这个单元格运行超过了 {seconds:g} 秒，已被中断。",
        "en": "this cell ran longer than {seconds:g} s and was interrupted.",
    },
    "notebook_time_limit": {
        "zh": "整个笔记本的运行时间（{seconds:g} 秒）或内核重启次数已用完，这个单元格没有运行。",
        "en": "the notebook's total time ({seconds:g} s) or its kernel restarts were used up, so this cell was not run.",
    },
}

CHECK_TITLES: dict[str, dict[str, str]] = {
    "values": {"zh": "普通输入上的取值", "en": "values on ordinary inputs"},
    "extremes": {
        "zh": "极端输入（|x| 可达 1e4）：无溢出警告、无 NaN/inf",
        "en": "extreme inputs (|x| up to 1e4): no overflow warning, NaN or inf",
    },
    "shape_and_type": {
        "zh": "返回 NumPy 数组且形状与输入相同（也接受 Python 标量）",
        "en": "returns a NumPy array of the input's shape (Python scalars accepted)",
    },
    "no_mutation": {"zh": "不修改输入数组", "en": "does not change its input array"},
    "matches_reference": {
        "zh": "与参考答案一致（3×3 到 64×64 的图像，整数和浮点卷积核，权重 0、0.1、1、2.5）",
        "en": "matches the reference (images 3×3 to 64×64, integer and float kernels, weights 0, 0.1, 1, 2.5)",
    },
    "agrees_with_correlate2d": {
        "zh": "内部像素与 scipy.signal.correlate2d（转置卷积核）一致",
        "en": "interior agrees with scipy.signal.correlate2d on the transposed kernel",
    },
    "rejects_bad_input": {
        "zh": "对错误的形状或类型抛出 ValueError",
        "en": "raises ValueError for wrong shapes or dtypes",
    },
    "pool_values": {"zh": "奇数和偶数尺寸上的池化结果", "en": "pooled values on odd and even sizes"},
    "no_pixel_loops": {
        "zh": "没有遍历像素的 Python 循环，也不调用 convolve3x3（根据源代码判断）",
        "en": "no Python loop over pixels and no call to convolve3x3 (decided from the source)",
    },
    "speedup": {"zh": "速度（仅供参考）", "en": "speed (information only)"},
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
    "learned": {
        "zh": "评分程序测得 1,000 张测试图片上的准确率至少 0.70",
        "en": "the grader measures at least 0.70 accuracy on 1,000 test images",
    },
    # First network (solutions/first_network).
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


# Control characters a field's text could use to rewrite what a terminal or page shows (carriage return,
# escape sequences, right-to-left overrides), written out instead.
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)] if c != ord("\n")}
# Bidi overrides and the line and paragraph separators (str.splitlines() breaks at those and at the C0 and C1
# controls above, NEL among them).
_CONTROL |= {c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]}
QUOTE = "│ "


def quoted(value: object) -> object:
    """A field as feedback shows it. Text (often the student's: an exception message, a repr) gets its
    control characters written out, and every line after its first is marked with ``QUOTE``, so it
    cannot pass for a line of the judge's own (a forged "✓ ... [6/6]")."""
    if not isinstance(value, str):
        return value
    return value.translate(_CONTROL).replace("\n", "\n" + QUOTE)


def message(key: str, languages: Iterable[str] = LANGUAGES, **fields: object) -> str:
    """The message ``key`` in each language, one per line, with ``fields`` filled in (``quoted``)."""
    texts = MESSAGES[key]
    safe = {name: quoted(value) for name, value in fields.items()}
    return "\n".join(texts[lang].format(**safe) for lang in languages if lang in texts)


def title(name: str, languages: Iterable[str] = LANGUAGES) -> str:
    """A check's title in each language joined by " / ", or ``name`` itself when not catalogued."""
    texts = CHECK_TITLES.get(name)
    if texts is None:
        return name
    return " / ".join(texts[lang] for lang in languages if lang in texts)
