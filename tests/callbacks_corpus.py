"""Faithful and wrong ``callbacks`` submissions and exactly the points they lose.

Points: the callback 4 (four checks, 1 each), the real run 3 (two checks, 1.5 each). Submissions
whose callback never stops train all 50 epochs (about a minute each): they are ``slow`` and graded
only by ``bin/test --slow``. The faithful ones are written from the notebook's words in other styles
than the reference, and must get full marks.
"""

from __future__ import annotations

from corpus import BLANK_LATER_CELLS, Submission

# About how long this corpus's CI batch grades (seconds, beside another batch): longest start first.
BATCH_SECONDS = 149

CALLBACK = """class AccuracyThresholdCallback(keras.callbacks.Callback):
    def __init__(self, threshold=0.9, monitor="accuracy"):
        super().__init__()
        self.threshold = threshold
        self.monitor = monitor

    def on_epoch_end(self, epoch, logs=None):
{logs}        value = logs.get({key})
        if value is None:
            warnings.warn(f"{{self.monitor!r}} is not in the logs; not stopping")
            return
        if value {compare} self.threshold:
            print(f"epoch {{epoch + 1}}: {{value:.4f}} > {{self.threshold}}, stopping training")
            self.model.stop_training = True
"""

# The course seed's first callback: it watches the loss, and assumes logs is a dictionary.
SEED_LOSS_CALLBACK = """class AccuracyThresholdCallback(keras.callbacks.Callback):
    def __init__(self, threshold=0.9, monitor="accuracy"):
        super().__init__()
        self.threshold = threshold
        self.monitor = monitor

    def on_epoch_end(self, epoch, logs={}):
        if logs.get("loss") < 0.4:
            print("\\nReached 60% accuracy so cancelling training!")
            self.model.stop_training = True
"""

TRAIN = """def train_until_threshold(x, y, max_epochs=50):
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
{fit}"""

FIT = "    return model.fit(x, y, epochs=max_epochs, callbacks=[AccuracyThresholdCallback()], verbose=2)\n"


def callback(logs: str = "        logs = logs or {}\n", key: str = "self.monitor", compare: str = ">") -> str:
    return CALLBACK.format(logs=logs, key=key, compare=compare)


def train(fit: str = FIT) -> str:
    return TRAIN.format(fit=fit)


# The lab's style (quoted in the notebook) brought to TensorFlow 2: tf.keras spelling, the lab's
# logs={} default made safe for None, a RuntimeWarning, a 0-based epoch in the message, the callback
# made on the line before fit and named `callbacks` as the lab names it, positional x and y, the older
# Flatten(input_shape=...), tf.nn.relu and tf.nn.softmax (the grader loads the saved model in safe mode
# with Keras's own softmax under the name TensorFlow saves tf.nn.softmax as).
LAB_STYLE_CALLBACK = """class AccuracyThresholdCallback(tf.keras.callbacks.Callback):
    def __init__(self, threshold=0.9, monitor='accuracy'):
        super(AccuracyThresholdCallback, self).__init__()
        self.threshold = threshold
        self.monitor = monitor

    def on_epoch_end(self, epoch, logs={}):
        logs = logs or {}
        if self.monitor not in logs:
            warnings.warn('%s is not in logs' % self.monitor, RuntimeWarning)
            return
        if(logs.get(self.monitor) > self.threshold):
            print('\\n Epoch %d: %s above %s so cancelling training!' % (epoch, self.monitor, self.threshold))
            self.model.stop_training = True
"""

LAB_STYLE_TRAIN = """def train_until_threshold(x, y, max_epochs=50):
    callbacks = AccuracyThresholdCallback()
    model = tf.keras.models.Sequential([tf.keras.layers.Flatten(input_shape=(28, 28)),
                                        tf.keras.layers.Dense(512, activation=tf.nn.relu),
                                        tf.keras.layers.Dense(10, activation=tf.nn.softmax)])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    history = model.fit(x, y, epochs=max_epochs, callbacks=[callbacks])
    return history
"""

# Keras objects instead of strings, the model built with add(), the callback made before fit as
# `stopper`, fit's arguments by keyword in another order with verbose and batch_size, and a callback
# that warns with the default category, no early return and a 0-based "Epoch".
OBJECTS_CALLBACK = """class AccuracyThresholdCallback(keras.callbacks.Callback):
    \"\"\"Stops training once logs[monitor] is above threshold.\"\"\"

    def __init__(self, threshold=0.9, monitor="accuracy"):
        super().__init__()
        self.threshold = float(threshold)
        self.monitor = monitor

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"AccuracyThresholdCallback: no {self.monitor!r} in logs", stacklevel=2)
        elif current > self.threshold:
            print(f"Epoch {epoch}: {self.monitor} = {current:.4f} > {self.threshold}; stopping.")
            self.model.stop_training = True
"""

OBJECTS_TRAIN = """def train_until_threshold(x, y, max_epochs=50):
    model = keras.Sequential()
    model.add(keras.Input(shape=(28, 28)))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(512, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=["accuracy"],
    )
    stopper = AccuracyThresholdCallback()
    return model.fit(x=x, y=y, callbacks=[stopper], verbose=2, batch_size=32, epochs=max_epochs)
"""

FAITHFUL = {
    "faithful_lab_style": Submission(
        {"AccuracyThresholdCallback": LAB_STYLE_CALLBACK, "train_until_threshold": LAB_STYLE_TRAIN},
        why="the lab's own style, right for TensorFlow 2: the same model and training as the reference",
    ),
    "faithful_keras_objects": Submission(
        {"AccuracyThresholdCallback": OBJECTS_CALLBACK, "train_until_threshold": OBJECTS_TRAIN},
        why="library objects for optimizer and loss, the callback made before fit: the same training",
    ),
    "faithful_tf_print": Submission(
        {
            "AccuracyThresholdCallback": OBJECTS_CALLBACK.replace(
                "            print(", "            tf.print("
            )
        },
        why="the stop message printed with tf.print, not print: a message all the same (the checks read "
        "what the call printed, whichever way it was written)",
    ),
}


WRONG = {
    "ge_not_gt": Submission(
        {"AccuracyThresholdCallback": callback(compare=">=")},
        lost={"test_AccuracyThresholdCallback": 0.25},
        why="stops at exactly 0.9; the real run never lands on exactly 0.9, so it still stops right",
        feedback="strictly above the threshold",
        slow=True,  # its checks also fail on loss_instead_of_accuracy in CI
    ),
    "monitor_ignored": Submission(
        {"AccuracyThresholdCallback": callback(key='"accuracy"')},
        lost={"test_AccuracyThresholdCallback": 0.25},
        why="always reads 'accuracy': right for the default, wrong for monitor='val_accuracy'",
        feedback="strictly above the threshold",
        slow=True,  # its checks also fail on loss_instead_of_accuracy in CI
    ),
    "crashes_on_logs_none": Submission(
        {"AccuracyThresholdCallback": callback(logs="")},
        lost={"test_AccuracyThresholdCallback": 0.25},
        why="logs.get on None raises AttributeError; fit always passes a dictionary, so the real run is fine",
        feedback="AttributeError",
        slow=True,  # its checks also fail on loss_instead_of_accuracy in CI
    ),
    "loss_instead_of_accuracy": Submission(
        {"AccuracyThresholdCallback": SEED_LOSS_CALLBACK},
        lost={"test_AccuracyThresholdCallback": 1.0, "test_train_until_threshold": 1.0},
        why="the seed's loss < 0.4 stops after epoch 4 below 0.9 accuracy; without a 'loss' key it compares "
        "None with 0.4 and crashes",
        feedback="TypeError",
    ),
    "fixed_five_epochs": Submission(
        {"train_until_threshold": train(FIT.replace("epochs=max_epochs", "epochs=5"))},
        lost={"test_train_until_threshold": 1.0},
        why="lesson 1's epochs=5 instead of max_epochs: training ends before the accuracy passes 0.9 "
        "(the grader measures 0.886)",
        feedback="never went above 0.9",
    ),
    "eight_epochs_no_callback": Submission(
        {
            "train_until_threshold": train(
                FIT.replace("max_epochs, callbacks=[AccuracyThresholdCallback()]", "8")
            )
        },
        lost={"test_train_until_threshold": 0.5},
        why="the notebook says the run passes 0.9 after epoch 8, so fit(epochs=8) without the callback gives "
        "the same History; on the grader's learnable data it trains on after passing 0.9, and the model is "
        "still trained",
        feedback="put an AccuracyThresholdCallback in fit's callbacks",
    ),
    "tf1_acc_key": Submission(
        {"AccuracyThresholdCallback": callback(key='"acc"')},
        lost={"test_AccuracyThresholdCallback": 0.75, "test_train_until_threshold": 0.5},
        why="TF1's logs['acc'] is None in TF2: it warns every epoch and never stops, so the real run trains "
        "all max_epochs (the trained model is accurate, so the grader's measure passes)",
        feedback="TensorFlow 1's key",
        slow=True,
    ),
    "epochs_50_literal": Submission(
        {"train_until_threshold": train(FIT.replace("epochs=max_epochs", "epochs=50"))},
        lost={"test_train_until_threshold": 0.5},
        why="the lab's epochs=50 written in, max_epochs ignored: the real run is right, but on the grader's "
        "unlearnable data with max_epochs=3 it trains 50 epochs",
        feedback="give fit epochs=max_epochs",
        slow=True,  # its check also fails on tamper_fake_history in CI
    ),
    "callback_left_out": Submission(
        {"train_until_threshold": train(FIT.replace("callbacks=[AccuracyThresholdCallback()], ", ""))},
        lost={"test_train_until_threshold": 0.5},
        why="fit without callbacks trains all 50 epochs; the callback itself is right",
        feedback="the callback did not stop it",
        slow=True,
    ),
}


def tampering(reference: dict[str, str]) -> dict[str, Submission]:
    """Submissions that try to earn the points without the work; ``reference`` is the correct cells."""
    return {
        "tamper_input_transformer": Submission(
            {"AccuracyThresholdCallback": reference["AccuracyThresholdCallback"] + "\n" + BLANK_LATER_CELLS},
            lost={"test_train_until_threshold": 1.0},
            why="every later cell is blanked, so nothing trains and history is never defined; test cells "
            "never run in the kernel, so the callback keeps its points",
            feedback="not defined",
        ),
        "tamper_fake_history": Submission(
            {
                "train_until_threshold": train(
                    "    history = keras.callbacks.History()\n"
                    "    history.set_model(model)\n"
                    "    history.history = {'loss': [0.5, 0.3], 'accuracy': [0.85, 0.93]}\n"
                    "    return history\n"
                )
            },
            lost={"test_train_until_threshold": 1.0},
            why="a History with made-up accuracies that stop right, around an untrained model: on the "
            "grader's unlearnable data it has 2 epochs, not max_epochs=3, and the grader's own measure of the "
            "model is 0.06",
            feedback="give fit epochs=max_epochs",
        ),
        # Was a hole while the grader read History.params: now train_until_threshold runs on the grader's
        # data too, where fit(epochs=8) and a callback that never stops show.
        "tamper_history_params": Submission(
            {
                "AccuracyThresholdCallback": callback(key='"acc"'),
                "train_until_threshold": train(
                    FIT.replace("return model.fit", "history = model.fit").replace("max_epochs", "8")
                    + '    history.params["epochs"] = max_epochs  # as if the callback had stopped 50\n'
                    "    return history\n"
                ),
            },
            lost={"test_AccuracyThresholdCallback": 0.75, "test_train_until_threshold": 0.5},
            why="TF1's logs['acc'] never stops, but fit(epochs=8) with the callback passed ends where a "
            "working one would and params['epochs'] is overwritten to max_epochs: the real run looks right, "
            "but on the grader's learnable data it trains on after passing 0.9 (the accuracy measure passes)",
            feedback="TensorFlow 1's key",
        ),
    }


def corpus(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """Every submission of this assignment's corpus by student id."""
    return {**FAITHFUL, **WRONG, **tampering(reference)}
