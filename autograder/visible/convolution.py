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
from autograder.visible.report import all_passed, passed, show

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


def _check_array(got, call, shape, dtype=np.uint8):
    """got must be a NumPy array of the given shape and dtype."""
    if not isinstance(got, np.ndarray):
        raise AssertionError(  # noqa: TRY004 (a failed check is an AssertionError)
            f"返回值不是 NumPy 数组 / the result is not a NumPy array:\n  input  输入: {call}\n"
            f"  got    得到: {type(got).__name__}\n  expected 期望: np.ndarray"
        )
    if got.shape != shape or got.dtype != dtype:
        raise AssertionError(
            f"形状或类型不对 / wrong shape or dtype:\n  input  输入: {call}\n"
            f"  got    得到: shape {got.shape}, dtype {got.dtype}\n"
            f"  expected 期望: shape {shape}, dtype {np.dtype(dtype)}"
        )


def _check_not_mutated(image, original, call):
    if not np.array_equal(image, original):
        raise AssertionError(
            f"输入被修改了 / the input was modified:\n  input  输入: {call}\n"
            f"  expected 期望: the input image unchanged (不要修改输入; work on a copy 副本)"
        )


def _check_convolution_example(f, weight, expected):
    image = IMAGE_4X4.copy()
    call = f"{_name(f)}(image, kernel={KERNEL_4X4}, weight={weight}) with image ={show(IMAGE_4X4)}"
    got = f(image, KERNEL_4X4, weight)
    _check_array(got, call, IMAGE_4X4.shape)
    if not np.array_equal(got, expected):
        raise AssertionError(
            f"值不对 / wrong value:\n  input  输入: {call}\n"
            f"  got    得到: {show(got)}\n  expected 期望: {show(expected)}"
        )
    passed(
        f"4x4 example with a non-symmetric kernel, weight {weight}, values clipped to 0 and 255 / 手算示例正确"
    )


def check_convolve3x3(f):
    """Visible checks for convolve3x3(image, kernel, weight=1.0)."""
    _check_convolution_example(f, 1, EXPECTED_4X4)
    _check_convolution_example(f, 0.75, EXPECTED_4X4_WEIGHT_075)

    image = _random_image((6, 7), seed=7)
    original = image.copy()
    call = f"{_name(f)}(image, kernel={LAPLACIAN}) with a random 6x7 uint8 image ={show(original)}"
    got = f(image, LAPLACIAN)
    _check_array(got, call, image.shape)
    passed("returns a uint8 array of the input's shape / 返回相同形状的 uint8 数组")
    _check_not_mutated(image, original, call)
    passed("input not modified / 输入未被修改")
    border = np.ones(image.shape, dtype=bool)
    border[1:-1, 1:-1] = False
    if not np.array_equal(got[border], original[border]):
        raise AssertionError(
            f"边缘像素被改变了 / the border pixels changed:\n  input  输入: {call}\n"
            f"  got    得到: {show(got)}\n"
            f"  expected 期望: first/last row and column equal to the input's (边缘保持输入的值)"
        )
    passed("border pixels keep the input's values / 边缘像素保持不变")

    float_image = IMAGE_4X4.astype(np.float64)
    try:
        got = f(float_image, KERNEL_4X4)
    except ValueError:
        passed("ValueError for a float64 image / float64 图像引发 ValueError")
    else:
        raise AssertionError(
            f"没有引发 ValueError / no ValueError raised:\n"
            f"  input  输入: {_name(f)}(image.astype(np.float64), kernel={KERNEL_4X4})\n"
            f"  got    得到: {show(got)}\n"
            f"  expected 期望: ValueError (the image must be uint8 / 图像必须是 uint8)"
        )
    all_passed()


def check_max_pool2x2(f):
    """Visible checks for max_pool2x2(image)."""
    image = POOL_4X4.copy()
    call = f"{_name(f)}(image) with image ={show(POOL_4X4)}"
    got = f(image)
    _check_array(got, call, POOLED_4X4.shape)
    if not np.array_equal(got, POOLED_4X4):
        raise AssertionError(
            f"值不对 / wrong value:\n  input  输入: {call}\n"
            f"  got    得到: {show(got)}\n  expected 期望: {show(POOLED_4X4)}"
        )
    passed(f"4x4 example -> {POOLED_4X4.tolist()} / 手算示例正确")

    image = _random_image((5, 7), seed=5)
    original = image.copy()
    call = f"{_name(f)}(image) with a random 5x7 uint8 image ={show(original)}"
    got = f(image)
    _check_array(got, call, (2, 3))
    passed("5x7 image -> shape (2, 3), dtype uint8 (odd last row/column dropped) / 形状正确")
    _check_not_mutated(image, original, call)
    passed("input not modified / 输入未被修改")
    all_passed()


def _first_difference(got, expected):
    where = tuple(int(i) for i in np.argwhere(got != expected)[0])
    return f"first difference 第一个不同的像素 at {where}: got {got[where]}, expected {expected[where]}"


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
        what = (
            f"uses `{first.callee}`"
            if first.kind == "call"
            else "has a loop over pixels (or one whose number of steps the code does not fix)"
        )
        raise AssertionError(
            f"源代码中有不允许的循环或调用 / not allowed in the source:\n"
            f"  line {first.line} of {_name(f)} {what}: {first.code}\n"
            f"  expected 期望: only loops over the nine kernel taps, no use of convolve3x3 (see section 3)"
        )
    passed("no loop over pixels and no use of convolve3x3 in its source / 源代码中没有遍历像素的循环")


def check_convolve3x3_fast(f, slow):
    """Visible checks for convolve3x3_fast(image, kernel, weight=1.0).

    slow is the student's own convolve3x3; the two must agree exactly.
    """
    image = _random_image((32, 40), seed=2024)
    original = image.copy()
    for kernel, weight in ((SOBEL, 1), (FLOAT_KERNEL, 0.1)):
        call = f"{_name(f)}(image, kernel={kernel}, weight={weight}) with a random 32x40 uint8 image"
        expected = slow(image.copy(), kernel, weight)
        got = f(image, kernel, weight)
        _check_not_mutated(image, original, call)
        _check_array(got, call, image.shape)
        if not np.array_equal(got, expected):
            raise AssertionError(
                f"与 {_name(slow)} 的结果不一致 / disagrees with {_name(slow)}:\n  input  输入: {call}\n"
                f"  got    得到: {show(got)}\n  expected 期望 ({_name(slow)}): {show(expected)}\n"
                f"  {_first_difference(got, expected)}"
            )
        passed(f"same result as {_name(slow)} for kernel {kernel}, weight {weight} / 结果完全一致")
    passed("input not modified / 输入未被修改")
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
    print(
        f"  ⏱ {_name(f)} is {ratio:.1f}x faster than {_name(slow)} on this 32x40 image "
        f"({fast_seconds * 1e3:.3f} ms vs {slow_seconds * 1e3:.1f} ms; information only, not graded / 仅供参考，不计分)"
    )
    all_passed()
