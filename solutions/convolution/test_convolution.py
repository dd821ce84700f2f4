"""Hidden checks for the ``convolution`` assignment.

``convolve3x3`` (4 points): matches the reference; its interior agrees with
``scipy.signal.correlate2d`` on the transposed kernel (an independent oracle); it does not
change its input; it rejects invalid input with ValueError. ``max_pool2x2`` (2 points):
values on odd and even sizes; no mutation. ``convolve3x3_fast`` (2 points): matches the
reference; no Python loop over pixels and no call to ``convolve3x3`` (decided from its
source, so the grade is deterministic); its speed-up on the ascent image is reported as
information only. Every check also needs correct values, so a stub earns nothing.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import signal

from autograder.checks import CheckFailed, check, expect_raises, expect_unchanged, show
from autograder.static import definitions, module_constants, pixel_loops
from solutions.convolution import reference
from solutions.convolution.texts import TEXTS

SEED_FILTERS = [
    [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
]
IMAGES = hnp.arrays(
    np.uint8,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=3, max_side=64),
    elements=st.integers(0, 255),
)
KERNELS = st.one_of(
    st.sampled_from(SEED_FILTERS),
    hnp.arrays(np.int64, (3, 3), elements=st.integers(-4, 4)).map(np.ndarray.tolist),
    hnp.arrays(np.float64, (3, 3), elements=st.floats(-2, 2, width=32)),
)
WEIGHTS = st.sampled_from([0.0, 0.1, 1.0, 2.5])
CORNERS = np.array([[0, 255, 0, 255], [255, 0, 255, 0], [0, 255, 255, 0], [255, 0, 0, 255]], dtype=np.uint8)
ASYMMETRIC = [[0, -1, 0], [0, 1, 0], [0, 0, 1]]
# A float kernel whose interior sums on SAMPLE have fractions (117.5, 50, 80, 163.75): that values are
# truncated, not rounded, is then checked whether or not hypothesis happens to draw a float kernel.
FRACTIONAL = [[0.5, 0.0, 0.0], [0.0, 0.25, 0.0], [0.0, 0.0, 0.25]]
# Not symmetric either (CORNERS is), so a transposed kernel shows on it; interior sums 400, -40, 140, 165.
SAMPLE = np.array(
    [[10, 20, 30, 40], [50, 200, 60, 70], [80, 90, 250, 100], [110, 120, 130, 5]], dtype=np.uint8
)


def accumulate(image: np.ndarray, kernel) -> np.ndarray:
    """weight-free interior sums in the reference's order (for r, then c) in float64."""
    k = np.asarray(kernel, dtype=np.float64)
    h, w = image.shape
    acc = np.zeros((h - 2, w - 2))
    for r in range(3):
        for c in range(3):
            acc += image[c : h - 2 + c, r : w - 2 + r].astype(np.float64) * k[r, c]
    return acc


def expect_image(got, image: np.ndarray, interior: np.ndarray, dtype_graded: bool = False) -> None:
    """``got`` is ``image`` with its interior replaced by clip-and-truncate of ``interior``.

    A value within 1e-9 of an integer may truncate either way: float sums in another
    order can land on either side of it. With ``dtype_graded`` it must also be uint8, as the
    notebook asks (graded once, by ``matches_reference``).
    """
    if not isinstance(got, np.ndarray):
        raise CheckFailed("wrong_type", input=image, got=show(got))
    if got.shape != image.shape:
        raise CheckFailed("wrong_shape", input=image, got=got.shape, expected=image.shape)
    if dtype_graded and got.dtype != np.uint8:
        raise CheckFailed("wrong_dtype", input=image, got=str(got.dtype), expected="uint8")
    margin = 1e-9 * np.maximum(1.0, np.abs(interior))
    low = np.clip(interior - margin, 0, 255).astype(np.uint8)
    high = np.clip(interior + margin, 0, 255).astype(np.uint8)
    inner = got[1:-1, 1:-1].astype(np.int64)
    wrong_inner = (inner != low) & (inner != high)
    wrong = np.zeros(image.shape, dtype=bool)
    wrong[1:-1, 1:-1] = wrong_inner
    border = np.ones(image.shape, dtype=bool)
    border[1:-1, 1:-1] = False
    wrong |= border & (got.astype(np.int64) != image)
    if not wrong.any():
        return
    x, y = (int(i) for i in np.argwhere(wrong)[0])
    expected = image[x, y] if border[x, y] else int(low[x - 1, y - 1])
    neighbourhood = image[max(x - 1, 0) : x + 2, max(y - 1, 0) : y + 2].tolist()
    raise CheckFailed(
        "pixel_differs", input=image, x=x, y=y, got=int(got[x, y]), expected=int(expected),
        neighbourhood=neighbourhood,
    )  # fmt: skip


def reference_interior(image: np.ndarray, kernel, weight: float) -> np.ndarray:
    return weight * accumulate(image, kernel)


# -- convolve3x3 ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["convolve3x3", "convolve3x3_fast"])
@check(cell="test_{name}", title="matches_reference")
@given(image=IMAGES, kernel=KERNELS, weight=WEIGHTS)
@example(image=CORNERS, kernel=ASYMMETRIC, weight=1.0)
@example(image=CORNERS, kernel=SEED_FILTERS[1], weight=0.1)
def test_matches_reference(student, name, image, kernel, weight):
    got = student.call(name, image, kernel, weight).value
    expected = reference.convolve3x3(image, kernel, weight)
    if isinstance(got, np.ndarray) and got.dtype == expected.dtype and np.array_equal(got, expected):
        return
    expect_image(got, image, reference_interior(image, kernel, weight), dtype_graded=True)


@check(cell="test_convolve3x3", title="agrees_with_correlate2d")
@given(image=IMAGES, kernel=KERNELS, weight=WEIGHTS)
@example(image=CORNERS, kernel=ASYMMETRIC, weight=2.5)
def test_interior_agrees_with_scipy(student, image, kernel, weight):
    got = student.call("convolve3x3", image, kernel, weight).value
    transposed = np.asarray(kernel, dtype=np.float64).T
    expect_image(got, image, weight * signal.correlate2d(image.astype(np.float64), transposed, mode="valid"))


@check(cell="test_convolve3x3", title="no_mutation")
@given(image=IMAGES, kernel=KERNELS)
@example(image=CORNERS, kernel=SEED_FILTERS[0])
@example(image=SAMPLE, kernel=FRACTIONAL)  # its values are checked too, on sums that are not whole
def test_convolve_does_not_mutate(student, image, kernel):
    returned = student.call("convolve3x3", image, kernel, 1.0, return_args=True)
    expect_unchanged(image, returned.args_after[0])
    expect_image(returned.value, image, reference_interior(image, kernel, 1.0))


BAD_INPUTS = [
    (np.zeros((5, 5), dtype=np.float64), SEED_FILTERS[0]),
    (np.zeros((5, 5), dtype=np.int32), SEED_FILTERS[0]),
    (np.zeros((5, 5, 3), dtype=np.uint8), SEED_FILTERS[0]),
    (np.zeros((2, 5), dtype=np.uint8), SEED_FILTERS[0]),
    (np.zeros((5, 5), dtype=np.uint8), [[1, 2], [3, 4]]),
]


@check(cell="test_convolve3x3", title="rejects_bad_input")
def test_rejects_bad_input(student):
    for image, kernel in BAD_INPUTS:
        detail = expect_raises(lambda: student.call("convolve3x3", image, kernel), "ValueError", input=image)  # noqa: B023
        if ":" not in detail:
            raise CheckFailed("wrong_error", input=image, expected="ValueError with a message", got=detail)
    got = student.call("convolve3x3", SAMPLE, ASYMMETRIC).value
    expect_image(got, SAMPLE, reference_interior(SAMPLE, ASYMMETRIC, 1.0))


# -- max_pool2x2 ------------------------------------------------------------------------------
POOL_IMAGES = hnp.arrays(
    st.sampled_from([np.uint8, np.int32, np.float64]),
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=64),
    elements=st.integers(0, 255),
)


def expect_pooled(got, image: np.ndarray, dtype_graded: bool = False) -> None:
    """``got`` is the 2×2 max pooling of ``image``; with ``dtype_graded`` in the input's dtype too."""
    expected = reference.max_pool2x2(image)
    if not isinstance(got, np.ndarray):
        raise CheckFailed("wrong_type", input=image, got=show(got))
    if got.shape != expected.shape:
        raise CheckFailed("wrong_shape", input=image, got=got.shape, expected=expected.shape)
    if dtype_graded and got.dtype != image.dtype:
        raise CheckFailed("wrong_dtype", input=image, got=str(got.dtype), expected=str(image.dtype))
    wrong = np.argwhere(got != expected)
    if len(wrong):
        i, j = (int(v) for v in wrong[0])
        raise CheckFailed(
            "pool_differs", input=image, x=i, y=j, got=got[i, j].item(), expected=expected[i, j].item(),
            block=image[2 * i : 2 * i + 2, 2 * j : 2 * j + 2].tolist(),
        )  # fmt: skip


@check(cell="test_max_pool2x2", title="pool_values")
@given(image=POOL_IMAGES)
@example(image=np.arange(25, dtype=np.uint8).reshape(5, 5))
@example(image=np.arange(24, dtype=np.uint8).reshape(4, 6))
def test_pool_values(student, image):
    expect_pooled(student.call("max_pool2x2", image).value, image, dtype_graded=True)


@check(cell="test_max_pool2x2", title="no_mutation")
@given(image=POOL_IMAGES)
def test_pool_does_not_mutate(student, image):
    returned = student.call("max_pool2x2", image, return_args=True)
    expect_unchanged(image, returned.args_after[0])
    expect_pooled(returned.value, image)


# -- convolve3x3_fast -------------------------------------------------------------------------
# The slow version, and NumPy's per-element Python loops in disguise.
FORBIDDEN_IN_FAST = ("convolve3x3", "vectorize", "frompyfunc", "apply_along_axis")


@check(cell="test_convolve3x3_fast", title="no_pixel_loops")
def test_fast_has_no_pixel_loops(student, submitted_code):
    """Decided from the notebook's own definitions (the kernel could report any source) and from the
    source the kernel reports, so neither a fake source nor a later redefinition slips through.

    Nothing a call returns can tell a pixel loop from slicing (timing would depend on the machine),
    so this one reads code, and accepts every spelling of a loop over the nine taps whose count the
    code fixes: ``range(3)``, ``(-1, 0, 1)``, ``range(kernel.shape[0])`` (the kernel is 3×3),
    ``itertools.product(range(3), repeat=2)``, ``np.ndindex(3, 3)``, the notebook's ``K = 3``, any
    module alias.
    """
    written = definitions(submitted_code, "convolve3x3_fast")
    if not written:
        raise CheckFailed("not_defined_in_notebook", name="convolve3x3_fast")
    constants = module_constants(submitted_code)
    for source in [*written, student.source("convolve3x3_fast")]:
        findings = pixel_loops(
            source, forbidden_calls=FORBIDDEN_IN_FAST, known_shapes={1: (3, 3)}, constants=constants
        )
        for finding in findings:
            if finding.kind == "call":
                raise CheckFailed("calls_slow_version", line=finding.line, callee=finding.callee)
            raise CheckFailed("pixel_loop", line=finding.line, code=finding.code)
    got = student.call("convolve3x3_fast", SAMPLE, ASYMMETRIC, 0.75).value
    expect_image(got, SAMPLE, reference_interior(SAMPLE, ASYMMETRIC, 0.75))


@check(cell="test_convolve3x3_fast", weight=0, title="speedup")
def test_speedup_on_ascent(student, note):
    """Information only: runs last, as the loop version takes seconds on 512×512."""
    from scipy import datasets

    ascent = datasets.ascent().astype(np.uint8)
    slow = student.call("convolve3x3", ascent, SEED_FILTERS[1])
    fast = student.call("convolve3x3_fast", ascent, SEED_FILTERS[1])
    ratio = slow.seconds / max(fast.seconds, 1e-6)
    note(TEXTS.message("speedup", fast=fast.seconds, slow=slow.seconds, ratio=ratio))
