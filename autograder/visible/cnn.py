"""Visible checks for the ``cnn`` assignment (可见检查).

Students run these in the notebook. They use small hand-made images, the model's own
summary numbers and its predictions on the test images, never the reference solution. The
hidden checks (隐藏检查) load the model in the grader and measure it there.
"""

import warnings

import numpy as np

from autograder.visible.report import all_passed, fail, note, passed, setting_name, text

MAX_PARAMETERS = 500_000
TIERS = (0.88, 0.90, 0.91)  # the accuracy tiers the notebook states


def check_preprocess(preprocess):
    """Visible checks for preprocess(images)."""
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    images[0, 0, 0], images[1, 27, 27] = 255, 51
    original = images.copy()
    got = preprocess(images)
    if not isinstance(got, np.ndarray):
        fail("not_ndarray", type(got).__name__, "np.ndarray")
    if got.shape != (2, 28, 28, 1):
        fail("cnn.shape", got.shape, (2, 28, 28, 1))
    if got.dtype != np.float32:
        fail("cnn.dtype", str(got.dtype), "float32")
    passed("cnn.shape_ok")
    if not (np.isclose(got[0, 0, 0, 0], 1.0) and np.isclose(got[1, 27, 27, 0], 0.2) and got.max() <= 1.0):
        fail("cnn.scaling", (float(got[0, 0, 0, 0]), float(got[1, 27, 27, 0])), (1.0, 0.2))
    passed("cnn.scaling_ok")
    if images.shape != original.shape or not np.array_equal(images, original):
        fail("cnn.images_changed", images.shape, original.shape)
    passed("cnn.images_unchanged")
    all_passed()


def check_build_cnn(build_cnn):
    """Visible checks for build_cnn()."""
    import keras

    # Keras warns about the older input_shape= argument; a graded cell must write nothing to stderr.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = build_cnn()
    if not isinstance(model, keras.Model):
        fail("not_a_model", type(model).__name__, "Sequential", name="build_cnn()")
    kinds = [type(layer).__name__ for layer in model.layers if type(layer).__name__ != "InputLayer"]
    for needed in ("Conv2D", "MaxPooling2D", "Flatten"):
        if needed not in kinds:
            fail("cnn.missing_layer", kinds, needed, layer=needed)
    if tuple(model.input_shape) != (None, 28, 28, 1) or tuple(model.output_shape) != (None, 10):
        fail("cnn.in_out_shapes", (model.input_shape, model.output_shape), ((None, 28, 28, 1), (None, 10)))
    passed("cnn.layers_ok", f"{', '.join(kinds)}; (28, 28, 1) -> (10,)")
    probabilities = np.asarray(model(np.zeros((2, 28, 28, 1), dtype="float32")))
    if probabilities.min() < 0 or not np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5):
        fail("cnn.softmax", np.round(probabilities[0], 4).tolist(), text("cnn.probabilities"))
    passed("cnn.softmax_ok")
    if model.count_params() > MAX_PARAMETERS:
        fail("cnn.over_budget", model.count_params(), f"≤ {MAX_PARAMETERS:,}")
    passed("cnn.budget_ok", count=model.count_params(), budget=MAX_PARAMETERS)
    if not model.compiled:
        fail("cnn.not_compiled", False, True)
    loss = setting_name(getattr(model, "loss", None))
    if loss != "sparsecategoricalcrossentropy":
        fail("cnn.loss", getattr(model, "loss", None), "sparse_categorical_crossentropy")
    passed("cnn.compiled_ok")
    all_passed()


def check_training(model, x_test, y_test):
    """Visible checks for the trained model (the grader measures the same accuracy itself)."""
    probabilities = np.asarray(model.predict(x_test, verbose=0))
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y_test))
    tiers = ", ".join(f"{tier:.2f}" for tier in TIERS)
    note("cnn.test_accuracy", accuracy=accuracy, tiers=tiers)
    if accuracy < TIERS[0]:
        fail("cnn.below_first_tier", round(accuracy, 4), f"≥ {TIERS[0]}")
    reached = ", ".join(f"{tier:.2f}" for tier in TIERS if accuracy >= tier)
    passed("cnn.tiers_reached", f"{accuracy:.4f} ≥ {TIERS[0]:.2f}; {reached}")
    all_passed()
