"""Realistic ``cnn`` submissions, faithful and wrong, and exactly the points they lose.

Points: ``preprocess`` 2 (two checks), ``build_cnn`` 3 (three checks), training 5 (tiers 0.88, 0.90,
0.91 worth 2, 1.5 and 1.5). Every submission whose network trains spends about two minutes on five
epochs of 60,000 images: CI grades one such faithful submission besides the reference; the other
ones that train are ``slow`` and graded only by ``bin/test --slow``. The wrong ones in CI fail before
training starts, or never train.
"""

from __future__ import annotations

from corpus import BLANK_LATER_CELLS, Submission

# About how long this corpus's CI batch grades (seconds, beside another batch): longest start first.
BATCH_SECONDS = 411

# Accuracy tiers that only a network that really trains can miss: CI grades no such submission.
FAILED_ONLY_BY_SLOW = frozenset({"accuracy_0.90", "accuracy_0.91"})

NOT_DONE = "def build_cnn():\n    raise NotImplementedError()\n"

LAYERS = {
    "reference": """            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu", padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.4),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
""",
    # The older network the notebook quotes: valid padding, 64 filters twice, no dropout (243,786 weights).
    "seed_notes": """            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
""",
    "no_pooling": """            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
            keras.layers.Conv2D(64, 3, activation="relu", padding="same"),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
""",
}

BUILD = """def build_cnn():
    model = keras.Sequential(
        [
{layers}        ]
    )
    model.compile(optimizer="adam", loss={loss}, metrics=["accuracy"])
{extra}    return model
"""


def build(layers: str = "reference", loss: str = '"sparse_categorical_crossentropy"', extra: str = "") -> str:
    return BUILD.format(layers=LAYERS[layers], loss=loss, extra=extra)


def preprocess(body: str) -> str:
    return f"def preprocess(images):\n{body}"


# Correct solutions written from the notebook's words in other styles; each must get full marks.
FAITHFUL = {
    "faithful_tf_keras_style": Submission(
        {
            "preprocess": "def preprocess(images):\n"
            "    return np.expand_dims(images, axis=-1).astype('float32') / 255\n",
            "build_cnn": """def build_cnn():
    model = tf.keras.models.Sequential([
        tf.keras.layers.Conv2D(32, (3, 3), activation='relu', padding='same', input_shape=(28, 28, 1)),
        tf.keras.layers.MaxPooling2D(2, 2),
        tf.keras.layers.Conv2D(64, (3, 3), activation='relu', padding='same'),
        tf.keras.layers.MaxPooling2D(2, 2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dropout(0.4),
        tf.keras.layers.Dense(128, activation=tf.nn.relu),
        tf.keras.layers.Dense(10, activation=tf.nn.softmax),
    ])
    model.compile(
        optimizer=tf.keras.optimizers.Adam(),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(),
        metrics=['accuracy'],
    )
    return model
""",
        },
        why="the notebook's network in the older tf.keras style (input_shape= on the first Conv2D, "
        "MaxPooling2D(2, 2), tf.nn activations), with Adam and loss objects, and np.expand_dims for the "
        "channel axis: the same network, the same marks",
    ),
    "faithful_functional_softmax_layer": Submission(
        {
            "preprocess": preprocess("    return (images[..., None] / 255.0).astype(np.float32)\n"),
            "build_cnn": """def build_cnn():
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(32, kernel_size=(3, 3), padding="same", activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=(2, 2))(x)
    x = keras.layers.Conv2D(64, kernel_size=(3, 3), padding="same", activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=(2, 2))(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.4)(x)
    x = keras.layers.Dense(128, activation="relu")(x)
    x = keras.layers.Dense(10)(x)
    outputs = keras.layers.Softmax()(x)
    model = keras.Model(inputs, outputs)
    model.compile(
        loss=keras.losses.sparse_categorical_crossentropy,
        optimizer=keras.optimizers.Adam(learning_rate=0.001),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    return model
""",
        },
        why="a functional model whose softmax is a Softmax layer after Dense(10), the loss a function, the "
        "metric an object, float64 division then float32: the output is the same 10 probabilities",
        slow=True,
    ),
}

WRONG = {
    "no_pooling_over_budget": Submission(
        {"build_cnn": build("no_pooling")},
        lost={"test_build_cnn": 2 / 3, "test_train_cnn": 1.0},
        why="without pooling the first Dense layer alone has 6.4 million weights: the notebook refuses to "
        "train it, so the untrained model misses every tier",
        feedback="over the budget of 500,000",
    ),
    "channel_axis_forgotten_build_not_done": Submission(
        {"preprocess": preprocess("    return (images / 255.0).astype(np.float32)\n"), "build_cnn": NOT_DONE},
        lost={"test_preprocess": 0.5, "test_build_cnn": 1.0, "test_train_cnn": 1.0},
        why="handed in half done: (N, 28, 28) without the channel axis, and no network yet",
        feedback="float32 array of shape",
    ),
    "reshapes_its_input_build_not_done": Submission(
        {
            "preprocess": preprocess(
                "    images.shape = (-1, 28, 28, 1)\n    return (images / 255.0).astype(np.float32)\n"
            ),
            "build_cnn": NOT_DONE,
        },
        lost={"test_preprocess": 0.5, "test_build_cnn": 1.0, "test_train_cnn": 1.0},
        why="adds the channel axis by setting images.shape: right values, but the caller's array changes "
        "shape (and no network yet)",
        feedback="changed the shape of the array it was given",
    ),
    "no_softmax_preprocess_not_done": Submission(
        {
            "preprocess": "def preprocess(images):\n    raise NotImplementedError()\n",
            "build_cnn": build().replace(
                'keras.layers.Dense(10, activation="softmax")', "keras.layers.Dense(10)"
            ),
        },
        lost={"test_preprocess": 1.0, "test_build_cnn": 1 / 3, "test_train_cnn": 1.0},
        why="the last layer gives raw scores, not probabilities, for a loss that expects probabilities (and "
        "preprocess is not written yet, so nothing trains)",
        feedback="not 10 probabilities",
        feedback_cell="test_build_cnn",
    ),
    "compiled_with_mse_not_trained": Submission(
        {"build_cnn": build(loss='"mse"', extra="    model.fit = lambda *args, **kwargs: None\n")},
        lost={"test_build_cnn": 1 / 3, "test_train_cnn": 1.0},
        why="lesson 1's mean squared error for integer labels, and fit made a no-op so it hands in quickly",
        feedback="integer labels need",
    ),
    "seed_notes_network": Submission(
        {"build_cnn": build("seed_notes")},
        lost={"test_train_cnn": 3 / 5},
        why="the older network the notebook quotes measures 0.8987 after 5 epochs: the first tier only",
        feedback="below this tier",
        slow=True,
    ),
    "not_normalised": Submission(
        {"preprocess": preprocess("    return images.astype(np.float32).reshape(-1, 28, 28, 1)\n")},
        lost={"test_preprocess": 0.5, "test_train_cnn": 1.0},
        why="pixels 0-255: the network learns on them, but the grader gives it the test images as part 1 "
        "specifies, in [0, 1], and it measures 0.10",
        feedback="1.0",
        slow=True,
    ),
}


def tampering(reference: dict[str, str]) -> dict[str, Submission]:
    """Submissions that try to earn the points without the work; ``reference`` is the correct cells."""
    return {
        "tamper_input_transformer": Submission(
            {"build_cnn": reference["build_cnn"] + "\n" + BLANK_LATER_CELLS},
            lost={"test_train_cnn": 1.0},
            why="every later cell is blanked, so nothing trains and model is never defined",
            feedback="not defined",
        ),
        # No weights to speak of (7,854), so within any parameter budget, yet each image it sees is
        # blown up to 28,000 x 28,000 (3.1 GB): the grader's 4 probe images ask for 12.5 GB. The
        # first four Conv2D/MaxPooling2D layers are small, so the notebook's own feature-map cell
        # (one image, those four layers) runs in the kernel; fit and evaluate are skipped.
        "tamper_memory_bomb_model": Submission(
            {
                "build_cnn": """def build_cnn():
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(1, 1),
            keras.layers.MaxPooling2D(1),
            keras.layers.Conv2D(1, 1),
            keras.layers.MaxPooling2D(1),
            keras.layers.UpSampling2D(1000),
            keras.layers.MaxPooling2D(1000),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit = lambda *args, **kwargs: None
    model.evaluate = lambda *args, **kwargs: [0.0, 0.0]
    return model
"""
            },
            lost={"test_build_cnn": 1 / 3, "test_train_cnn": 1.0},
            why="a model of almost no weights whose predict asks for tens of GB: the process that runs it "
            "for the grader is stopped at its memory cap, those two checks fail with the reason, and the "
            "checks that only read the model (parameters, compile settings) pass",
            feedback="memory limit",
        ),
        "tamper_fake_evaluate": Submission(
            {
                "build_cnn": build(
                    extra="    model.fit = lambda *args, **kwargs: None\n"
                    "    model.evaluate = lambda *args, **kwargs: {'loss': 0.1, 'accuracy': 0.95}\n"
                )
            },
            lost={"test_train_cnn": 1.0},
            why="fit does nothing and evaluate reports 0.95: the grader measures the untrained model itself",
            feedback="below this tier",
        ),
    }


def corpus(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """Every submission of this assignment's corpus by student id."""
    return {**FAITHFUL, **WRONG, **tampering(reference)}
