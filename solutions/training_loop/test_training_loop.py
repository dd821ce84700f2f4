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

import shutil
import uuid
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from autograder import datasets
from autograder.checks import CheckFailed, check, expect_close, show
from autograder.codec import Handle
from autograder.models import model_file, saved_model
from solutions.training_loop import reference
from solutions.training_loop.texts import TEXTS

FRACTIONS = st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5])


# -- part 1: split_validation --------------------------------------------------------------------
def labelled_rows(count: int) -> tuple[np.ndarray, np.ndarray]:
    """x whose first column is the sample's number; y a label that follows from it."""
    ids = np.arange(count)
    return np.stack([ids, 2 * ids + 1, -ids], axis=1).astype(np.float64), (ids * 7) % 5


def split_of(student, count: int, fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """The sample numbers of the training and validation parts, after checking the split's shape and
    that every label stayed with its sample."""
    x, y = labelled_rows(count)
    described = (
        f"split_validation(x, y, fraction={fraction}, seed={seed}) with {count} samples, x[i] = [i, 2i+1, -i]"
    )
    parts = student.call("split_validation", x, y, fraction=fraction, seed=seed).value
    try:
        (x_train, y_train), (x_val, y_val) = parts
        arrays = [np.asarray(a, dtype=np.float64) for a in (x_train, y_train, x_val, y_val)]
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
    train, val = split_of(student, count, fraction, seed)
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
    pytest.param(64, 5, 4, 16, 2, None, id="64x5-batch16-2epochs-default-lr"),
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


def history_lists(history, epochs: int, described: str) -> dict[str, list[float]]:
    ok = isinstance(history, dict) and all(
        isinstance(history.get(key), list)
        and len(history[key]) == epochs
        and all(type(value) in (int, float) for value in history[key])
        for key in ("loss", "accuracy")
    )
    if not ok:
        raise CheckFailed("history_shape", input=described, got=show(history)[:300], epochs=epochs)
    return {key: history[key] for key in ("loss", "accuracy")}


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
    expected, trained = reference.sgd_by_hand(weights, x, y, batch_size, epochs, learning_rate or 0.1)
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
@pytest.fixture
def saved_folder(student):
    """A folder name in the kernel's directory for the student's save function, removed afterwards."""
    if student.work_dir is None:
        raise CheckFailed("model_not_loadable", detail="the grader did not pass the kernel's directory")
    folder = Path(student.work_dir) / f"graded-{uuid.uuid4().hex}"
    yield folder
    if folder.is_symlink():
        folder.unlink()
    else:
        shutil.rmtree(folder, ignore_errors=True)


def set_and_save(student, folder: Path) -> list[np.ndarray]:
    """A make_model() with the grader's random weights, saved by the student's function, its weights then
    zeroed in the kernel (a reload that hands back the same object shows zeros). Returns the weights."""
    model = student.call("make_model", keep=True).value
    shapes = [np.shape(w) for w in student.call(model, method="get_weights").value]
    if shapes != reference.MODEL_SHAPES:
        raise CheckFailed("make_model_changed", got=show(shapes), expected=show(reference.MODEL_SHAPES))
    rng = np.random.default_rng(7)
    weights = [rng.normal(scale=0.2, size=shape).astype(np.float32) for shape in shapes]
    student.call(model, weights, method="set_weights")
    student.call("save_model_and_weights", model, str(folder))
    student.call(model, [np.zeros(shape, np.float32) for shape in shapes], method="set_weights")
    if folder.is_symlink() or not folder.is_dir():
        raise CheckFailed("no_folder", input=f"save_model_and_weights(model, {folder.name!r})")
    return weights


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
def test_model_keras_holds_structure_and_weights(student, saved_folder):
    weights = set_and_save(student, saved_folder)
    loaded = model_file(student, saved_folder / "model.keras").model
    expect_same_predictions(
        loaded, weights, "model.keras, loaded by the grader: its logits for 16 random images"
    )


@check(cell="test_saving", title="weights_reloaded")
def test_weights_reload_into_a_new_model(student, saved_folder):
    weights = set_and_save(student, saved_folder)
    if not (saved_folder / "model.weights.h5").is_file() or (saved_folder / "model.weights.h5").is_symlink():
        raise CheckFailed("no_weights_file", input=f"save_model_and_weights(model, {saved_folder.name!r})")
    reloaded = student.call("load_weights_into_new_model", str(saved_folder), keep=True).value
    expect_same_predictions(
        saved_model(student, reloaded).model,
        weights,
        "load_weights_into_new_model(folder), loaded by the grader: its logits for 16 random images",
    )


# -- part 4: overfitting -------------------------------------------------------------------------
def measured_gap(student, fashion, history: str, note) -> tuple[float, float]:
    """(training accuracy, validation accuracy) of ``history.model``, measured in the grader."""
    x, y = fashion
    model = saved_model(student, student.get(history, "model", keep=True)).model
    train = accuracy(model, x[: reference.SMALL_TRAIN], y[: reference.SMALL_TRAIN])
    val = accuracy(model, x[-reference.VALIDATION :], y[-reference.VALIDATION :])
    note(TEXTS.message("gap_measured", name=history, train=train, val=val, gap=train - val))
    return train, val


def validation_history(student, history: str) -> dict:
    logged = student.get(history, "history")
    ok = isinstance(logged, dict) and all(
        isinstance(logged.get(key), list)
        and logged[key]
        and all(type(v) in (int, float) for v in logged[key])
        for key in ("accuracy", "val_accuracy")
    )
    if not ok:
        keys = sorted(logged) if isinstance(logged, dict) else show(logged)[:100]
        raise CheckFailed("no_validation", input=f"{history}.history", got=keys)
    return logged


@check(cell="test_fit_with_validation", title="plain_overfits")
def test_the_plain_model_overfits_visibly(student, fashion, note):
    logged = validation_history(student, "plain_history")
    if len(logged["val_accuracy"]) != reference.PLAIN_EPOCHS:
        raise CheckFailed("plain_epochs", got=len(logged["val_accuracy"]), expected=reference.PLAIN_EPOCHS)
    train, val = measured_gap(student, fashion, "plain_history", note)
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
    counts = (
        {key: len(logged.get(key, [])) for key in ("loss", "val_loss")} if isinstance(logged, dict) else {}
    )
    if counts != {"loss": 2, "val_loss": 2}:
        raise CheckFailed(
            "epochs_ignored",
            input="fit_with_validation(make_model(), x, y, x_val, y_val, epochs=2) on 30 + 10 "
            "images of the grader's",
            got=show(counts),
            expected="{'loss': 2, 'val_loss': 2}",
        )


@check(cell="test_train_regularized", title="gap_smaller")
def test_regularization_makes_the_gap_smaller(student, fashion, note):
    logged = validation_history(student, "regularized_history")
    if len(logged["accuracy"]) > reference.PLAIN_EPOCHS:
        raise CheckFailed("too_many_epochs", got=len(logged["accuracy"]), most=reference.PLAIN_EPOCHS)
    plain_train, plain_val = measured_gap(student, fashion, "plain_history", note)
    train, val = measured_gap(student, fashion, "regularized_history", note)
    if val < reference.MIN_VAL_ACCURACY:
        raise CheckFailed("did_not_learn", got=f"{val:.3f}", expected=reference.MIN_VAL_ACCURACY)
    most = plain_train - plain_val - reference.GAP_MARGIN
    if train - val > most:
        raise CheckFailed(
            "gap_not_smaller",
            got=f"{train - val:.3f}",
            expected=f"{most:.3f}",
            plain=f"{plain_train - plain_val:.3f}",
            margin=reference.GAP_MARGIN,
        )
