"""Realistic wrong ``cnn`` submissions and exactly the points they lose.

Points: ``preprocess`` 2 (two checks), ``build_cnn`` 3 (three checks), training 5 (tiers 0.88, 0.90,
0.91 worth 2, 1.5 and 1.5). Every submission whose network trains spends about two minutes on five
epochs of 60,000 images: those are ``slow`` and graded only by ``bin/test --slow``. The ones in CI
fail before training starts, or never train.
"""

from __future__ import annotations

from corpus import BLANK_LATER_CELLS, Submission

FULL = {"test_preprocess": 2.0, "test_build_cnn": 3.0, "test_train_cnn": 5.0}

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
    # The course notes' network: valid padding, 64 filters twice, no dropout (243,786 parameters).
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


WRONG = {
    "no_pooling_over_budget": Submission(
        {"build_cnn": build("no_pooling")},
        lost={"test_build_cnn": 2.0, "test_train_cnn": 5.0},
        why="without pooling the first Dense layer alone has 6.4 million weights: the notebook refuses to "
        "train it, so the untrained model misses every tier",
        feedback="over the budget of 500,000",
    ),
    "channel_axis_forgotten_build_not_done": Submission(
        {"preprocess": preprocess("    return (images / 255.0).astype(np.float32)\n"), "build_cnn": NOT_DONE},
        lost={"test_preprocess": 1.0, "test_build_cnn": 3.0, "test_train_cnn": 5.0},
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
        lost={"test_preprocess": 1.0, "test_build_cnn": 3.0, "test_train_cnn": 5.0},
        why="adds the channel axis by setting images.shape: right values, but the caller's array changes "
        "shape (and no network yet)",
        feedback="changed the shape of the array it was given",
    ),
    "compiled_with_mse_not_trained": Submission(
        {"build_cnn": build(loss='"mse"', extra="    model.fit = lambda *args, **kwargs: None\n")},
        lost={"test_build_cnn": 1.0, "test_train_cnn": 5.0},
        why="lesson 1's mean squared error for integer labels, and fit made a no-op so it hands in quickly",
        feedback="integer labels need",
    ),
    "seed_notes_network": Submission(
        {"build_cnn": build("seed_notes")},
        lost={"test_train_cnn": 3.0},
        why="the course notes' network reaches about 0.90 after 5 epochs: the first tier, not the top ones",
        feedback="below this tier",
        slow=True,
    ),
    "not_normalised": Submission(
        {"preprocess": preprocess("    return images.astype(np.float32).reshape(-1, 28, 28, 1)\n")},
        lost={"test_preprocess": 1.0, "test_train_cnn": 5.0},
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
            lost={"test_train_cnn": 5.0},
            why="every later cell is blanked, so nothing trains and model is never defined",
            feedback="not defined",
        ),
        "tamper_fake_evaluate": Submission(
            {
                "build_cnn": build(
                    extra="    model.fit = lambda *args, **kwargs: None\n"
                    "    model.evaluate = lambda *args, **kwargs: {'loss': 0.1, 'accuracy': 0.95}\n"
                )
            },
            lost={"test_train_cnn": 5.0},
            why="fit does nothing and evaluate reports 0.95: the grader measures the untrained model itself",
            feedback="below this tier",
        ),
    }
