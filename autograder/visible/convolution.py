"""Visible checks for the ``convolution`` assignment (可见检查).

Students run these in the notebook, under each function. They need no
reference solution: they use small examples computed by hand, check that the
border (边缘像素) is kept, that a new uint8 array of the right shape comes back
and that the input is not modified, and compare the fast (vectorized, 向量化)
convolution with the student's own loop version. When you submit, the grader
also runs more, hidden checks (隐藏检查) against a reference solution.
"""

import inspect
import textwrap
import time

import numpy as np

from autograder.static import pixel_loops
from autograder.visible.report import Shown, all_passed, failure, labelled, note, passed, show, text

# A 4x4 uint8 example. Only the 2x2 interior (内部像素) is filtered; the border is kept.
IMAGE_4X4 = np.array(
    [
        [10, 20, 30, 40],
        [50, 200, 60, 70],
        [80, 90, 250, 100],
        [110, 120, 130, 5],
    ],
    dtype=np.uint8,
)
# Not symmetric (不对称), so using kernel[r][c] at the wrong (transposed) position shows.
KERNEL_4X4 = [[0, -1, 0], [0, 1, 0], [0, 0, 1]]
# acc(x, y) = sum over r, c of image[x + c - 1, y + r - 1] * kernel[r][c]
#           = -image[x, y - 1] + image[x, y] + image[x + 1, y + 1]
# Interior pixel (1, 1): -image[1, 0] + image[1, 1] + image[2, 2] = -50 + 200 + 250 = 400 -> 255
#                (1, 2): -image[1, 1] + image[1, 2] + image[2, 3] = -200 + 60 + 100 = -40 -> 0
#                (2, 1): -image[2, 0] + image[2, 1] + image[3, 2] = -80 + 90 + 130 = 140
#                (2, 2): -image[2, 1] + image[2, 2] + image[3, 3] = -90 + 250 + 5 = 165
EXPECTED_4X4 = np.array(
    [
        [10, 20, 30, 40],
        [50, 255, 0, 70],
        [80, 140, 165, 100],
        [110, 120, 130, 5],
    ],
    dtype=np.uint8,
)
# The same example with weight 0.75 (exact in binary floating point):
# 0.75 * [400, -40, 140, 165] = [300, -30, 105, 123.75] -> clip -> [255, 0, 105, 123.75] -> [255, 0, 105, 123]
# (weight first, then clip: clipping 400 to 255 first would give 0.75 * 255 = 191.25 -> 191;
#  123.75 is truncated (截断) to 123, not rounded to 124).
EXPECTED_4X4_WEIGHT_075 = np.array(
    [
        [10, 20, 30, 40],
        [50, 255, 0, 70],
        [80, 105, 123, 100],
        [110, 120, 130, 5],
    ],
    dtype=np.uint8,
)

LAPLACIAN = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
SOBEL = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]  # Sobel operator (索贝尔算子), vertical edges
FLOAT_KERNEL = [[0.5, -1.25, 0.0], [2.0, 0.75, -0.5], [1.5, 0.0, -2.25]]

# A 4x4 pooling example and its 2x2 max pooling (最大池化) result.
POOL_4X4 = np.array(
    [
        [1, 5, 2, 0],
        [3, 4, 8, 6],
        [7, 0, 1, 1],
        [2, 9, 3, 4],
    ],
    dtype=np.uint8,
)
POOLED_4X4 = np.array([[5, 8], [9, 4]], dtype=np.uint8)


def _name(f):
    return getattr(f, "__name__", "f")


def _random_image(shape, seed):
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


def _given(call, image=None, size=None):
    """The input lines of a failure: the call, then the image it was given (random images say so)."""
    described = Shown(call) if size is None else text("conv.random_image", call=call, size=size)
    lines = [labelled("input", described)]
    if image is not None:
        lines.append(f"  image ={show(image)}")
    return lines


def _check_array(got, given, shape, dtype=np.uint8):
    """got must be a NumPy array of the given shape and dtype."""
    if not isinstance(got, np.ndarray):
        raise failure(
            "not_ndarray",
            *given,
            labelled("got", Shown(type(got).__name__)),
            labelled("expected", Shown("np.ndarray")),
        )
    if got.shape != shape or got.dtype != dtype:
        raise failure(
            "conv.wrong_shape_or_dtype",
            *given,
            labelled("got", text("conv.shape_and_dtype", shape=got.shape, dtype=got.dtype)),
            labelled("expected", text("conv.shape_and_dtype", shape=shape, dtype=np.dtype(dtype))),
        )


def _check_not_mutated(image, original, given):
    if not np.array_equal(image, original):
        raise failure("input_modified", *given, labelled("expected", text("conv.input_image_unchanged")))


def _check_convolution_example(f, weight, expected):
    image = IMAGE_4X4.copy()
    given = _given(f"{_name(f)}(image, kernel={KERNEL_4X4}, weight={weight})", IMAGE_4X4)
    got = f(image, KERNEL_4X4, weight)
    _check_array(got, given, IMAGE_4X4.shape)
    if not np.array_equal(got, expected):
        raise failure("wrong_value", *given, labelled("got", show(got)), labelled("expected", show(expected)))
    passed("conv.example_ok", weight=weight)


def check_convolve3x3(f):
    """Visible checks for convolve3x3(image, kernel, weight=1.0)."""
    _check_convolution_example(f, 1, EXPECTED_4X4)
    _check_convolution_example(f, 0.75, EXPECTED_4X4_WEIGHT_075)

    image = _random_image((6, 7), seed=7)
    original = image.copy()
    given = _given(f"{_name(f)}(image, kernel={LAPLACIAN})", original, size="6x7")
    got = f(image, LAPLACIAN)
    _check_array(got, given, image.shape)
    passed("conv.uint8_ok")
    _check_not_mutated(image, original, given)
    passed("input_not_modified")
    border = np.ones(image.shape, dtype=bool)
    border[1:-1, 1:-1] = False
    if not np.array_equal(got[border], original[border]):
        raise failure(
            "conv.border_changed",
            *given,
            labelled("got", show(got)),
            labelled("expected", text("conv.border_expected")),
        )
    passed("conv.border_ok")

    float_image = IMAGE_4X4.astype(np.float64)
    try:
        got = f(float_image, KERNEL_4X4)
    except ValueError:
        passed("conv.value_error_ok")
    else:
        raise failure(
            "conv.no_value_error",
            *_given(f"{_name(f)}(image.astype(np.float64), kernel={KERNEL_4X4})"),
            labelled("got", show(got)),
            labelled("expected", text("conv.value_error_expected")),
        )
    all_passed()


def check_max_pool2x2(f):
    """Visible checks for max_pool2x2(image)."""
    image = POOL_4X4.copy()
    given = _given(f"{_name(f)}(image)", POOL_4X4)
    got = f(image)
    _check_array(got, given, POOLED_4X4.shape)
    if not np.array_equal(got, POOLED_4X4):
        raise failure(
            "wrong_value", *given, labelled("got", show(got)), labelled("expected", show(POOLED_4X4))
        )
    passed("conv.pool_example_ok", f"-> {POOLED_4X4.tolist()}")

    image = _random_image((5, 7), seed=5)
    original = image.copy()
    given = _given(f"{_name(f)}(image)", original, size="5x7")
    got = f(image)
    _check_array(got, given, (2, 3))
    passed("conv.pool_shape_ok")
    _check_not_mutated(image, original, given)
    passed("input_not_modified")
    all_passed()


def _first_difference(got, expected):
    where = tuple(int(i) for i in np.argwhere(got != expected)[0])
    return f"  {text('conv.first_difference', where=where, got=got[where], expected=expected[where])}"


def _check_no_pixel_loops(f):
    """The rule the hidden no_pixel_loops check applies to the function's source (section 3's list)."""
    source = textwrap.dedent(inspect.getsource(f))
    # The notebook's own integer names (K = 3) count as fixed, as the hidden check reads them from the cells.
    constants = {name: value for name, value in f.__globals__.items() if type(value) is int}
    findings = pixel_loops(
        source,
        forbidden_calls=("convolve3x3", "vectorize", "frompyfunc", "apply_along_axis"),
        known_shapes={1: (3, 3)},
        constants=constants,
    )
    if findings:
        first = findings[0]
        if first.kind == "call":
            where = text("conv.uses_call", name=_name(f), line=first.line, callee=first.callee)
        else:
            where = text("conv.pixel_loop", name=_name(f), line=first.line)
        raise failure(
            "conv.not_allowed",
            f"  {where}:",
            f"    {first.code}",
            labelled("expected", text("conv.allowed_loops")),
        )
    passed("conv.no_pixel_loops_ok")


def check_convolve3x3_fast(f, slow):
    """Visible checks for convolve3x3_fast(image, kernel, weight=1.0).

    slow is the student's own convolve3x3; the two must agree exactly.
    """
    image = _random_image((32, 40), seed=2024)
    original = image.copy()
    for kernel, weight in ((SOBEL, 1), (FLOAT_KERNEL, 0.1)):
        given = _given(f"{_name(f)}(image, kernel={kernel}, weight={weight})", size="32x40")
        expected = slow(image.copy(), kernel, weight)
        got = f(image, kernel, weight)
        _check_not_mutated(image, original, given)
        _check_array(got, given, image.shape)
        if not np.array_equal(got, expected):
            raise failure(
                "conv.disagrees",
                *given,
                labelled("got", show(got)),
                labelled("expected", show(expected), f" ({_name(slow)})"),
                _first_difference(got, expected),
                slow=_name(slow),
            )
        passed("conv.same_result", f"kernel={kernel}, weight={weight}", slow=_name(slow))
    passed("input_not_modified")
    _check_no_pixel_loops(f)

    start = time.perf_counter()
    slow(image, SOBEL, 1)
    slow_seconds = time.perf_counter() - start
    fast_seconds = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        f(image, SOBEL, 1)
        fast_seconds = min(fast_seconds, time.perf_counter() - start)
    ratio = slow_seconds / max(fast_seconds, 1e-9)
    note(
        "conv.speed",
        fast=_name(f),
        slow=_name(slow),
        ratio=ratio,
        fast_ms=fast_seconds * 1e3,
        slow_ms=slow_seconds * 1e3,
    )
    all_passed()
