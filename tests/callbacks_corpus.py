"""Realistic wrong ``callbacks`` submissions and exactly the points they lose.

Points: the callback 4 (four checks, 1 each), the real run 3 (two checks, 1.5 each). Submissions
whose callback never stops train all 50 epochs (about a minute each): they are ``slow`` and graded
only by ``bin/test --slow``.
"""

from __future__ import annotations

from corpus import BLANK_LATER_CELLS, Submission

FULL = {"test_AccuracyThresholdCallback": 4.0, "test_train_until_threshold": 3.0}

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


WRONG = {
    "ge_not_gt": Submission(
        {"AccuracyThresholdCallback": callback(compare=">=")},
        lost={"test_AccuracyThresholdCallback": 1.0},
        why="stops at exactly 0.9; the real run never lands on exactly 0.9, so it still stops right",
        feedback="strictly above the threshold",
        slow=True,  # its checks also fail on loss_instead_of_accuracy in CI
    ),
    "monitor_ignored": Submission(
        {"AccuracyThresholdCallback": callback(key='"accuracy"')},
        lost={"test_AccuracyThresholdCallback": 1.0},
        why="always reads 'accuracy': right for the default, wrong for monitor='val_accuracy'",
        feedback="strictly above the threshold",
        slow=True,  # its checks also fail on loss_instead_of_accuracy in CI
    ),
    "crashes_on_logs_none": Submission(
        {"AccuracyThresholdCallback": callback(logs="")},
        lost={"test_AccuracyThresholdCallback": 1.0},
        why="logs.get on None raises AttributeError; fit always passes a dictionary, so the real run is fine",
        feedback="AttributeError",
        slow=True,  # its checks also fail on loss_instead_of_accuracy in CI
    ),
    "loss_instead_of_accuracy": Submission(
        {"AccuracyThresholdCallback": SEED_LOSS_CALLBACK},
        lost={"test_AccuracyThresholdCallback": 4.0, "test_train_until_threshold": 3.0},
        why="the seed's loss < 0.4 stops after epoch 4 below 0.9 accuracy; without a 'loss' key it compares "
        "None with 0.4 and crashes",
        feedback="TypeError",
    ),
    "fixed_five_epochs": Submission(
        {"train_until_threshold": train(FIT.replace("epochs=max_epochs", "epochs=5"))},
        lost={"test_train_until_threshold": 3.0},
        why="lesson 1's epochs=5 instead of max_epochs: training ends before the accuracy passes 0.9 "
        "(the grader measures 0.886)",
        feedback="give it max_epochs",
    ),
    "eight_epochs_no_callback": Submission(
        {
            "train_until_threshold": train(
                FIT.replace("max_epochs, callbacks=[AccuracyThresholdCallback()]", "8")
            )
        },
        lost={"test_train_until_threshold": 1.5},
        why="the notebook says the run passes 0.9 after epoch 8, so fit(epochs=8) without the callback gives "
        "the same History; the grader reads the notebook's own fit call, and the model is still trained",
        feedback="does not pass AccuracyThresholdCallback to fit",
    ),
    "tf1_acc_key": Submission(
        {"AccuracyThresholdCallback": callback(key='"acc"')},
        lost={"test_AccuracyThresholdCallback": 3.0, "test_train_until_threshold": 1.5},
        why="TF1's logs['acc'] is None in TF2: it warns every epoch and never stops, so the real run trains "
        "all max_epochs (the trained model is accurate, so the grader's measure passes)",
        feedback="TensorFlow 1's key",
        slow=True,
    ),
    "callback_left_out": Submission(
        {"train_until_threshold": train(FIT.replace("callbacks=[AccuracyThresholdCallback()], ", ""))},
        lost={"test_train_until_threshold": 1.5},
        why="fit without callbacks trains all 50 epochs; the callback itself is right",
        feedback="does not pass AccuracyThresholdCallback to fit",
        slow=True,
    ),
}


def tampering(reference: dict[str, str]) -> dict[str, Submission]:
    """Submissions that try to earn the points without the work; ``reference`` is the correct cells."""
    return {
        "tamper_input_transformer": Submission(
            {"AccuracyThresholdCallback": reference["AccuracyThresholdCallback"] + "\n" + BLANK_LATER_CELLS},
            lost={"test_train_until_threshold": 3.0},
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
            lost={"test_train_until_threshold": 3.0},
            why="a History with made-up accuracies that stop right, around an untrained model: fit is never "
            "called with the callback, and the grader's own measure of the model is 0.06",
            feedback="does not pass AccuracyThresholdCallback to fit",
        ),
        # A hole, kept here so it stays seen (docs/trust-model.md, "Still open"): History.params is the
        # kernel's word, so the real run's share is earned without a working callback.
        "tamper_history_params": Submission(
            {
                "AccuracyThresholdCallback": callback(key='"acc"'),
                "train_until_threshold": train(
                    FIT.replace("return model.fit", "history = model.fit").replace("max_epochs", "8")
                    + '    history.params["epochs"] = max_epochs  # as if the callback had stopped 50\n'
                    "    return history\n"
                ),
            },
            lost={"test_AccuracyThresholdCallback": 3.0},
            why="TF1's logs['acc'] never stops, but fit(epochs=8) with the callback passed ends where a working "
            "one would and params['epochs'] is overwritten to max_epochs: the real run's checks pass (a hole; "
            "the callback's own checks and the grader's accuracy measure still judge the work)",
            feedback="TensorFlow 1's key",
        ),
    }
