"""Hidden checks for ``training_loop``.

Part 1 calls ``split_validation`` on arrays whose rows say which sample they are, so the split can be
checked without knowing the student's random generator. Part 2 builds a small softmax classifier and a
``tf.data`` pipeline in the kernel with weights and data of the grader's own, runs the student's loop,
and compares every epoch's numbers and the trained weights with plain SGD computed in NumPy
(``reference.sgd_by_hand``). Part 3 has the student's functions save a model whose weights the grader set,
then loads ``model.keras`` and the reloaded model in the confined model process and compares their
predictions with the grader's own forward pass. Part 4 loads the two trained models and measures their
accuracy on the notebook's images in the grader: a History is the kernel's word, the gap is measured.
"""

from __future__ import annotations

import os
import shutil
import stat
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from autograder import codec, datasets
from autograder.checks import CheckFailed, check, expect_close, show
from autograder.codec import Handle
from autograder.models import MAX_MODEL_BYTES, model_file, saved_model
from autograder.student import Missing, Raised
from solutions.training_loop import reference
from solutions.training_loop.texts import TEXTS

FRACTIONS = st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5])


# -- part 1: split_validation --------------------------------------------------------------------
def labelled_rows(count: int) -> tuple[np.ndarray, np.ndarray]:
    """x whose first column is the sample's number; y a label that follows from it."""
    ids = np.arange(count)
    return np.stack([ids, 2 * ids + 1, -ids], axis=1).astype(np.float64), (ids * 7) % 5


def plain(value):
    """A returned tensor as its values (``tf.gather`` instead of indexing is faithful too)."""
    return value.value if isinstance(value, codec.Tensor) else value


def split_of(
    student, count: int, fraction: float, seed: int, unchanged: bool = False
) -> tuple[list[int], list[int]]:
    """The sample numbers of the training and validation parts, after checking the split's shape and
    that every label stayed with its sample; with ``unchanged``, first that x and y are left as they were
    (a caller's arrays shuffled in place: one check's share, not every check's)."""
    x, y = labelled_rows(count)
    described = (
        f"split_validation(x, y, fraction={fraction}, seed={seed}) with {count} samples, x[i] = [i, 2i+1, -i]"
    )
    returned = student.call("split_validation", x, y, fraction=fraction, seed=seed, return_args=unchanged)
    for name, before, after in zip("xy", (x, y), returned.args_after if unchanged else ()):
        if np.shape(after) != before.shape or not np.array_equal(after, before):
            raise CheckFailed("split_mutated", input=described, array=name)
    parts = returned.value
    try:
        (x_train, y_train), (x_val, y_val) = parts
        arrays = [np.asarray(plain(a), dtype=np.float64) for a in (x_train, y_train, x_val, y_val)]
    except (TypeError, ValueError):
        raise CheckFailed("split_shape", input=described, got=show(parts)[:200]) from None
    for part_x, part_y in (arrays[:2], arrays[2:]):
        if part_x.ndim != 2 or part_x.shape[1:] != (3,) or len(part_y) != len(part_x):
            raise CheckFailed("split_shape", input=described, got=show(parts)[:200])
        ids = part_x[:, 0].astype(int)
        if not np.array_equal(
            part_x, labelled_rows(count)[0][np.clip(ids, 0, count - 1)]
        ) or not np.array_equal(part_y, (ids * 7) % 5):
            raise CheckFailed("pairs_broken", input=described)
    return arrays[0][:, 0].astype(int).tolist(), arrays[2][:, 0].astype(int).tolist()


@check(cell="test_split_validation", title="split_sizes")
@given(count=st.integers(1, 120), fraction=FRACTIONS, seed=st.integers(0, 2**16))
@example(count=10, fraction=0.3, seed=0)
def test_every_sample_in_exactly_one_part(student, count, fraction, seed):
    train, val = split_of(student, count, fraction, seed, unchanged=True)
    described = f"split_validation(x, y, fraction={fraction}, seed={seed}) with {count} samples"
    sizes = {int(fraction * count), round(fraction * count)}  # the notes' int(), or round(): both faithful
    if len(val) not in sizes:
        raise CheckFailed("val_size", input=described, got=len(val), expected=int(fraction * count))
    if sorted(train + val) != list(range(count)):
        both = sorted(set(train) & set(val))
        if both:
            raise CheckFailed("leaks", input=described, samples=show(both[:10]))
        raise CheckFailed("lost_samples", input=described, got=len(set(train + val)), expected=count)


@check(cell="test_split_validation", title="split_seeded")
@given(seed=st.integers(0, 2**16))
@example(seed=0)
def test_the_same_seed_gives_the_same_shuffled_split(student, seed):
    count, fraction = 100, 0.3
    described = f"split_validation(x, y, fraction=0.3, seed={seed}) with 100 samples, called twice"
    first, again = split_of(student, count, fraction, seed)[1], split_of(student, count, fraction, seed)[1]
    if first != again:
        raise CheckFailed("not_seeded", input=described, got=show(again[:8]), expected=show(first[:8]))
    if sorted(first) in (list(range(30)), list(range(70, 100))):
        raise CheckFailed("not_shuffled", input=described, got=show(first[:8]))
    other = split_of(student, count, fraction, seed + 1)[1]
    if other == first:
        raise CheckFailed("seed_ignored", input=f"seed={seed} and seed={seed + 1}", got=show(first[:8]))


# -- part 2: train_by_hand -----------------------------------------------------------------------
CASES = [  # (samples, features, classes, batch size, epochs, learning rate or None for the default)
    pytest.param(48, 4, 3, 8, 3, 0.5, id="48x4-batch8-3epochs-lr0.5"),
    pytest.param(50, 5, 4, 16, 2, None, id="50x5-batch16-last-batch-of-2-2epochs-default-lr"),
]


def grader_problem(
    samples: int, features: int, classes: int
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Data a softmax classifier learns within a few epochs, and starting weights that classify it badly."""
    rng = np.random.default_rng(samples * 31 + features)
    centres = rng.normal(scale=2.0, size=(classes, features))
    y = np.arange(samples) % classes
    x = (centres[y] + rng.normal(size=(samples, features))).astype(np.float32)
    weights = [rng.normal(size=(features, classes)).astype(np.float32), np.zeros(classes, np.float32)]
    return x, y.astype(np.int64), weights


def classifier_in_kernel(student, weights: list[np.ndarray]) -> Handle:
    """``keras.Sequential([keras.Input((features,)), keras.layers.Dense(classes)])`` with ``weights``."""
    features, classes = weights[0].shape
    inputs = student.call("keras", (features,), method="Input", keep=True).value
    dense = student.call("keras", classes, method="layers.Dense", keep=True).value
    model = student.call("keras", [inputs, dense], method="Sequential", keep=True).value
    student.call(model, weights, method="set_weights")
    return model


def as_number(value) -> float | None:
    """A logged number as a float: a Python or NumPy number, or a 0-d tensor (``result()`` or
    ``result().numpy()`` kept as it is); anything else is None."""
    value = plain(value)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return float(value)
    return None


def history_lists(history, epochs: int, described: str) -> dict[str, list[float]]:
    """The history's two lists as floats, or CheckFailed naming the shape the task asks for."""
    lists = {}
    for key in ("loss", "accuracy"):
        values = history.get(key) if isinstance(history, dict) else None
        numbers = [as_number(value) for value in values] if isinstance(values, list) else []
        if len(numbers) != epochs or None in numbers:
            raise CheckFailed("history_shape", input=described, got=show(history)[:300], epochs=epochs)
        lists[key] = numbers
    return lists


@check(cell="test_train_by_hand", title="loop_matches")  # one share per case: two of three
@pytest.mark.parametrize("samples, features, classes, batch_size, epochs, learning_rate", CASES)
def test_every_epoch_and_the_trained_weights_match_sgd(
    student, samples, features, classes, batch_size, epochs, learning_rate
):
    x, y, weights = grader_problem(samples, features, classes)
    model = classifier_in_kernel(student, weights)
    dataset = student.call("tf", (x, y), method="data.Dataset.from_tensor_slices", keep=True).value
    dataset = student.call(dataset, batch_size, method="batch", keep=True).value
    rate = {} if learning_rate is None else {"learning_rate": learning_rate}
    described = (
        f"train_by_hand(model, dataset, epochs={epochs}{', learning_rate=' + str(learning_rate) if rate else ''})"
        f": the grader's Dense({classes}) on {samples} samples of {features} features, batches of {batch_size}"
    )
    got = history_lists(
        student.call("train_by_hand", model, dataset, epochs, **rate).value, epochs, described
    )
    # fit needs compile, the loop does not: best effort (a clone trained by fit is not seen)
    if student.get(model, "compiled") is True or student.get(model, "loss") is not None:
        raise CheckFailed("used_fit", input=described)
    expected, trained, weighted = reference.sgd_by_hand(
        weights, x, y, batch_size, epochs, learning_rate or 0.1
    )
    # The loss mean weighted by batch size is faithful too; epoch 1 decides (later epochs may be stale)
    if np.isclose(got["loss"][0], weighted[0], rtol=1e-3, atol=1e-4) and not np.isclose(
        got["loss"][0], expected["loss"][0], rtol=1e-3, atol=1e-4
    ):
        expected = expected | {"loss": weighted}
    close = {key: np.allclose(got[key], expected[key], rtol=1e-3, atol=1e-4) for key in got}
    if not all(close.values()):
        stale = reference.never_reset(expected)
        wrong = [key for key, ok in close.items() if not ok]
        if all(np.allclose(got[key], stale[key], rtol=1e-3, atol=1e-4) for key in wrong):
            raise CheckFailed("meters_not_reset", input=described, meters=", ".join(wrong))
        key = wrong[0]
        epoch = int(np.flatnonzero(~np.isclose(got[key], expected[key], rtol=1e-3, atol=1e-4))[0])
        raise CheckFailed(
            "epoch_differs",
            input=described,
            metric=key,
            epoch=epoch + 1,
            got=f"{got[key][epoch]:.6f}",
            expected=f"{expected[key][epoch]:.6f}",
        )
    after = student.call(model, method="get_weights").value
    if not isinstance(after, list) or len(after) != 2:
        raise CheckFailed("weights_differ", input=described, got=show(after)[:200], expected="[kernel, bias]")
    for name, got_weights, expected_weights in zip(("kernel", "bias"), after, trained):
        expect_close(
            got_weights, expected_weights, input=f"{described}: the trained {name}", rtol=1e-3, atol=1e-4
        )


@pytest.fixture(scope="module")
def fashion() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.fashion_mnist_train()
    return (x / 255.0).astype(np.float32), y


@pytest.fixture(scope="module")
def fashion_test() -> tuple[np.ndarray, np.ndarray]:
    """The 10,000 test images: no part of the notebook touches them."""
    x, y = datasets.fashion_mnist_test()
    return (x / 255.0).astype(np.float32), y


def accuracy(model, images: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.argmax(np.asarray(model.predict(images)), axis=1) == labels))


@check(cell="test_train_by_hand", title="loop_real_run")
def test_the_notebooks_model_was_trained(student, fashion, note):
    x, y = fashion
    images, labels = x[-reference.VALIDATION :], y[-reference.VALIDATION :]
    measured = accuracy(saved_model(student, "model").model, images, labels)
    note(TEXTS.message("loop_accuracy", accuracy=measured, count=len(labels)))
    if measured < reference.MIN_LOOP_ACCURACY:
        raise CheckFailed(
            "loop_untrained", got=f"{measured:.3f}", expected=f"{reference.MIN_LOOP_ACCURACY:.2f}"
        )


# -- part 3: saving and loading ------------------------------------------------------------------
WEIGHTS_FILE = "model.weights.h5"


@pytest.fixture
def new_folder(student):
    """Makes fresh folder names in the kernel's directory for the student's save function; every one is
    removed afterwards."""
    if student.work_dir is None:
        raise CheckFailed("model_not_loadable", detail="the grader did not pass the kernel's directory")
    made: list[Path] = []

    def folder() -> Path:
        made.append(Path(student.work_dir) / f"graded-{uuid.uuid4().hex}")
        return made[-1]

    yield folder
    for folder_made in made:
        if folder_made.is_symlink():
            folder_made.unlink()
        else:
            shutil.rmtree(folder_made, ignore_errors=True)


def set_and_save(student, folder: Path, seed: int) -> list[np.ndarray]:
    """A make_model() with the grader's random weights, saved by the student's function, its weights then
    zeroed in the kernel (a reload that hands back the same object shows zeros). Returns the weights."""
    model = student.call("make_model", keep=True).value
    shapes = [np.shape(w) for w in student.call(model, method="get_weights").value]
    if shapes != reference.MODEL_SHAPES:
        raise CheckFailed("make_model_changed", got=show(shapes), expected=show(reference.MODEL_SHAPES))
    rng = np.random.default_rng(seed)
    weights = [rng.normal(scale=0.2, size=shape).astype(np.float32) for shape in shapes]
    student.call(model, weights, method="set_weights")
    student.call("save_model_and_weights", model, str(folder))
    student.call(model, [np.zeros(shape, np.float32) for shape in shapes], method="set_weights")
    if folder.is_symlink() or not folder.is_dir():
        raise CheckFailed("no_folder", input="save_model_and_weights(model, folder)")
    return weights


def read_in_folder(folder: Path, name: str) -> bytes:
    """``folder/name``, a regular file within the model size cap, opened without following a link at
    either step: the kernel can swap its own files for links to the grader's."""
    directory = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=directory)
    finally:
        os.close(directory)
    with os.fdopen(descriptor, "rb") as reader:
        status = os.fstat(reader.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_nlink != 1:  # a hard link could be any file
            raise OSError(0, "not a regular file of its own")
        data = reader.read(MAX_MODEL_BYTES + 1)
    if len(data) > MAX_MODEL_BYTES:
        raise OSError(0, f"over {MAX_MODEL_BYTES} bytes")
    return data


def write_in_folder(folder: Path, name: str, data: bytes) -> None:
    """A new folder holding ``name`` alone, written without following links (the kernel could put one
    where the file or the folder goes) and never over an existing file."""
    folder.mkdir()
    directory = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        os.fchmod(directory, 0o755)  # readable by the kernel whatever the grader's umask
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        with os.fdopen(os.open(name, flags, 0o644, dir_fd=directory), "wb") as writer:
            os.fchmod(writer.fileno(), 0o644)
            writer.write(data)
    finally:
        os.close(directory)


def probe_images() -> np.ndarray:
    return np.random.default_rng(3).random((16, 28, 28), dtype=np.float32)


def expect_same_predictions(loaded, weights: list[np.ndarray], described: str) -> None:
    images = probe_images()
    expect_close(
        np.asarray(loaded(images)),
        reference.dense_relu_dense(weights, images),
        input=described,
        rtol=1e-4,
        atol=1e-4,
    )


@check(cell="test_saving", title="model_file")
def test_model_keras_holds_structure_and_weights(student, new_folder):
    folder = new_folder()
    weights = set_and_save(student, folder, seed=7)
    loaded = model_file(student, folder / "model.keras").model
    expect_same_predictions(
        loaded, weights, "model.keras, loaded by the grader: its logits for 16 random images"
    )


@check(cell="test_saving", title="weights_reloaded")
def test_weights_reload_into_a_new_model(student, new_folder):
    """Two models saved into two folders; a third folder gets only the first one's weights file, copied
    by the grader. Reloading from it must give the first model's weights: not the last model saved, and
    not through model.keras."""
    first, second, copy = new_folder(), new_folder(), new_folder()
    weights = set_and_save(student, first, seed=7)
    set_and_save(student, second, seed=8)
    try:
        data = read_in_folder(first, WEIGHTS_FILE)
    except OSError as error:
        raise CheckFailed(
            "no_weights_file", input="save_model_and_weights(model, folder)", detail=error.strerror or error
        ) from None
    try:
        write_in_folder(copy, WEIGHTS_FILE, data)
    except OSError as error:  # only a kernel that changes its directory under the grader gets here
        raise CheckFailed("folder_changed", detail=error.strerror or error) from None
    described = (
        "load_weights_into_new_model(folder) on a folder holding only the model.weights.h5 of the first of "
        "two models saved, loaded by the grader: its logits for 16 random images"
    )
    reloaded = student.call("load_weights_into_new_model", str(copy), keep=True).value
    expect_same_predictions(saved_model(student, reloaded).model, weights, described)


# -- part 4: overfitting -------------------------------------------------------------------------
def measured_gap(student, fashion, history: str, note) -> tuple[float, float, Any]:
    """(training accuracy, validation accuracy) of ``history.model``, measured in the grader, and the
    loaded model."""
    x, y = fashion
    model = saved_model(student, student.get(history, "model", keep=True)).model
    train = accuracy(model, x[: reference.SMALL_TRAIN], y[: reference.SMALL_TRAIN])
    val = accuracy(model, x[-reference.VALIDATION :], y[-reference.VALIDATION :])
    note(TEXTS.message("gap_measured", name=history, train=train, val=val, gap=train - val))
    return train, val, model


def validation_history(student, history: str) -> dict[str, list[float]]:
    """``history.history``'s accuracy and val_accuracy lists as floats."""
    logged = student.get(history, "history")
    lists = {}
    for key in ("accuracy", "val_accuracy"):
        values = logged.get(key) if isinstance(logged, dict) else None
        numbers = [as_number(value) for value in values] if isinstance(values, list) else []
        if not numbers or None in numbers:
            keys = sorted(logged) if isinstance(logged, dict) else show(logged)[:100]
            raise CheckFailed("no_validation", input=f"{history}.history", got=keys)
        lists[key] = numbers
    return lists


@check(cell="test_fit_with_validation", title="plain_overfits")
def test_the_plain_model_overfits_visibly(student, fashion, note):
    logged = validation_history(student, "plain_history")
    if len(logged["val_accuracy"]) != reference.PLAIN_EPOCHS:
        raise CheckFailed("plain_epochs", got=len(logged["val_accuracy"]), expected=reference.PLAIN_EPOCHS)
    train, val, _ = measured_gap(student, fashion, "plain_history", note)
    if abs(logged["val_accuracy"][-1] - val) > reference.HISTORY_TOLERANCE:
        raise CheckFailed(
            "validation_not_x_val", got=f"{logged['val_accuracy'][-1]:.4f}", expected=f"{val:.4f}"
        )
    if train - val < reference.MIN_PLAIN_GAP:
        raise CheckFailed("no_overfitting", got=f"{train - val:.3f}", expected=reference.MIN_PLAIN_GAP)


@check(cell="test_fit_with_validation", title="epochs_honoured")
def test_fit_with_validation_trains_the_epochs_it_is_given(student):
    x, y, _ = grader_problem(40, 4, 2)
    images = np.zeros((40, 28, 28), np.float32)
    images[:, :, :4] = x[:, None, :] / 10.0  # the grader's small problem, in make_model's input shape
    model = student.call("make_model", keep=True).value
    history = student.call(
        "fit_with_validation", model, images[:30], y[:30], images[30:], y[30:], epochs=2, keep=True
    ).value
    logged = student.get(history, "history")
    counts = {
        key: len(logged[key]) if isinstance(logged, dict) and isinstance(logged.get(key), list) else 0
        for key in ("loss", "val_loss")
    }
    if counts != {"loss": 2, "val_loss": 2}:
        raise CheckFailed(
            "epochs_ignored",
            input="fit_with_validation(make_model(), x, y, x_val, y_val, epochs=2) on 30 + 10 "
            "images of the grader's",
            got=show(counts),
            expected="{'loss': 2, 'val_loss': 2}",
        )


def plain_gap(student, fashion, note) -> float:
    """The plain model's gap as the grader measures it, or the reference's if there is no model to
    measure (that loses plain_overfits already, not this check too)."""
    try:
        train, val, _ = measured_gap(student, fashion, "plain_history", note)
    except (CheckFailed, Missing, Raised):
        return reference.PLAIN_GAP
    return train - val


@check(cell="test_train_regularized", title="gap_smaller")
def test_regularization_makes_the_gap_smaller(student, fashion, fashion_test, note):
    """The regularized model is measured like the plain one. Its gap must be below both the student's
    own plain gap and the reference's (a plain run made to overfit more cannot lower the bar); its data
    must be the notebook's: a measured validation accuracy some epoch logged, not above what 1,000
    training images give, not far above its training accuracy nor above its accuracy on the test images
    (a leak of a few hundred validation images shows there)."""
    logged = validation_history(student, "regularized_history")
    if len(logged["accuracy"]) > reference.PLAIN_EPOCHS:
        raise CheckFailed("too_many_epochs", got=len(logged["accuracy"]), most=reference.PLAIN_EPOCHS)
    plain_bar = min(plain_gap(student, fashion, note), reference.PLAIN_GAP)
    train, val, model = measured_gap(student, fashion, "regularized_history", note)
    if not any(abs(logged_val - val) <= reference.HISTORY_TOLERANCE for logged_val in logged["val_accuracy"]):
        raise CheckFailed(
            "regularized_not_x_val",
            got=", ".join(f"{value:.4f}" for value in logged["val_accuracy"][-5:]),
            expected=f"{val:.4f}",
        )
    test = accuracy(model, *fashion_test)
    if (
        val > reference.MAX_VAL_ACCURACY
        or train - val < reference.MOST_NEGATIVE_GAP
        or val - test > reference.MOST_ABOVE_TEST
    ):
        raise CheckFailed(
            "validation_trained_on",
            val=f"{val:.3f}",
            train=f"{train:.3f}",
            test=f"{test:.3f}",
            most=reference.MAX_VAL_ACCURACY,
            above=reference.MOST_ABOVE_TEST,
        )
    if val < reference.MIN_VAL_ACCURACY:
        raise CheckFailed("did_not_learn", got=f"{val:.3f}", expected=reference.MIN_VAL_ACCURACY)
    most = plain_bar - reference.GAP_MARGIN
    if train - val > most:
        raise CheckFailed(
            "gap_not_smaller",
            got=f"{train - val:.3f}",
            expected=f"{most:.3f}",
            plain=f"{plain_bar:.3f}",
            reference=reference.PLAIN_GAP,
            margin=reference.GAP_MARGIN,
        )
