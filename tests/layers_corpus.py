"""Realistic ``layers`` submissions and exactly the points they lose.

Each wrong one starts from the reference and changes one thing a student plausibly gets
wrong. The faithful ones are written from the notebook's words in other styles (the course
notes' ``SimpleDense``, ``MyModel`` and ``ActivityRegularizationLayer`` brought to Keras 3,
``@`` and ``keras.ops`` for ``tf.matmul``, initializer objects, other argument orders) and
must get full marks. Every submission trains, so the faithful styles are combined into two
submissions, one of them in the slow suite.
Points: SimpleDense 4 (4 checks), ActivityRegularizationLayer 2 (2 checks), MLP 2
(2 checks), training 2 (1 check).
"""

from __future__ import annotations

from corpus import BLANK_LATER_CELLS, Submission

# About how long this corpus's CI batch grades (seconds, beside another batch): longest start first.
BATCH_SECONDS = 134

SIMPLE_DENSE = """class SimpleDense(keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)
{init_weights}
    def build(self, input_shape):
{build}
    def call(self, inputs):
        return {call}
{config}"""
BUILD = """        self.w = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True, name="w"
        )
        self.b = self.add_weight(shape=(self.units,), initializer="{bias}", trainable=True, name="b")
"""
CALL = "self.activation(tf.matmul(inputs, self.w) + self.b)"
GET_CONFIG = """
    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "activation": keras.activations.serialize(self.activation)})
        return config
"""


def simple_dense(
    build: str = BUILD.format(bias="zeros"),
    call: str = CALL,
    config: str = GET_CONFIG,
    init_weights: str = "",
) -> str:
    return SIMPLE_DENSE.format(build=build, call=call, config=config, init_weights=init_weights)


ACTIVITY = """class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss({loss})
        return inputs
"""

MLP = """class MLP(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense_1 = SimpleDense(256, activation="relu")
        self.dense_2 = SimpleDense(128, activation="relu")
        self.dense_3 = SimpleDense(64, activation="relu")
        self.dense_4 = SimpleDense(32, activation="relu")
        self.dense_5 = SimpleDense(10{last})

    def call(self, inputs):
        x = self.dense_1(inputs)
        x = self.dense_2(x)
        x = self.dense_3(x)
{fourth}        return self.dense_5(x)
"""


def mlp(last: str = "", fourth: str = "        x = self.dense_4(x)\n") -> str:
    return MLP.format(last=last, fourth=fourth)


FAITHFUL = {
    "faithful_notes_style": Submission(
        {
            "SimpleDense": """class SimpleDense(keras.layers.Layer):  #所有层都是Layer的子类
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):  #权重在build中初始化
        input_dim = input_shape[-1]
        self.W = self.add_weight(
            shape=(input_dim, self.units),
            initializer="random_normal")  #add_weight 是创建权重的快捷方法
        self.b = self.add_weight(shape=(self.units, ), initializer="zeros")

    def call(self, inputs):  #call 中定义了前向传播
        y = tf.matmul(inputs, self.W) + self.b
        if self.activation is not None:
            y = self.activation(y)
        return y

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        config["activation"] = keras.activations.serialize(self.activation)
        return config
""",
            "ActivityRegularizationLayer": """class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss(tf.reduce_sum(inputs) * self.rate)
        return inputs  # Pass-through layer.
""",
            "MLP": """class MLP(keras.Model):
    # 自定义网络类，继承自 Model 基类
    def __init__(self):
        super(MLP, self).__init__()
        self.fc1 = SimpleDense(256, activation="relu")
        self.fc2 = SimpleDense(128, activation="relu")
        self.fc3 = SimpleDense(64, activation="relu")
        self.fc4 = SimpleDense(32, activation="relu")
        self.fc5 = SimpleDense(10)

    def call(self, inputs, training=None):
        x = self.fc1(inputs)
        x = self.fc2(x)
        x = self.fc3(x)
        x = self.fc4(x)
        x = self.fc5(x)
        return x
""",
            "train_MLP": """keras.utils.set_random_seed(42)
model = MLP()
model.compile(
    optimizer=keras.optimizers.Adam(),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(x_small, y_small, batch_size=32, epochs=2)
""",
        },
        why="the course notes' SimpleDense build and call (capital W, add_weight without name or "
        "trainable, the activation applied behind an if), their ActivityRegularizationLayer with a rate, "
        "their MyModel (no **kwargs, fc1..fc5, call with training=None), an Adam() object and fit's "
        "arguments in another order: all within what the notebook asks",
    ),
    "faithful_keras_ops": Submission(
        {
            "SimpleDense": """class SimpleDense(keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel",
            initializer=keras.initializers.RandomNormal(stddev=0.05),
            shape=[input_shape[-1], self.units],
        )
        self.bias = self.add_weight(name="bias", initializer=keras.initializers.Zeros(), shape=[self.units])

    def call(self, inputs):
        return self.activation(keras.ops.add(inputs @ self.kernel, self.bias))

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
        }
""",
            "ActivityRegularizationLayer": """class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * keras.ops.sum(inputs))
        return inputs
""",
            "MLP": """class MLP(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden_1 = SimpleDense(units=256, activation=keras.activations.relu)
        self.hidden_2 = SimpleDense(units=128, activation=tf.nn.relu)
        self.hidden_3 = SimpleDense(units=64, activation="relu")
        self.hidden_4 = SimpleDense(units=32, activation="relu")
        self.logits = SimpleDense(units=10, activation=None)

    def call(self, inputs):
        h = inputs
        for layer in (self.hidden_1, self.hidden_2, self.hidden_3, self.hidden_4):
            h = layer(h)
        return self.logits(h)
""",
            "train_MLP": """keras.utils.set_random_seed(42)
model = MLP()
model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(x=x_small, y=y_small, epochs=2, batch_size=32, verbose=0)
""",
        },
        why="the @ operator with keras.ops.add and keras.ops.sum, add_weight's keywords in another "
        "order with initializer objects and list shapes, a get_config written as one dict, activations "
        "given as functions (keras.activations.relu, tf.nn.relu as in the notes' my_dense) or strings, a "
        "loop over the hidden layers, fit by keywords and silent",
        slow=True,  # CI time: it trains, and the CI faithful submission covers the same cells
    ),
}

WRONG = {
    "weights_in_init": Submission(
        {
            "SimpleDense": simple_dense(
                init_weights='        self.w = self.add_weight(shape=(784, units), initializer="random_normal")\n'
                '        self.b = self.add_weight(shape=(units,), initializer="zeros")\n',
                build="        pass\n",
            )
        },
        lost={"test_SimpleDense": 1.0, "test_MLP": 1.0, "test_train_MLP": 1.0},
        why="weights made in __init__ for 784 inputs: they exist before the first call and every other input "
        "size fails, including the MLP's second layer, so the MLP cannot be called or trained",
        feedback="has weights before its first call",
    ),
    "bias_initialised_to_ones": Submission(
        {"SimpleDense": simple_dense(build=BUILD.format(bias="ones"))},
        lost={"test_SimpleDense": 0.25},
        why="with the grader's weights every output is right; only the new layer's bias is wrong, and the "
        "MLP still learns (it scores 0.85 like the reference)",
        feedback="is not all zeros",
        slow=True,  # CI time: its checks fail on other submissions too
    ),
    "activation_before_bias": Submission(
        {"SimpleDense": simple_dense(call="self.activation(tf.matmul(inputs, self.w)) + self.b")},
        lost={"test_SimpleDense": 0.75, "test_MLP": 0.5},
        why="activation(x @ W) + b: outputs, gradients and the rebuilt layer are wrong for every activation "
        "but None, and so are the MLP's logits; its weights, trained in that other network, still classify "
        "the training images well in the reference network, so the training points stay",
        feedback="wrong value at index",
        feedback_cell="test_SimpleDense",
    ),
    "call_with_numpy": Submission(
        {
            "SimpleDense": simple_dense(
                call="self.activation(np.matmul(inputs, self.w.numpy()) + self.b.numpy())"
            )
        },
        lost={"test_SimpleDense": 0.25, "test_train_MLP": 1.0},
        why="NumPy gives the right numbers when called directly, but the tape cannot follow it (no gradient) "
        "and fit, which traces call into a graph, fails, so the model is never trained",
        feedback="finds no gradient for W and b",
    ),
    "config_forgets_activation": Submission(
        {
            "SimpleDense": simple_dense(
                config="\n    def get_config(self):\n        config = super().get_config()\n"
                '        config.update({"units": self.units})\n        return config\n'
            )
        },
        lost={"test_SimpleDense": 0.25},
        why="get_config has no activation: from_config makes a layer without one",
        feedback="get_config() must carry units and activation",
        slow=True,  # CI time: its checks fail on other submissions too
    ),
    "get_config_left_out": Submission(
        {"SimpleDense": simple_dense(config="")},
        why="not a mistake in Keras 3: a layer whose constructor takes plain values records them itself, "
        "so the round trip works and nothing is lost",
        slow=True,  # CI time: its checks fail on other submissions too
    ),
    "regularizer_sign_flipped": Submission(
        {"ActivityRegularizationLayer": ACTIVITY.format(loss="-self.rate * tf.reduce_sum(inputs)")},
        lost={"test_ActivityRegularizationLayer": 0.5},
        why="the loss has the wrong sign for every rate; the output is still the input",
        feedback="wrong value",
    ),
    "regularizer_mean_not_sum": Submission(
        {"ActivityRegularizationLayer": ACTIVITY.format(loss="self.rate * tf.reduce_mean(inputs)")},
        lost={"test_ActivityRegularizationLayer": 0.5},
        why="rate · mean instead of rate · sum: equal only for a single element",
        feedback="wrong value",
        slow=True,  # CI time: its checks fail on other submissions too
    ),
    "mlp_softmax_output": Submission(
        {"MLP": mlp(last=', activation="softmax"')},
        lost={"test_MLP": 0.5},
        why="probabilities instead of logits: the variables are right, the outputs are not; softmax keeps "
        "the largest score largest, so the trained weights still classify as well and training keeps its "
        "points",
        feedback="wrong value at index",
    ),
    "mlp_skips_a_layer": Submission(
        {"MLP": mlp(fourth="")},
        lost={"test_MLP": 1.0, "test_train_MLP": 1.0},
        why="dense_4 is made but never called: dense_5 is built for 64 inputs, so there are 10 variables "
        "but of the wrong shapes",
        feedback="have shapes",
    ),
}


def tampering(reference: dict[str, str]) -> dict[str, Submission]:
    """Submissions that try to earn the points without the work; ``reference`` is the correct cells."""
    return {
        "tamper_input_transformer": Submission(
            {"SimpleDense": reference["SimpleDense"] + "\n" + BLANK_LATER_CELLS},
            lost={"test_ActivityRegularizationLayer": 1.0, "test_MLP": 1.0, "test_train_MLP": 1.0},
            why="the transformer blanks every later cell, so the other classes and model are never defined; "
            "test cells never run in the kernel, so SimpleDense keeps its points",
            feedback="not defined",
            feedback_cell="test_MLP",
        ),
        "tamper_fake_weights_report": Submission(
            {
                "train_MLP": reference["train_MLP"].replace(
                    "history = model.fit(x_small, y_small, epochs=2, batch_size=32, verbose=2)",
                    "class History:\n    history = {'loss': [0.1, 0.05], 'accuracy': [0.99, 1.0]}\n\n"
                    "history = History()\nmodel.evaluate = lambda *a, **k: {'loss': 0.0, 'accuracy': 1.0}\n"
                    "model(x_small[:1])\n",
                )
            },
            lost={"test_train_MLP": 1.0},
            why="a made-up history and evaluate that report perfect accuracy; the grader computes the accuracy "
            "from the untrained weights itself",
            feedback="the grader computed an accuracy of",
        ),
    }


def corpus(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """Every submission of this assignment's corpus by student id."""
    return {**FAITHFUL, **WRONG, **tampering(reference)}
