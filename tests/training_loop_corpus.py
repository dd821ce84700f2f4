"""Faithful and wrong ``training_loop`` submissions and exactly the share of each cell they lose.

Every submission runs the whole notebook (about 25 s of training), so a wrong submission carries one
realistic mistake in several parts at once: the parts are independent, and each check's share is stated
per cell. Checks per cell, equal shares: split 2, loop 3 (two grader runs and the real run), saving 2,
plain fit 2, regularized 1. The faithful submissions are written from the notebook's words in other styles than the
reference (the course notes' own, a ``tf.function`` step, early stopping alone) and must get full marks.
"""

from __future__ import annotations

from corpus import Submission

# About how long this corpus's CI batch grades (seconds, beside another batch): longest start first.
BATCH_SECONDS = 251

# -- faithful ------------------------------------------------------------------------------------
NOTES_SPLIT = """def split_validation(x, y, fraction=0.3, seed=0):
    np.random.seed(seed)
    indices_permutation = np.random.permutation(len(x))
    shuffled_inputs = x[indices_permutation]
    shuffled_targets = y[indices_permutation]
    num_validation_samples = int(fraction * len(x))
    val_inputs = shuffled_inputs[:num_validation_samples]
    val_targets = shuffled_targets[:num_validation_samples]
    training_inputs = shuffled_inputs[num_validation_samples:]
    training_targets = shuffled_targets[num_validation_samples:]
    return (training_inputs, training_targets), (val_inputs, val_targets)
"""

NOTES_LOOP = """def train_by_hand(model, dataset, epochs, learning_rate=0.1):
    optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
    criterion = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    loss_meter = keras.metrics.Mean()
    acc_meter = keras.metrics.Accuracy()
    history = {"loss": [], "accuracy": []}
    for epoch in range(epochs):
        for step, (x, y) in enumerate(dataset):
            with tf.GradientTape() as tape:
                out = model(x, training=True)
                loss = criterion(y, out)
            loss_meter.update_state(float(loss))
            pred = tf.argmax(out, axis=1)
            pred = tf.cast(pred, dtype=tf.int32)
            acc_meter.update_state(y, pred)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
        print(epoch, "loss:", float(loss_meter.result()), "acc:", float(acc_meter.result()))
        history["loss"].append(float(loss_meter.result()))
        history["accuracy"].append(float(acc_meter.result()))
        loss_meter.reset_state()
        acc_meter.reset_state()
    return history
"""

NOTES_SAVING = """from pathlib import Path


def save_model_and_weights(model, folder):
    Path(folder).mkdir(parents=True, exist_ok=True)
    model.save(f"{folder}/model.keras")
    model.save_weights(f"{folder}/model.weights.h5")
    print("saved weights.")


def load_weights_into_new_model(folder):
    network = make_model()
    network.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    network.load_weights(f"{folder}/model.weights.h5")
    print("loaded weights!")
    return network
"""

NOTES_FIT = """def fit_with_validation(model, x, y, x_val, y_val, epochs=20):
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model.fit(x, y, epochs=epochs, batch_size=32, validation_data=(x_val, y_val), verbose=2)
"""

L2_REGULARIZED = """def train_regularized(x, y, x_val, y_val):
    model = make_model(l2=0.01)
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model.fit(x, y, epochs=20, validation_data=(x_val, y_val), verbose=2)
"""

SHUFFLED_INDEX_SPLIT = """def split_validation(x, y, fraction=0.3, seed=0):
    rng = np.random.default_rng(seed)
    index = np.arange(len(x))
    rng.shuffle(index)
    n_val = round(fraction * len(x))
    val_index, train_index = index[:n_val], index[n_val:]
    return (x[train_index], y[train_index]), (x[val_index], y[val_index])
"""

TF_FUNCTION_LOOP = """def train_by_hand(model, dataset, epochs, learning_rate=0.1):
    optimizer = keras.optimizers.SGD(learning_rate)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    meters = {"loss": keras.metrics.Mean(), "accuracy": keras.metrics.SparseCategoricalAccuracy()}

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = loss_fn(y, logits)
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        meters["loss"].update_state(loss, sample_weight=tf.shape(y)[0])
        meters["accuracy"].update_state(y, logits)

    history = {name: [] for name in meters}
    for epoch in range(epochs):
        for x, y in dataset:
            step(x, y)
        for name, meter in meters.items():
            history[name].append(meter.result().numpy())
            meter.reset_state()
        print(f"epoch {epoch + 1}/{epochs}", {name: round(values[-1], 4) for name, values in history.items()})
    return history
"""

PATHLIB_SAVING = """import pathlib


def save_model_and_weights(model, folder):
    folder = pathlib.Path(folder)
    folder.mkdir(exist_ok=True)
    model.save(folder / "model.keras")
    model.save_weights(str(folder / "model.weights.h5"))


def load_weights_into_new_model(folder):
    fresh = make_model()
    fresh.load_weights(str(pathlib.Path(folder) / "model.weights.h5"))
    return fresh
"""

EARLY_STOPPING_ONLY = """def train_regularized(x, y, x_val, y_val):
    model = make_model()
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    return model.fit(x, y, epochs=20, validation_data=(x_val, y_val), callbacks=[early], verbose=0)
"""

FAITHFUL = {
    "training_loop_notes_style": Submission(
        {
            "split_validation": NOTES_SPLIT,
            "train_by_hand": NOTES_LOOP,
            "saving": NOTES_SAVING,
            "fit_with_validation": NOTES_FIT,
            "train_regularized": L2_REGULARIZED,
        },
        why="the course notes' own code: np.random.seed + permutation, float(loss) into Mean, Accuracy on "
        "int32 argmax, save_weights after a compile, Adam(), L2(0.01)",
    ),
    "training_loop_tf_function_early_stopping": Submission(
        {
            "split_validation": SHUFFLED_INDEX_SPLIT,
            "train_by_hand": TF_FUNCTION_LOOP,
            "saving": PATHLIB_SAVING,
            "train_regularized": EARLY_STOPPING_ONLY,
        },
        why="a shuffled index with round(), a tf.function step with a loss mean weighted by batch size and "
        "SparseCategoricalAccuracy, NumPy numbers in the history, pathlib, early stopping alone",
    ),
}

# -- wrong ----------------------------------------------------------------------------------------
LEAKING_SPLIT = """def split_validation(x, y, fraction=0.3, seed=0):
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    n_val = int(fraction * len(x))
    return (x, y), (x[:n_val], y[:n_val])
"""

UNSEEDED_SPLIT = """def split_validation(x, y, fraction=0.3, seed=0):
    order = np.random.permutation(len(x))
    n_val = int(fraction * len(x))
    return (x[order[n_val:]], y[order[n_val:]]), (x[order[:n_val]], y[order[:n_val]])
"""

IN_PLACE_SPLIT = """def split_validation(x, y, fraction=0.3, seed=0):
    np.random.seed(seed)
    np.random.shuffle(x)
    np.random.seed(seed)
    np.random.shuffle(y)
    n_val = int(fraction * len(x))
    return (x[n_val:], y[n_val:]), (x[:n_val], y[:n_val])
"""

FIT_LOOP = """def train_by_hand(model, dataset, epochs, learning_rate=0.1):
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    logged = model.fit(dataset, epochs=epochs, verbose=0).history
    return {"loss": logged["loss"], "accuracy": logged["accuracy"]}
"""

LEAKED_REGULARIZED = """def train_regularized(x, y, x_val, y_val):
    model = make_model(dropout=0.5)
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    everything, labels = np.concatenate([x, x_val]), np.concatenate([y, y_val])
    return model.fit(everything, labels, epochs=20, validation_data=(x_val, y_val), verbose=0)
"""


def loop(
    meters_reset: str = "        loss_meter.reset_state()\n        accuracy_meter.reset_state()\n",
    update: str = "            optimizer.apply_gradients(zip(grads, model.trainable_variables))\n",
    accuracy: str = "            accuracy_meter.update_state(y, tf.argmax(logits, axis=1))\n",
) -> str:
    return (
        "def train_by_hand(model, dataset, epochs, learning_rate=0.1):\n"
        "    optimizer = keras.optimizers.SGD(learning_rate=learning_rate)\n"
        "    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "    loss_meter = keras.metrics.Mean()\n"
        "    accuracy_meter = keras.metrics.Accuracy()\n"
        "    history = {'loss': [], 'accuracy': []}\n"
        "    for epoch in range(epochs):\n"
        "        for x, y in dataset:\n"
        "            with tf.GradientTape() as tape:\n"
        "                logits = model(x, training=True)\n"
        "                loss = loss_fn(y, logits)\n"
        "            grads = tape.gradient(loss, model.trainable_variables)\n"
        f"{update}"
        "            loss_meter.update_state(loss)\n"
        f"{accuracy}"
        "        history['loss'].append(float(loss_meter.result()))\n"
        "        history['accuracy'].append(float(accuracy_meter.result()))\n"
        f"{meters_reset}"
        "    return history\n"
    )


def saving(save: str, load: str) -> str:
    return (
        "def save_model_and_weights(model, folder):\n"
        "    os.makedirs(folder, exist_ok=True)\n"
        f"{save}\n\n"
        "def load_weights_into_new_model(folder):\n"
        f"{load}"
    )


SAVE_BOTH = (
    '    model.save(os.path.join(folder, "model.keras"))\n'
    '    model.save_weights(os.path.join(folder, "model.weights.h5"))\n'
)
LOAD_WEIGHTS = (
    "    model = make_model()\n"
    '    model.load_weights(os.path.join(folder, "model.weights.h5"))\n'
    "    return model\n"
)


def fit(arguments: str = "epochs=epochs, validation_data=(x_val, y_val)") -> str:
    return (
        "def fit_with_validation(model, x, y, x_val, y_val, epochs=20):\n"
        '    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),\n'
        '                  metrics=["accuracy"])\n'
        f"    return model.fit(x, y, {arguments}, verbose=0)\n"
    )


def regularized(model: str) -> str:
    return (
        "def train_regularized(x, y, x_val, y_val):\n"
        f"    model = {model}\n"
        '    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),\n'
        '                  metrics=["accuracy"])\n'
        "    return model.fit(x, y, epochs=20, validation_data=(x_val, y_val), verbose=0)\n"
    )


WRONG = {
    "training_loop_leaks_and_never_resets": Submission(
        {
            "split_validation": LEAKING_SPLIT,
            "train_by_hand": loop(meters_reset=""),
            "saving": saving(
                '    model.save(os.path.join(folder, "model.keras"))\n',
                '    return keras.models.load_model(os.path.join(folder, "model.keras"))\n',
            ),
            "fit_with_validation": fit("epochs=epochs, validation_data=(x, y)"),
        },
        lost={
            "test_split_validation": 1 / 2,
            "test_train_by_hand": 2 / 3,
            "test_saving": 1 / 2,
            "test_fit_with_validation": 1 / 2,
        },
        why="the training part keeps the validation samples; meters never reset; only model.keras saved (the "
        "weights reloaded through load_model); validation on the training data",
        feedback="reset_state()",
        feedback_cell="test_train_by_hand",
    ),
    "training_loop_unseeded_and_fresh_weights": Submission(
        {
            "split_validation": UNSEEDED_SPLIT,
            "train_by_hand": loop(
                accuracy="            accuracy_meter.update_state(y, tf.argmax(model(x), axis=1))\n"
            ),
            "saving": saving(SAVE_BOTH, "    return make_model()\n"),
            "fit_with_validation": fit("epochs=20, validation_data=(x_val, y_val)"),
            "train_regularized": regularized("make_model(dropout=0.2)"),
        },
        lost={
            "test_split_validation": 1 / 2,
            "test_train_by_hand": 2 / 3,
            "test_saving": 1 / 2,
            "test_fit_with_validation": 1 / 2,
            "test_train_regularized": 1.0,
        },
        why="np.random.permutation without the seed; accuracy from a second forward pass after the update; "
        "a new model without the saved weights; epochs=20 whatever epochs says; Dropout(0.2), too weak here",
        feedback="同一个 seed 调用两次",
        feedback_cell="test_split_validation",
    ),
    "training_loop_no_update_and_legacy_file": Submission(
        {
            "train_by_hand": loop(update=""),
            "saving": saving(
                '    model.save(os.path.join(folder, "model.h5"))\n'
                '    model.save_weights(os.path.join(folder, "model.weights.h5"))\n',
                LOAD_WEIGHTS,
            ),
            "fit_with_validation": fit("epochs=epochs, batch_size=1000, validation_data=(x_val, y_val)"),
            "train_regularized": regularized("make_model(l2=1.0)"),
        },
        lost={
            "test_train_by_hand": 1.0,
            "test_saving": 1 / 2,
            "test_fit_with_validation": 1 / 2,
            "test_train_regularized": 1.0,
        },
        why="gradients computed but never applied; the model saved in the legacy .h5 format; one batch of "
        "1,000 per epoch (20 steps: no visible overfitting); L2(1.0), too strong to learn",
        feedback="第 1 轮的 loss",
        feedback_cell="test_train_by_hand",
    ),
    "training_loop_fit_inside_and_leaked_validation": Submission(
        {
            "split_validation": IN_PLACE_SPLIT,
            "train_by_hand": FIT_LOOP,
            "saving": saving(
                SAVE_BOTH, '    return keras.models.load_model(os.path.join(folder, "model.keras"))\n'
            ),
            "train_regularized": LEAKED_REGULARIZED,
        },
        lost={
            "test_split_validation": 1 / 2,
            "test_train_by_hand": 2 / 3,
            "test_saving": 1 / 2,
            "test_train_regularized": 1.0,
        },
        why="x and y shuffled in place; compile and fit instead of the loop by hand (the numbers fit logs are "
        "right); both files saved but the weights reloaded through load_model; the regularized model trained "
        "on the validation images too (its gap is small, its validation accuracy too high)",
        feedback="compile",
        feedback_cell="test_train_by_hand",
    ),
}


def corpus(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """Every submission of this assignment's corpus by student id."""
    return {**FAITHFUL, **WRONG}
