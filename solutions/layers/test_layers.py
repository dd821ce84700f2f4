"""Hidden checks for the ``layers`` assignment.

Layers and models are built in the student's kernel and kept there as handles; the
checks read their weights, set weights of their own (``set_weights``), call them and
take gradients there, and compare what comes back with the NumPy reference here. The
trained MLP is judged from its weights alone: the grader runs the reference network
with them on the training images, so nothing the kernel reports about its accuracy is
used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder import datasets
from autograder.checks import CheckFailed, check, expect_close, show
from autograder.codec import Handle, Tensor
from solutions.layers import reference
from solutions.layers.texts import TEXTS

FLOAT32 = {"rtol": 1e-4, "atol": 1e-4}  # a float32 layer against the float64 reference
ACTIVATION_NAMES = st.sampled_from(reference.ACTIVATIONS)
RATES = st.sampled_from([0.1, 0.5, 2.0])


@dataclass(frozen=True)
class DenseCase:
    x: np.ndarray  # (batch, input_dim)
    w: np.ndarray  # (input_dim, units)
    b: np.ndarray  # (units,)

    @property
    def units(self) -> int:
        return self.w.shape[1]

    def described(self, activation: str | None) -> str:
        return (
            f"SimpleDense({self.units}, activation={activation!r}) with W={show(self.w)}, "
            f"b={show(self.b)}, x={show(self.x)}"
        )


@st.composite
def dense_cases(draw: st.DrawFn) -> DenseCase:
    """Inputs and weights for one layer: input_dim 1..12, units 1..8, batch 1..8, float32."""
    input_dim, units, batch = draw(st.integers(1, 12)), draw(st.integers(1, 8)), draw(st.integers(1, 8))
    x = draw(hnp.arrays(np.float32, (batch, input_dim), elements=st.floats(-3, 3, width=32)))
    w = draw(hnp.arrays(np.float32, (input_dim, units), elements=st.floats(-1, 1, width=32)))
    b = draw(hnp.arrays(np.float32, (units,), elements=st.floats(-1, 1, width=32)))
    return DenseCase(x, w, b)


# The visible checks' 2x2 example: x @ W = [[2, -1]], plus b = [[2.5, -1.5]].
HAND = DenseCase(
    np.array([[1.0, 2.0]], dtype=np.float32),
    np.array([[0.0, 1.0], [1.0, -1.0]], dtype=np.float32),
    np.array([0.5, -0.5], dtype=np.float32),
)


def arrays(value, what: str) -> list[np.ndarray]:
    """A list of tensors or variables from the kernel as arrays (a non-list is a failed check)."""
    if not isinstance(value, (list, tuple)):
        raise CheckFailed("not_numeric", input=what, got=show(value))
    out = []
    for item in value:
        item = item.value if isinstance(item, Tensor) else item
        if not isinstance(item, np.ndarray):
            raise CheckFailed("not_numeric", input=what, got=show(item))
        out.append(item)
    return out


def built_layer(student, case: DenseCase, activation: str | None, layer: Handle | None = None) -> Handle:
    """A SimpleDense built on ``case.x`` and given the case's weights by the grader."""
    if layer is None:
        layer = student.call("SimpleDense", case.units, activation=activation, keep=True).value
    student.call(layer, case.x)
    student.call(layer, [case.w, case.b], method="set_weights")
    return layer


# -- part 1: SimpleDense -----------------------------------------------------------------
@check(cell="test_SimpleDense", title="lazy_build")
@given(case=dense_cases())
@example(case=HAND)
def test_weights_are_created_by_the_first_call(student, case):
    made = f"SimpleDense({case.units})"
    layer = student.call("SimpleDense", case.units, keep=True).value
    before = arrays(student.get(layer, "weights"), f"{made}.weights")
    if before:
        raise CheckFailed("weights_before_call", input=made, got=[w.shape for w in before])
    student.call(layer, case.x)
    weights = arrays(student.get(layer, "weights"), f"{made}.weights")
    shapes = [w.shape for w in weights]
    expected = [case.w.shape, case.b.shape]
    if shapes != expected:
        raise CheckFailed(
            "weight_shapes",
            input=f"{made} called on x of shape {case.x.shape}",
            got=shapes,
            expected=expected,
        )
    w, b = weights
    if np.any(b != 0):
        raise CheckFailed("bias_not_zero", input=made, got=show(b))
    if w.size > 1 and np.all(w == w.flat[0]):
        raise CheckFailed("kernel_constant", input=made, got=show(w))


@check(cell="test_SimpleDense", title="dense_outputs")
@given(case=dense_cases(), activation=ACTIVATION_NAMES)
@example(case=HAND, activation=None)
@example(case=HAND, activation="relu")
def test_outputs_with_the_graders_weights(student, case, activation):
    layer = built_layer(student, case, activation)
    got = student.call(layer, case.x).value
    expected = reference.dense(case.x, case.w, case.b, activation)
    expect_close(got, expected, input=case.described(activation), **FLOAT32)


@check(cell="test_SimpleDense", title="weight_gradient")
@given(case=dense_cases(), activation=ACTIVATION_NAMES)
@example(case=HAND, activation="relu")
def test_gradients_reach_both_weights(student, case, activation):
    layer = built_layer(student, case, activation)
    _, gradients = student.gradient(layer, case.x, wrt="trainable_variables")
    described = case.described(activation)
    if not isinstance(gradients, list) or len(gradients) != 2 or any(g is None for g in gradients):
        got = "None" if gradients is None else [None if g is None else "a tensor" for g in gradients]
        raise CheckFailed("no_weight_gradient", input=described, got=got)
    for gradient, expected in zip(
        gradients, reference.dense_weight_gradients(case.x, case.w, case.b, activation), strict=True
    ):
        expect_close(gradient, expected, input=described, **FLOAT32)


@check(cell="test_SimpleDense", title="config_round_trip")
@given(case=dense_cases(), activation=ACTIVATION_NAMES)
@example(case=HAND, activation="tanh")
def test_config_rebuilds_an_equal_layer(student, case, activation):
    made = f"SimpleDense({case.units}, activation={activation!r})"
    layer = student.call("SimpleDense", case.units, activation=activation, keep=True).value
    config = student.call(layer, method="get_config").value
    plain = isinstance(config, dict) and isinstance(config.get("activation"), (str, dict, type(None)))
    if not plain or "activation" not in config or config.get("units") != case.units:
        raise CheckFailed("layer_config_missing", input=made, got=show(config))
    rebuilt = student.call("SimpleDense", config, method="from_config", keep=True).value
    built_layer(student, case, activation, layer=rebuilt)
    got = student.call(rebuilt, case.x).value
    expected = reference.dense(case.x, case.w, case.b, activation)
    expect_close(
        got, expected, input=f"SimpleDense.from_config({config!r}); {case.described(activation)}", **FLOAT32
    )


# -- part 2: ActivityRegularizationLayer ---------------------------------------------------------------
batches = hnp.arrays(
    np.float32,
    hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=8),
    elements=st.floats(-3, 3, width=32),
)
ONES = np.ones((2, 3), dtype=np.float32)


@check(cell="test_ActivityRegularizationLayer", title="passes_input_through")
@given(x=batches, rate=RATES)
def test_returns_its_input_unchanged(student, x, rate):
    layer = student.call("ActivityRegularizationLayer", rate=rate, keep=True).value
    expect_close(student.call(layer, x).value, x, input=x, rtol=0, atol=0)


@check(cell="test_ActivityRegularizationLayer", title="activity_loss")
@given(x=batches, rate=st.one_of(st.none(), RATES))
@example(x=ONES, rate=None)
def test_adds_rate_times_sum_as_a_loss(student, x, rate):
    made = "ActivityRegularizationLayer()" if rate is None else f"ActivityRegularizationLayer(rate={rate})"
    kwargs = {} if rate is None else {"rate": rate}
    layer = student.call("ActivityRegularizationLayer", keep=True, **kwargs).value
    student.call(layer, x)
    losses = arrays(student.get(layer, "losses"), f"{made}.losses")
    described = f"{made} called on x={show(x)}"
    if len(losses) != 1:
        raise CheckFailed("activity_losses_count", input=described, got=len(losses))
    expected = reference.activity_loss(x, reference.RATE if rate is None else rate)
    expect_close(losses[0], expected, input=described, **FLOAT32)


# -- part 3: MLP ----------------------------------------------------------------------------------------
def mlp_weights(seed: int) -> list[np.ndarray]:
    """Weights of a useful size for the MLP: each layer's outputs stay of order 1."""
    rng = np.random.default_rng(seed)
    return [
        rng.normal(0, 1 / np.sqrt(shape[0]) if len(shape) == 2 else 0.1, shape).astype(np.float32)
        for shape in reference.mlp_weight_shapes()
    ]


def images(seed: int, batch: int) -> np.ndarray:
    return np.random.default_rng(seed + 1).random((batch, reference.MLP_INPUT), dtype=np.float32)


def mlp_variables(student, model: str | Handle, what: str) -> list[np.ndarray]:
    """The model's trainable variables, which must be MLP's ten, in order."""
    variables = arrays(student.get(model, "trainable_variables"), f"{what}.trainable_variables")
    shapes = [v.shape for v in variables]
    if shapes != reference.mlp_weight_shapes():
        raise CheckFailed("mlp_variables", input=what, got=shapes, expected=reference.mlp_weight_shapes())
    return variables


# A model is big to build and to send (its first layer alone has 200,704 weights), and
# shrinking random weights teaches nothing: a few fixed cases instead of hypothesis.
MLP_CASES = [(0, 1), (1, 7), (2, 16)]  # (seed of the grader's weights and images, batch size)


@check(cell="test_MLP", title="mlp_variables")
def test_mlp_has_ten_trainable_variables(student):
    for _, batch in MLP_CASES[:2]:
        model = student.call("MLP", keep=True).value
        student.call(model, images(0, batch))
        mlp_variables(student, model, f"MLP() called on x of shape {(batch, reference.MLP_INPUT)}")


@check(cell="test_MLP", title="mlp_logits")
def test_mlp_gives_logits_of_the_reference_network(student):
    for seed, batch in MLP_CASES:
        model = student.call("MLP", keep=True).value
        x = images(seed, batch)
        student.call(model, x)
        weights = mlp_weights(seed)
        student.call(model, weights, method="set_weights")
        got = student.call(model, x).value
        described = f"MLP() with the grader's weights, on {batch} random image(s) of 784 pixels"
        expect_close(got, reference.mlp_logits(x, weights), input=described, **FLOAT32)


# -- part 4: the trained model ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def training_images() -> tuple[np.ndarray, np.ndarray]:
    """The images the notebook trains on, flattened and scaled as it does, with their labels."""
    x, y = datasets.fashion_mnist_train()
    count = reference.TRAINING_IMAGES
    return (x[:count].reshape(count, -1) / 255.0).astype(np.float32), y[:count]


@check(cell="test_train_MLP", title="mlp_learned")
def test_trained_weights_classify_the_training_images(student, training_images, note):
    """Accuracy of the reference network with the student's trained weights, computed here."""
    weights = mlp_variables(student, "model", "model")
    x, y = training_images
    accuracy = float(np.mean(reference.mlp_logits(x, weights).argmax(axis=1) == y))
    note(TEXTS.message("measured_accuracy", accuracy=accuracy, count=len(y)))
    if accuracy < reference.MIN_TRAINING_ACCURACY:
        raise CheckFailed(
            "not_learned_training", got=f"{accuracy:.3f}", expected=f"{reference.MIN_TRAINING_ACCURACY:.2f}"
        )
