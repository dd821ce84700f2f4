"""Submissions for the ``convolution`` assignment with the exact scores they must get.

Most wrong submissions are the reference cell with one realistic mistake edited in, so
everything else about them (validation, border, dtype) stays right. ``pooling_answer``
is graded by hand, so autograding leaves it at 0 for everyone.
"""

from __future__ import annotations

from corpus import Submission

READ = "acc += float(image[x + c - 1, y + r - 1]) * kernel[r, c]"
CLIP = "            if value < 0:\n                value = 0.0\n            if value > 255:\n                value = 255.0\n"

POOL_STRIDE_1 = """def max_pool2x2(image):
    image = np.asarray(image)
    h, w = image.shape[0] // 2, image.shape[1] // 2
    out = np.zeros((h, w), dtype=image.dtype)
    for i in range(h):
        for j in range(w):
            out[i, j] = image[i:i + 2, j:j + 2].max()
    return out
"""
POOL_CEIL = """def max_pool2x2(image):
    image = np.asarray(image)
    h, w = (image.shape[0] + 1) // 2, (image.shape[1] + 1) // 2
    out = np.zeros((h, w), dtype=image.dtype)
    for i in range(h):
        for j in range(w):
            out[i, j] = image[2 * i:2 * i + 2, 2 * j:2 * j + 2].max()
    return out
"""
FAST_FAKES_ITS_SOURCE = """def convolve3x3_fast(image, kernel, weight=1.0):
    return convolve3x3(image, kernel, weight)


import linecache

# About how long this corpus's CI batch grades (seconds, beside another batch): longest start first.
BATCH_SECONDS = 160

_fake = "def convolve3x3_fast(image, kernel, weight=1.0):\\n    return image\\n"
_file = convolve3x3_fast.__code__.co_filename
linecache.cache[_file] = (len(_fake), None, _fake.splitlines(True), _file)
"""
FAST_CALLS_SLOW = (
    "def convolve3x3_fast(image, kernel, weight=1.0):\n    return convolve3x3(image, kernel, weight)\n"
)


# Correct solutions written differently from the reference, from the notebook's words: each must get
# full marks. The input checks are spelled out in each, as a student copies them between the cells.
CHECKS = """    if not isinstance(image, np.ndarray) or image.ndim != 2 or image.dtype != np.uint8 or min(image.shape) < 3:
        raise ValueError(f"image must be a 2-d uint8 NumPy array with both sides >= 3, got {image!r:.40}")
    try:
        kernel = np.asarray(kernel, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("kernel must be a 3x3 list or array of numbers") from None
    if kernel.shape != (3, 3):
        raise ValueError(f"kernel must have shape (3, 3), got {kernel.shape}")
"""
SEED_LAB_CONVOLUTION = (
    "def convolve3x3(image, kernel, weight=1.0):\n"
    + CHECKS
    + """    filter = kernel
    i = image
    i_transformed = np.copy(i)
    size_x = i_transformed.shape[0]
    size_y = i_transformed.shape[1]
    for x in range(1,size_x-1):
      for y in range(1,size_y-1):
          convolution = 0.0
          convolution = convolution + (float(i[x - 1, y-1]) * filter[0][0])
          convolution = convolution + (float(i[x, y-1]) * filter[0][1])
          convolution = convolution + (float(i[x + 1, y-1]) * filter[0][2])
          convolution = convolution + (float(i[x-1, y]) * filter[1][0])
          convolution = convolution + (float(i[x, y]) * filter[1][1])
          convolution = convolution + (float(i[x+1, y]) * filter[1][2])
          convolution = convolution + (float(i[x-1, y+1]) * filter[2][0])
          convolution = convolution + (float(i[x, y+1]) * filter[2][1])
          convolution = convolution + (float(i[x+1, y+1]) * filter[2][2])
          convolution = convolution * weight
          if(convolution<0):
            convolution=0
          if(convolution>255):
            convolution=255
          i_transformed[x, y] = convolution  # a uint8 array truncates the float
    return i_transformed
"""
)
SEED_LAB_POOLING = """def max_pool2x2(image):
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-d, got {image.ndim}-d")
    size_x, size_y = image.shape
    new_x = int(size_x/2)
    new_y = int(size_y/2)
    newImage = np.zeros((new_x, new_y), dtype=image.dtype)
    for x in range(0, 2 * new_x, 2):
        for y in range(0, 2 * new_y, 2):
            pixels = []
            pixels.append(image[x, y])
            pixels.append(image[x+1, y])
            pixels.append(image[x, y+1])
            pixels.append(image[x+1, y+1])
            pixels.sort(reverse=True)
            newImage[int(x/2), int(y/2)] = pixels[0] # 最大值
    return newImage
"""
PADDED_FAST = (
    "def convolve3x3_fast(image, kernel, weight=1.0):\n"
    + CHECKS
    + """    h, w = image.shape
    padded = np.pad(image.astype(np.float64), 1)  # padded[p, q] = image[p - 1, q - 1]
    acc = np.zeros((h, w))
    for r in range(kernel.shape[0]):
        for c in range(kernel.shape[1]):
            acc += padded[c:c + h, r:r + w] * kernel[r, c]
    result = image.copy()
    result[1:-1, 1:-1] = np.clip(weight * acc[1:-1, 1:-1], 0, 255).astype(np.uint8)
    return result
"""
)
WINDOW_SUM_CONVOLUTION = (
    "def convolve3x3(image, kernel, weight=1.0):\n"
    + CHECKS
    + """    out = image.copy()
    for x in range(1, image.shape[0] - 1):
        for y in range(1, image.shape[1] - 1):
            window = image[x - 1:x + 2, y - 1:y + 2].astype(np.float64)  # window[c, r] = I[x + c - 1, y + r - 1]
            value = weight * np.sum(window * kernel.T)
            out[x, y] = int(min(max(value, 0.0), 255.0))
    return out
"""
)
STRIDED_POOLING = """def max_pool2x2(image):
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError("image must be 2-d (height, width)")
    a = image[: image.shape[0] // 2 * 2, : image.shape[1] // 2 * 2]
    return np.maximum(np.maximum(a[0::2, 0::2], a[0::2, 1::2]), np.maximum(a[1::2, 0::2], a[1::2, 1::2]))
"""
PRODUCT_FAST = (
    """import itertools
import numpy as xp

K = 3  # the kernel's size


def convolve3x3_fast(image, kernel, weight=1.0):
"""
    + CHECKS.replace("np.", "xp.")
    + """    h, w = image.shape
    pixels = image.astype(xp.float64)
    acc = xp.zeros((h - 2, w - 2))
    for r, c in itertools.product(range(K), repeat=2):
        acc += pixels[c:c + h - 2, r:r + w - 2] * kernel[r, c]
    result = image.copy()
    result[1:-1, 1:-1] = xp.clip(weight * acc, 0, 255).astype(xp.uint8)
    return result
"""
)
WINDOWS_FAST = (
    "def convolve3x3_fast(image, kernel, weight=1.0):\n"
    + CHECKS
    + """    windows = np.lib.stride_tricks.sliding_window_view(image.astype(np.float64), (3, 3))
    acc = np.zeros(windows.shape[:2])  # windows[x, y, c, r] = image[x + c, y + r]
    for (r, c), tap in np.ndenumerate(kernel):
        acc += windows[:, :, c, r] * tap
    out = image.copy()
    out[1:-1, 1:-1] = np.clip(weight * acc, 0, 255).astype(np.uint8)
    return out
"""
)


def faithful() -> dict[str, Submission]:
    return {
        "faithful_seed_lab_style": Submission(
            {
                "convolve3x3": SEED_LAB_CONVOLUTION,
                "max_pool2x2": SEED_LAB_POOLING,
                "convolve3x3_fast": PADDED_FAST,
            },
            why="the lab's own loops (nine unrolled lines with float(), clamping, a float stored into the "
            "uint8 copy; pooling by sorting four pixels into a zeros array of the input's dtype) and a fast "
            "version on np.pad with range(kernel.shape[0]) over the taps",
        ),
        "faithful_vectorized_styles": Submission(
            {
                "convolve3x3": WINDOW_SUM_CONVOLUTION,
                "max_pool2x2": STRIDED_POOLING,
                "convolve3x3_fast": PRODUCT_FAST,
            },
            why="np.sum of each window times kernel.T (another summation order: a sum within 1e-9 of an "
            "integer may truncate either way), pooling by strided np.maximum, and taps from "
            "itertools.product(range(K), repeat=2) with K = 3 and numpy imported as xp",
        ),
        "faithful_sliding_windows": Submission(
            {"convolve3x3_fast": WINDOWS_FAST},
            why="taps from np.ndenumerate(kernel) over sliding_window_view windows",
        ),
    }


def edit(reference: dict[str, str], cell: str, old: str, new: str) -> dict[str, str]:
    """The reference cell with ``old`` replaced by ``new`` (which must occur in it)."""
    assert old in reference[cell], f"{old!r} not in the reference {cell}"
    return {cell: reference[cell].replace(old, new)}


def wrong(reference: dict[str, str]) -> dict[str, Submission]:
    return {
        "reads_transformed_pixels": Submission(
            edit(reference, "convolve3x3", READ, READ.replace("image[", "result[")),
            lost={"test_convolve3x3": 1.0},
            why="reading result, where earlier pixels are already replaced, changes later pixels (on the "
            "bad-input check's valid 4×4 sample, pixel (2, 2) becomes 115 instead of 165): every check fails",
            feedback="wrong pixel at",
        ),
        "kernel_not_transposed": Submission(
            edit(reference, "convolve3x3", READ, "acc += float(image[x + r - 1, y + c - 1]) * kernel[r, c]"),
            lost={"test_convolve3x3": 1.0},
            why="the seed's loop is a correlation with the transposed kernel; every check meets an asymmetric "
            "kernel on an asymmetric image",
            feedback="wrong pixel at",
        ),
        "clips_before_weighting": Submission(
            {
                "convolve3x3": reference["convolve3x3"]
                .replace("value = weight * acc", "value = acc")
                .replace("result[x, y] = int(value)", "result[x, y] = int(weight * value)")
            },
            lost={"test_convolve3x3": 0.5},
            why="clip first, then weight: wrong whenever weight is not 1 (0.1 and 2.5 are drawn by the "
            "reference and correlate2d checks; with 2.5 a clipped 255 becomes int(637.5), which NumPy 2 refuses "
            "to store in uint8, and that OverflowError is what the feedback shows); the no-mutation and "
            "bad-input checks use weight 1 and pass",
            feedback="out of bounds for uint8",
        ),
        "no_clipping_wraps_around": Submission(
            {
                "convolve3x3": reference["convolve3x3"]
                .replace(CLIP, "")
                .replace("result[x, y] = int(value)", "result[x, y] = int(value) % 256")
            },
            lost={"test_convolve3x3": 1.0},
            why="without clipping, 400 becomes 144 and -40 becomes 216 (uint8 wrap-around); every check meets "
            "such values, the bad-input check's valid 4×4 sample too",
            feedback="wrong pixel at",
        ),
        "border_set_to_zero": Submission(
            edit(reference, "convolve3x3", "result = image.copy()", "result = np.zeros_like(image)"),
            lost={"test_convolve3x3": 1.0},
            why="the border must keep the input's values; every check compares the whole image",
            feedback="wrong pixel at",
        ),
        "writes_into_its_input": Submission(
            edit(
                reference, "convolve3x3", "result = image.copy()", "result = image\n    image = image.copy()"
            ),
            lost={"test_convolve3x3": 0.25},
            why="the values are right (it reads a copy) but it writes into the caller's array",
            feedback="changed its input array",
            feedback_cell="test_convolve3x3",
        ),
        "rounds_instead_of_truncating": Submission(
            edit(reference, "convolve3x3", "result[x, y] = int(value)", "result[x, y] = int(round(value))"),
            lost={"test_convolve3x3": 0.75},
            why="uint8 storage truncates toward zero; rounding differs on every .5 or more; only the "
            "bad-input check (integer kernel, weight 1) sees no fraction",
            feedback="wrong pixel at",
        ),
        "pool_stride_1": Submission(
            {"max_pool2x2": POOL_STRIDE_1},
            lost={"test_max_pool2x2": 1.0},
            why="overlapping windows image[i:i+2, j:j+2] instead of image[2i:2i+2, 2j:2j+2]",
            feedback="wrong pooled value at",
        ),
        "pool_keeps_odd_edge": Submission(
            {"max_pool2x2": POOL_CEIL},
            lost={"test_max_pool2x2": 1.0},
            why="(H + 1) // 2 rows keeps a half block for odd sizes; the shape must be (H // 2, W // 2)",
            feedback="returned shape",
        ),
        "fast_calls_slow": Submission(
            {"convolve3x3_fast": FAST_CALLS_SLOW},
            lost={"test_convolve3x3_fast": 0.5},
            why="right values, but it delegates to convolve3x3 (found in its source)",
            feedback="calls `convolve3x3`",
        ),
        "fast_kernel_not_transposed": Submission(
            edit(
                reference,
                "convolve3x3_fast",
                "pixels[c : c + size_x - 2, r : r + size_y - 2]",
                "pixels[r : r + size_x - 2, c : c + size_y - 2]",
            ),
            lost={"test_convolve3x3_fast": 1.0},
            why="the slices swap r and c, so the kernel is not transposed as in the seed's loop; the "
            "no-loop check also grades one asymmetric example and fails too",
            feedback="wrong pixel at",
        ),
        "fast_fakes_its_source": Submission(
            {"convolve3x3_fast": FAST_FAKES_ITS_SOURCE},
            lost={"test_convolve3x3_fast": 0.5},
            why="it delegates to convolve3x3 and plants a loop-free fake in linecache, so inspect.getsource "
            "in the kernel lies; the check also reads the def in the submitted notebook, which calls convolve3x3",
            feedback="calls `convolve3x3`",
        ),
        "pool_seed_float_zeros": Submission(
            {
                "max_pool2x2": SEED_LAB_POOLING.replace(
                    "np.zeros((new_x, new_y), dtype=image.dtype)", "np.zeros((new_x, new_y))"
                )
            },
            lost={"test_max_pool2x2": 0.5},
            why="the lab's np.zeros((new_x, new_y)) is float64: right values, but the notebook asks for the "
            "input's dtype, which pool_values grades",
            feedback="dtype is float64",
        ),
        "convolve_returns_float_image": Submission(
            edit(reference, "convolve3x3", "result = image.copy()", "result = image.astype(np.float64)"),
            lost={"test_convolve3x3": 0.25},
            why="right (truncated) values in a float64 array: the notebook asks for uint8, which "
            "matches_reference grades; the other checks compare values only",
            feedback="dtype is float64",
        ),
        "fast_aliases_slow": Submission(
            {
                "convolve3x3_fast": "def convolve3x3_fast(image, kernel, weight=1.0):\n    slow = convolve3x3\n"
                "    return slow(image, kernel, weight)\n"
            },
            lost={"test_convolve3x3_fast": 0.5},
            why="delegating through another name is still using convolve3x3 (found in its source)",
            feedback="calls `convolve3x3`",
        ),
        "fast_loops_over_rows": Submission(
            edit(
                reference,
                "convolve3x3_fast",
                "    for r in range(3):\n        for c in range(3):\n"
                "            # acc[x - 1, y - 1] gets image[x + c - 1, y + r - 1] for every interior (x, y).\n"
                "            acc += pixels[c : c + size_x - 2, r : r + size_y - 2] * kernel[r, c]\n",
                "    for x in range(1, size_x - 1):\n        for r in range(3):\n            for c in range(3):\n"
                "                acc[x - 1] += pixels[x + c - 1, r : r + size_y - 2] * kernel[r, c]\n",
            ),
            lost={"test_convolve3x3_fast": 0.5},
            why="right values, vectorized along each row only: the loop over the rows runs once per row",
            feedback="loop over pixels",
        ),
        "fast_is_a_pixel_loop": Submission(
            {
                "convolve3x3_fast": reference["convolve3x3"].replace(
                    "def convolve3x3(", "def convolve3x3_fast("
                )
            },
            lost={"test_convolve3x3_fast": 0.5},
            why="right values from a loop over every pixel (found in its source)",
            feedback="loop over pixels",
        ),
    }


def corpus(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """Every submission of this assignment's corpus by student id."""
    return {**faithful(), **wrong(reference)}
