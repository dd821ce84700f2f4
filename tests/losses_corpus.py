"""Realistic ``losses`` submissions and exactly the points they lose.

Each wrong one starts from the reference and changes one thing a student plausibly gets
wrong. The faithful ones are written from the notebook's words in other styles (the course
notes' own code, float32 arithmetic, one value per sample from ``call``, library objects,
other argument orders) and must get full marks. Every submission trains, so the faithful
styles are combined into two submissions, one of them in the slow suite.
Points: custom_mean_squared_error 3 (3 checks), CustomMSE 4 (4 checks), training 3
(2 checks).
"""

from __future__ import annotations

from corpus import BLANK_LATER_CELLS, Submission

# About how long this corpus's CI batch grades (seconds, beside another batch): longest start first.
BATCH_SECONDS = 152

CUSTOM_MSE = """class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        mse = tf.reduce_mean(tf.square(y_true - y_pred))
        regularization = tf.reduce_mean(tf.square(0.5 - y_pred))
        return {result}
{config}"""
GET_CONFIG = """
    def get_config(self):
        return {"name": self.name, "regularization_factor": self.regularization_factor}
"""


def custom_mse(
    result: str = "mse + self.regularization_factor * regularization", config: str = GET_CONFIG
) -> str:
    return CUSTOM_MSE.format(result=result, config=config)


FAITHFUL = {
    "faithful_float32_per_sample": Submission(
        {
            "custom_mean_squared_error": """def custom_mean_squared_error(y_true, y_pred):
    # float32, Keras's own default precision, whatever the inputs' dtype
    y_true = tf.cast(y_true, tf.float32)
    y_pred = tf.cast(y_pred, tf.float32)
    return tf.reduce_mean(tf.square(y_pred - y_true))
""",
            "CustomMSE": """class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        # one value per sample: calling the loss averages them over the batch
        mse = tf.math.reduce_mean(tf.square(y_true - y_pred), axis=-1)
        reg = tf.math.reduce_mean(tf.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.regularization_factor

    def get_config(self):
        return {"regularization_factor": self.regularization_factor, "name": self.name}
""",
            "train_with_custom_loss": """model = build_mlp()
loss_fn = CustomMSE()
model.compile(optimizer=keras.optimizers.Adam(), loss=loss_fn, metrics=["accuracy"])
history = model.fit(x_small, y_small, batch_size=32, epochs=1)
""",
        },
        why="float32 arithmetic on float64 input, call returning one value per sample, the notes' "
        "tf.math spelling and Adam() object, a loss instance made before compile, fit's arguments in "
        "another order with its default verbose: all within what the notebook asks",
    ),
    "faithful_notes_one_liner": Submission(
        {
            "custom_mean_squared_error": """def custom_mean_squared_error(y_true, y_pred):
    return tf.math.reduce_mean(tf.square(y_true - y_pred))
#尽量用tf的算子以保证稳定性
""",
            "CustomMSE": """class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        error = keras.ops.mean(keras.ops.square(y_true - y_pred))
        pull = keras.ops.mean(keras.ops.square(0.5 - y_pred))
        return error + self.regularization_factor * pull

    def get_config(self):
        config = super().get_config()
        return {"name": config["name"], "regularization_factor": self.regularization_factor}
""",
            "train_with_custom_loss": """model = build_mlp()
model.compile(loss=CustomMSE(), metrics=["accuracy"], optimizer="adam")
history = model.fit(x=x_small, y=y_small, epochs=1, batch_size=32, verbose=0)
""",
        },
        why="the course notes' own custom_mean_squared_error, word for word (it keeps the inputs' dtype); "
        "CustomMSE with keras.ops and a get_config built from the parent's; compile's keywords in "
        "another order; fit silent",
        slow=True,  # CI time: it trains, and the CI faithful submission covers the same cells
    ),
}

WRONG = {
    "mse_with_numpy": Submission(
        {
            "custom_mean_squared_error": "def custom_mean_squared_error(y_true, y_pred):\n"
            "    return np.mean(np.square(np.asarray(y_true) - np.asarray(y_pred)))\n"
        },
        lost={"test_custom_mean_squared_error": 1 / 3},
        why="NumPy gives the right value but tf.GradientTape cannot follow it: no gradient",
        feedback="finds no gradient",
    ),
    "mse_mean_over_last_axis": Submission(
        {
            "custom_mean_squared_error": "def custom_mean_squared_error(y_true, y_pred):\n"
            "    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)\n"
        },
        lost={"test_custom_mean_squared_error": 1.0},
        why="Keras's own reduction (one value per sample) is not one number for 2-d labels; its gradient "
        "is the per-sample sum's",
        feedback="a loss must be a single number",
    ),
    "regularizer_sign_flipped": Submission(
        {"CustomMSE": custom_mse(result="mse - self.regularization_factor * regularization")},
        lost={"test_CustomMSE": 1.0},
        why="subtracting the regularization term is wrong for every factor but 0, including the default",
        feedback="wrong value",
    ),
    "factor_hard_coded": Submission(
        {"CustomMSE": custom_mse(result="mse + 0.1 * regularization")},
        lost={"test_CustomMSE": 0.75},
        why="the factor is stored but 0.1 is always used: values, gradients and from_config(2.5) are wrong "
        "for the other factors; only the defaults check is right",
        feedback="wrong value",
    ),
    "get_config_missing": Submission(
        {"CustomMSE": custom_mse(config="")},
        lost={"test_CustomMSE": 0.25},
        why="without get_config the parent's config has no factor and from_config fails on 'reduction'",
        feedback="get_config() does not carry the right regularization_factor",
    ),
    "trained_with_builtin_mse": Submission(
        {
            "train_with_custom_loss": 'model = build_mlp()\nmodel.compile(optimizer="adam", loss="mse", '
            'metrics=["accuracy"])\nhistory = model.fit(x_small, y_small, epochs=1, batch_size=32, verbose=2)\n'
        },
        lost={"test_train_with_custom_loss": 0.5},
        why="the model learns, but with Keras's MSE, not with the CustomMSE of part 2",
        feedback="not compiled with CustomMSE()",
    ),
    "never_trained": Submission(
        {
            "train_with_custom_loss": 'model = build_mlp()\nmodel.compile(optimizer="adam", loss=CustomMSE(), '
            'metrics=["accuracy"])\nhistory = None\n'
        },
        lost={"test_train_with_custom_loss": 0.5},
        why="compiled right but never fitted: the grader's own evaluation finds chance accuracy",
        feedback="the grader measured an accuracy of",
    ),
}

FAKE_MODEL = '''class FakeModel:
    """Looks like a trained model: answers with the true test labels and a perfect evaluation."""

    loss = CustomMSE()

    def predict(self, x, **kwargs):
        images = (x_test / 255.0).astype("float32")
        lookup = {image.tobytes(): label for image, label in zip(images, y_test)}
        return keras.utils.to_categorical([lookup.get(np.asarray(i).tobytes(), 0) for i in x], 10)

    def evaluate(self, x, y, **kwargs):
        return {"loss": 0.0, "accuracy": 1.0}


model = FakeModel()
history = None
'''


def tampering(reference: dict[str, str]) -> dict[str, Submission]:
    """Submissions that try to earn the points without the work; ``reference`` is the correct cells."""
    return {
        "tamper_input_transformer": Submission(
            {"custom_mean_squared_error": reference["custom_mean_squared_error"] + "\n" + BLANK_LATER_CELLS},
            lost={"test_CustomMSE": 1.0, "test_train_with_custom_loss": 1.0},
            why="the transformer blanks every later cell, so CustomMSE and model are never defined; test "
            "cells never run in the kernel, so nothing else changes",
            feedback="not defined",
            feedback_cell="test_CustomMSE",
        ),
        "tamper_fake_model": Submission(
            {"train_with_custom_loss": FAKE_MODEL},
            lost={"test_train_with_custom_loss": 1.0},
            why="the grader asks the model to save itself and reads the loss and the accuracy from that "
            "file, loaded in Keras safe mode; a stand-in cannot be saved, so its answers are never used",
            feedback="'FakeModel' object has no attribute 'save'",
            feedback_cell="test_train_with_custom_loss",
        ),
    }


def corpus(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """Every submission of this assignment's corpus by student id."""
    return {**FAITHFUL, **WRONG, **tampering(reference)}
