"""Realistic ``first_network`` submissions, faithful and wrong, and exactly the points they lose.

Every submission that trains both models takes about a minute, so only those that fail fast are in
CI; the others are ``slow`` (``bin/test --slow``). Scores were first guessed from training measured
outside nbgrader (seed 42, see each ``why``); grading confirmed those of the CI submissions and of
``classifier_tf_nn_softmax``. The other slow ones are confirmed only by a ``--slow`` run.

Each wrong one starts from the reference and changes one thing a student plausibly gets wrong, in
a solution cell. The faithful ones are correct solutions written from the notebook's words in other
styles (the older ``input_shape=`` form, optimizer and loss objects, a functional model, a prediction
cell of the student's own): each must get full marks. One of them trains in CI.

Points: test_build_linear_model 3 (3 checks: architecture, compile, prediction at x = 10),
test_build_fashion_classifier 3 (3 checks: layers, shapes, compile), test_train_classifier 2 (1
check: test accuracy). The four written answers are graded by hand,
so autograding leaves them at 0 for everyone.

The training cells are locked: nbgrader's OverwriteCells puts back the released source of a
locked cell whose checksum changed, so a student cannot train for fewer epochs or skip the
normalisation there. ``fewer_epochs_in_locked_cell`` and ``normalisation_removed_in_locked_cell``
keep that claim honest (they lose nothing).
"""

from __future__ import annotations

from corpus import BLANK_LATER_CELLS, Submission
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell

# About how long this corpus's CI batch grades (seconds, beside another batch): longest start first.
BATCH_SECONDS = 165

LINEAR = """def build_linear_model():
    model = keras.Sequential([{layers}])
    model.compile({compile})
    return model
"""


def linear(
    layers: str = "keras.Input(shape=(1,)), keras.layers.Dense(units=1)",
    compile: str = 'optimizer="sgd", loss="mean_squared_error"',
) -> str:
    return LINEAR.format(layers=layers, compile=compile)


CLASSIFIER = """def build_fashion_classifier():
    model = keras.Sequential(
        [
{layers}
        ]
    )
    model.compile({compile})
    return model
"""
INPUT = "            keras.Input(shape=(28, 28)),\n"
FLATTEN = "            keras.layers.Flatten(),\n"
HIDDEN = '            keras.layers.Dense(128, activation="relu"),\n'
OUTPUT = '            keras.layers.Dense(10, activation="softmax"),\n'
COMPILE = 'optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]'


def classifier(layers: str = INPUT + FLATTEN + HIDDEN + OUTPUT, compile: str = COMPILE) -> str:
    return CLASSIFIER.format(layers=layers.rstrip("\n"), compile=compile)


def predict_in_a_cell_of_ones_own(notebook: NotebookNode) -> None:
    """After the linear training cell, the student asks for the prediction as the older notes do,
    with the array Keras 3 needs (``model.predict([10.0])`` fails in Keras 3)."""
    ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells]
    index = ids.index("train_linear")
    notebook.cells.insert(index + 1, new_code_cell("print(linear_model.predict(np.array([[10.0]])))"))


FAITHFUL = {
    "faithful_objects_functional_own_predict": Submission(
        {
            "build_linear_model": """def build_linear_model():
    model = tf.keras.Sequential([keras.layers.Dense(units=1, input_shape=[1])])
    model.compile(optimizer=keras.optimizers.SGD(), loss=keras.losses.MeanSquaredError())
    return model
""",
            "build_fashion_classifier": """def build_fashion_classifier():
    inputs = keras.Input(shape=(28, 28))
    x = keras.layers.Flatten()(inputs)
    x = keras.layers.Dense(128, activation=tf.nn.relu)(x)
    outputs = keras.layers.Dense(10, activation=tf.nn.softmax)(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=["accuracy"],
    )
    return model
""",
        },
        why="the older Dense(units=1, input_shape=[1]) with SGD and loss objects, a functional classifier "
        "with tf.nn activations and Adam and loss objects, and a cell of the student's own that calls "
        "linear_model.predict(np.array([[10.0]])): all as the notebook asks, so full marks",
        edit=predict_in_a_cell_of_ones_own,
    ),
    "faithful_add_style_flatten_input_shape": Submission(
        {
            "build_linear_model": """def build_linear_model():
    model = keras.Sequential()
    model.add(keras.Input(shape=(1,)))
    model.add(keras.layers.Dense(1))
    model.compile(loss="mse", optimizer=tf.keras.optimizers.SGD(learning_rate=0.01))
    return model
""",
            "build_fashion_classifier": """def build_fashion_classifier():
    model = keras.Sequential([
        keras.layers.Flatten(input_shape=(28, 28)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(
        loss=keras.losses.sparse_categorical_crossentropy,
        optimizer="adam",
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    return model
""",
        },
        why="model.add, the alias mse, an SGD object with its default rate, the older "
        "Flatten(input_shape=...), the loss as a function and the accuracy metric as an object, keywords "
        "in another order: full marks",
        slow=True,
    ),
}

WRONG = {
    # -- part 1: the linear model ----------------------------------------------------------------
    "linear_with_adam": Submission(
        {"build_linear_model": linear(compile='optimizer="adam", loss="mean_squared_error"')},
        lost={"test_build_linear_model": 2 / 3},
        why="Adam's default step (0.001) is far too small for 500 epochs on six examples: measured prediction "
        "17.500 at x = 10; the saved compile settings say Adam",
        feedback="the model is compiled with optimizer",
        slow=True,
    ),
    "linear_mean_absolute_error": Submission(
        {"build_linear_model": linear(compile='optimizer="sgd", loss="mean_absolute_error"')},
        lost={"test_build_linear_model": 1 / 3},
        why="the line is still learned (measured 30.938 at x = 10, within 0.5), but the loss is not the "
        "mean squared error asked for",
        feedback="the model is compiled with loss",
        slow=True,
    ),
    "linear_relu_activation": Submission(
        {
            "build_linear_model": linear(
                layers='keras.Input(shape=(1,)), keras.layers.Dense(1, activation="relu")'
            )
        },
        lost={"test_build_linear_model": 1 / 3},
        why="a relu neuron is not a line (it cannot output -2 at x = -1), yet at x = 10 it still predicts "
        "31.071 (measured): only the architecture check fails",
        feedback="does not apply linear",
        slow=True,
    ),
    "linear_without_input_shape": Submission(
        {"build_linear_model": linear(layers="keras.layers.Dense(units=1)")},
        lost={"test_build_linear_model": 2 / 3},
        why="without keras.Input the model has no input shape; fit on the 1-d xs then fails (measured: "
        "'expected min_ndim=2, found ndim=1'), so linear_model is never trained and cannot predict",
        feedback="has no input shape",
    ),
    "linear_not_compiled": Submission(
        {
            "build_linear_model": "def build_linear_model():\n"
            "    return keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(units=1)])\n"
        },
        lost={"test_build_linear_model": 2 / 3},
        why="compile forgotten: the saved file has no compile settings and fit refuses to train, so the "
        "untrained neuron's prediction is far from 31",
        feedback="is not compiled",
    ),
    # -- part 2: the classifier ------------------------------------------------------------------
    "classifier_1024_hidden_units": Submission(
        {
            "build_fashion_classifier": classifier(
                layers=INPUT + FLATTEN + HIDDEN.replace("128", "1024") + OUTPUT
            )
        },
        lost={"test_build_fashion_classifier": 1 / 3},
        why="question 1's experiment left in the graded function: the layers differ, but it trains as well "
        "(measured outside nbgrader: test accuracy 0.878) and about twice as slow (103 s against 52 s)",
        feedback="Dense(1024)",
        slow=True,
    ),
    "classifier_without_flatten": Submission(
        {"build_fashion_classifier": classifier(layers=INPUT + HIDDEN + OUTPUT)},
        lost={"test_build_fashion_classifier": 2 / 3, "test_train_classifier": 1.0},
        why="Dense on (28, 28) works row by row: output (batch, 28, 10), fit fails at once (measured: "
        "'output must have rank target.ndim - 1'), so the classifier stays untrained; the input shape is right",
        feedback="expected [Flatten(), Dense(128, relu), Dense(10, softmax)]",
    ),
    "classifier_five_outputs": Submission(
        {
            "build_fashion_classifier": classifier(
                layers=INPUT + FLATTEN + HIDDEN + OUTPUT.replace("10,", "5,")
            )
        },
        lost={"test_build_fashion_classifier": 2 / 3, "test_train_classifier": 1.0},
        why="5 output units for 10 classes: layers and output shape are wrong, and fit fails on the first "
        "label above 4 (measured: InvalidArgumentError), so the classifier is untrained with 5 outputs",
        feedback="Dense(5)",
        slow=True,
    ),
    "classifier_loss_mse": Submission(
        {
            "build_fashion_classifier": classifier(
                compile='optimizer="adam", loss="mse", metrics=["accuracy"]'
            )
        },
        lost={"test_build_fashion_classifier": 1 / 3, "test_train_classifier": 1.0},
        why="mean squared error between integer labels (batch,) and 10 probabilities (batch, 10) does not even "
        "run: fit fails at once (measured: 'Dimensions must be equal, but are 32 and 10')",
        feedback="the model is compiled with loss",
    ),
    "classifier_no_softmax": Submission(
        {
            "build_fashion_classifier": classifier(
                layers=INPUT + FLATTEN + HIDDEN + "            keras.layers.Dense(10),\n"
            )
        },
        lost={"test_build_fashion_classifier": 1 / 3, "test_train_classifier": 1.0},
        why="raw scores fed to a cross-entropy that expects probabilities: training goes nowhere (measured: "
        "accuracy 0.10 every epoch, 0.0996 on the test set)",
        feedback="does not apply softmax",
        slow=True,
    ),
    "classifier_tf_nn_softmax": Submission(
        {
            "build_fashion_classifier": classifier(
                layers=INPUT
                + FLATTEN
                + HIDDEN
                + "            keras.layers.Dense(10, activation=tf.nn.softmax),\n"
            )
        },
        why="the seed notes' activation=tf.nn.softmax is saved as the function softmax_v2; the grader loads "
        "it as Keras's own softmax, so it is not a mistake",
        slow=True,
    ),
    "classifier_metrics_forgotten": Submission(
        {
            "build_fashion_classifier": classifier(
                compile='optimizer="adam", loss="sparse_categorical_crossentropy"'
            )
        },
        lost={"test_build_fashion_classifier": 1 / 3},
        why="no accuracy metric: training is the same (the grader measures the accuracy itself), only the "
        "compile check fails",
        feedback="the model is compiled with metrics",
        slow=True,
    ),
    # -- locked cells: edits are undone by nbgrader ----------------------------------------------------
    "fewer_epochs_in_locked_cell": Submission(
        {
            "train_linear": "xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])\n"
            "ys = np.array([-2.0, 1.0, 4.0, 7.0, 10.0, 13.0])\n"
            "linear_model = build_linear_model()\nlinear_history = linear_model.fit(xs, ys, epochs=5, verbose=0)\n"
            "prediction = float(linear_model(np.array([[10.0]]))[0, 0])\n"
        },
        why="the student cut the locked training cell to 5 epochs to save time; nbgrader restores the released "
        "source of locked cells before running them, so the model trains for 500 epochs and nothing is lost",
        slow=True,
    ),
    "normalisation_removed_in_locked_cell": Submission(
        {"data": "(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()\n"},
        why="question 4's experiment done in the locked data cell (no / 255.0; measured 0.819 test accuracy "
        "when trained so); nbgrader restores the cell, so the grader's run is normalised and nothing is lost",
        slow=True,
    ),
}

FAKE_LINEAR = '''

class FakeLinearModel:
    """Answers 31 at x = 10 whatever it is asked, and nothing else."""

    def __call__(self, x):
        return np.full((len(x), 1), 31.0)

    predict = __call__


linear_model = FakeLinearModel()
'''

FAKE_FIT = """def build_fashion_classifier():
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    class History:
        history = {"loss": [0.1] * 5, "accuracy": [0.99] * 5}

    model.fit = lambda *args, **kwargs: History()
    model.evaluate = lambda *args, **kwargs: [0.01, 0.99]
    return model
"""


def tampering(reference: dict[str, str]) -> dict[str, Submission]:
    """Submissions that try to earn the points without the work; ``reference`` is the correct cells."""
    return {
        "tamper_input_transformer": Submission(
            {"build_linear_model": reference["build_linear_model"] + "\n" + BLANK_LATER_CELLS},
            lost={
                "test_build_fashion_classifier": 1.0,
                "test_train_classifier": 1.0,
                "test_build_linear_model": 1 / 3,
            },
            why="the transformer blanks every later cell, so linear_model is never trained or even made, and "
            "build_fashion_classifier and classifier are never defined; build_linear_model keeps its "
            "architecture and compile points",
            feedback="not defined",
            feedback_cell="test_build_fashion_classifier",
        ),
        "tamper_fake_linear_model": Submission(
            {"build_fashion_classifier": reference["build_fashion_classifier"] + FAKE_LINEAR},
            lost={"test_build_linear_model": 1 / 3},
            why="after the real training, linear_model is replaced by an object that answers 31; the grader "
            "asks it to save itself and predicts with the loaded copy, so the stand-in earns nothing",
            feedback="'FakeLinearModel' object has no attribute 'save'",
            feedback_cell="test_build_linear_model",
            slow=True,
        ),
        "tamper_fake_fit": Submission(
            {"build_fashion_classifier": FAKE_FIT},
            lost={"test_train_classifier": 1.0},
            why="fit and evaluate are replaced by stand-ins that report 0.99; the saved model is the right "
            "untrained network, and the grader's own measure on the test images finds about 0.10",
            feedback="measured an accuracy of",
            feedback_cell="test_train_classifier",
            slow=True,
        ),
    }


def corpus(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """Every submission of this assignment's corpus by student id."""
    return {**FAITHFUL, **WRONG, **tampering(reference)}
