"""Visible checks for the ``convolution`` assignment (可见检查).

Students run these in the notebook, under each function. They need no
reference solution: they use small examples computed by hand, check that the
border (边缘像素) is kept, that a new uint8 array of the right shape comes back
and that the input is not modified, and compare the fast (vectorized, 向量化)
convolution with the student's own loop version. When you submit, the grader
also runs more, hidden checks (隐藏检查) against a reference solution.

What the checks print, in Chinese and English, is in ``TEXTS`` below; the texts several
assignments share are in ``autograder.visible.messages``.
"""

import inspect
import textwrap
import time

import numpy as np

from autograder.static import pixel_loops
from autograder.visible.messages import Text
from autograder.visible.report import Reporter, Shown, all_passed, labelled, show

TEXTS: dict[str, Text] = {
    "input_not_modified": Text("输入未被修改", "input not modified"),
    "wrong_shape_or_dtype": Text("形状或类型不对", "wrong shape or dtype"),
    "shape_and_dtype": Text("形状 {shape}，类型 {dtype}", "shape {shape}, dtype {dtype}"),
    "input_image_unchanged": Text(
        "输入图像保持不变（请在副本上计算）", "the input image unchanged (work on a copy)"
    ),
    "random_image": Text(
        "{call}，image 是随机的 {size} uint8 图像", "{call} with a random {size} uint8 image"
    ),
    "example_ok": Text(
        "4x4 手算示例：不对称的卷积核，weight {weight}，值限制在 0 到 255 之间",
        "4x4 example with a non-symmetric kernel, weight {weight}, values clipped to 0 and 255",
    ),
    "uint8_ok": Text("返回与输入形状相同的 uint8 数组", "returns a uint8 array of the input's shape"),
    "border_changed": Text("边缘像素被改变了", "the border pixels changed"),
    "border_expected": Text(
        "第一行、最后一行、第一列和最后一列与输入相同", "first/last row and column equal to the input's"
    ),
    "border_ok": Text("边缘像素保持输入的值", "border pixels keep the input's values"),
    "value_error_ok": Text("float64 图像引发 ValueError", "ValueError for a float64 image"),
    "no_value_error": Text("没有引发 ValueError", "no ValueError raised"),
    "value_error_expected": Text("ValueError（图像必须是 uint8）", "ValueError (the image must be uint8)"),
    "pool_example_ok": Text("4x4 手算示例", "4x4 example"),
    "pool_shape_ok": Text(
        "5x7 图像 -> 形状 (2, 3)，类型 uint8（舍去多出的最后一行和一列）",
        "5x7 image -> shape (2, 3), dtype uint8 (odd last row/column dropped)",
    ),
    "first_difference": Text(
        "第一个不同的像素在 {where}：得到 {got}，期望 {expected}",
        "first difference at {where}: got {got}, expected {expected}",
    ),
    "disagrees": Text("与 {slow} 的结果不一致", "disagrees with {slow}"),
    "same_result": Text("与 {slow} 的结果完全一致", "same result as {slow}"),
    "not_allowed": Text("源代码中有不允许的循环或调用", "not allowed in the source"),
    "uses_call": Text("{name} 的第 {line} 行用了 `{callee}`", "line {line} of {name} uses `{callee}`"),
    "pixel_loop": Text(
        "{name} 的第 {line} 行有遍历像素的循环（或步数不由代码固定的循环）",
        "line {line} of {name} has a loop over pixels (or one whose number of steps the code does not fix)",
    ),
    "allowed_loops": Text(
        "只允许遍历卷积核九个位置的循环，不能用 convolve3x3（见第 3 节）",
        "only loops over the nine kernel taps, no use of convolve3x3 (see section 3)",
    ),
    "no_pixel_loops_ok": Text(
        "源代码中没有遍历像素的循环，也没有用 convolve3x3",
        "no loop over pixels and no use of convolve3x3 in its source",
    ),
    "speed": Text(
        "⏱ 在这张 32x40 图像上，{fast} 比 {slow} 快 {ratio:.1f} 倍"
        "（{fast_ms:.3f} ms 对 {slow_ms:.1f} ms；仅供参考，不计分）",
        "⏱ {fast} is {ratio:.1f}x faster than {slow} on this 32x40 image "
        "({fast_ms:.3f} ms vs {slow_ms:.1f} ms; information only, not graded)",
    ),
}
say = Reporter(TEXTS)

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
    described = Shown(call) if size is None else say.text("random_image", call=call, size=size)
    lines = [labelled("input", described)]
    if image is not None:
        lines.append(f"  image ={show(image)}")
    return lines


def _check_array(got, given, shape, dtype=np.uint8):
    """got must be a NumPy array of the given shape and dtype."""
    if not isinstance(got, np.ndarray):
        raise say.failure(
            "not_ndarray",
            *given,
            labelled("got", Shown(type(got).__name__)),
            labelled("expected", Shown("np.ndarray")),
        )
    if got.shape != shape or got.dtype != dtype:
        raise say.failure(
            "wrong_shape_or_dtype",
            *given,
            labelled("got", say.text("shape_and_dtype", shape=got.shape, dtype=got.dtype)),
            labelled("expected", say.text("shape_and_dtype", shape=shape, dtype=np.dtype(dtype))),
        )


def _check_not_mutated(image, original, given):
    if not np.array_equal(image, original):
        raise say.failure("input_modified", *given, labelled("expected", say.text("input_image_unchanged")))


def _check_convolution_example(f, weight, expected):
    image = IMAGE_4X4.copy()
    given = _given(f"{_name(f)}(image, kernel={KERNEL_4X4}, weight={weight})", IMAGE_4X4)
    got = f(image, KERNEL_4X4, weight)
    _check_array(got, given, IMAGE_4X4.shape)
    if not np.array_equal(got, expected):
        raise say.failure(
            "wrong_value", *given, labelled("got", show(got)), labelled("expected", show(expected))
        )
    say.passed("example_ok", weight=weight)


def check_convolve3x3(f):
    """Visible checks for convolve3x3(image, kernel, weight=1.0)."""
    _check_convolution_example(f, 1, EXPECTED_4X4)
    _check_convolution_example(f, 0.75, EXPECTED_4X4_WEIGHT_075)

    image = _random_image((6, 7), seed=7)
    original = image.copy()
    given = _given(f"{_name(f)}(image, kernel={LAPLACIAN})", original, size="6x7")
    got = f(image, LAPLACIAN)
    _check_array(got, given, image.shape)
    say.passed("uint8_ok")
    _check_not_mutated(image, original, given)
    say.passed("input_not_modified")
    border = np.ones(image.shape, dtype=bool)
    border[1:-1, 1:-1] = False
    if not np.array_equal(got[border], original[border]):
        raise say.failure(
            "border_changed",
            *given,
            labelled("got", show(got)),
            labelled("expected", say.text("border_expected")),
        )
    say.passed("border_ok")

    float_image = IMAGE_4X4.astype(np.float64)
    try:
        got = f(float_image, KERNEL_4X4)
    except ValueError:
        say.passed("value_error_ok")
    else:
        raise say.failure(
            "no_value_error",
            *_given(f"{_name(f)}(image.astype(np.float64), kernel={KERNEL_4X4})"),
            labelled("got", show(got)),
            labelled("expected", say.text("value_error_expected")),
        )
    all_passed()


def check_max_pool2x2(f):
    """Visible checks for max_pool2x2(image)."""
    image = POOL_4X4.copy()
    given = _given(f"{_name(f)}(image)", POOL_4X4)
    got = f(image)
    _check_array(got, given, POOLED_4X4.shape)
    if not np.array_equal(got, POOLED_4X4):
        raise say.failure(
            "wrong_value", *given, labelled("got", show(got)), labelled("expected", show(POOLED_4X4))
        )
    say.passed("pool_example_ok", f"-> {POOLED_4X4.tolist()}")

    image = _random_image((5, 7), seed=5)
    original = image.copy()
    given = _given(f"{_name(f)}(image)", original, size="5x7")
    got = f(image)
    _check_array(got, given, (2, 3))
    say.passed("pool_shape_ok")
    _check_not_mutated(image, original, given)
    say.passed("input_not_modified")
    all_passed()


def _first_difference(got, expected):
    where = tuple(int(i) for i in np.argwhere(got != expected)[0])
    return f"  {say.text('first_difference', where=where, got=got[where], expected=expected[where])}"


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
            where = say.text("uses_call", name=_name(f), line=first.line, callee=first.callee)
        else:
            where = say.text("pixel_loop", name=_name(f), line=first.line)
        raise say.failure(
            "not_allowed",
            f"  {where}:",
            f"    {first.code}",
            labelled("expected", say.text("allowed_loops")),
        )
    say.passed("no_pixel_loops_ok")


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
            raise say.failure(
                "disagrees",
                *given,
                labelled("got", show(got)),
                labelled("expected", show(expected), f" ({_name(slow)})"),
                _first_difference(got, expected),
                slow=_name(slow),
            )
        say.passed("same_result", f"kernel={kernel}, weight={weight}", slow=_name(slow))
    say.passed("input_not_modified")
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
    say.note(
        "speed",
        fast=_name(f),
        slow=_name(slow),
        ratio=ratio,
        fast_ms=fast_seconds * 1e3,
        slow_ms=slow_seconds * 1e3,
    )
    all_passed()
