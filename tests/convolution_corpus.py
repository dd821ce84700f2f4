"""Submissions for the ``convolution`` assignment with the exact scores they must get.

Most wrong submissions are the reference cell with one realistic mistake edited in, so
everything else about them (validation, border, dtype) stays right. ``pooling_answer``
is graded by hand, so autograding leaves it at 0 for everyone.
"""

from __future__ import annotations

from corpus import Submission

FULL = {"test_convolve3x3": 4.0, "test_max_pool2x2": 2.0, "pooling_answer": 0.0, "test_convolve3x3_fast": 2.0}

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

_fake = "def convolve3x3_fast(image, kernel, weight=1.0):\\n    return image\\n"
_file = convolve3x3_fast.__code__.co_filename
linecache.cache[_file] = (len(_fake), None, _fake.splitlines(True), _file)
"""
FAST_CALLS_SLOW = (
    "def convolve3x3_fast(image, kernel, weight=1.0):\n    return convolve3x3(image, kernel, weight)\n"
)


def edit(reference: dict[str, str], cell: str, old: str, new: str) -> dict[str, str]:
    """The reference cell with ``old`` replaced by ``new`` (which must occur in it)."""
    assert old in reference[cell], f"{old!r} not in the reference {cell}"
    return {cell: reference[cell].replace(old, new)}


def wrong(reference: dict[str, str]) -> dict[str, Submission]:
    return {
        "reads_transformed_pixels": Submission(
            edit(reference, "convolve3x3", READ, READ.replace("image[", "result[")),
            lost={"test_convolve3x3": 4.0},
            why="reading result, where earlier pixels are already replaced, changes later pixels (on the "
            "bad-input check's valid 4×4 sample, pixel (2, 2) becomes 115 instead of 165): every check fails",
            feedback="wrong pixel at",
        ),
        "kernel_not_transposed": Submission(
            edit(reference, "convolve3x3", READ, "acc += float(image[x + r - 1, y + c - 1]) * kernel[r, c]"),
            lost={"test_convolve3x3": 4.0},
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
            lost={"test_convolve3x3": 2.0},
            why="clip first, then weight: wrong whenever weight is not 1 (0.1 and 2.5 are drawn by the "
            "reference and correlate2d checks); the no-mutation and bad-input checks use weight 1 and pass",
            feedback="wrong pixel at",
        ),
        "no_clipping_wraps_around": Submission(
            {
                "convolve3x3": reference["convolve3x3"]
                .replace(CLIP, "")
                .replace("result[x, y] = int(value)", "result[x, y] = int(value) % 256")
            },
            lost={"test_convolve3x3": 4.0},
            why="without clipping, 400 becomes 144 and -40 becomes 216 (uint8 wrap-around); every check meets "
            "such values, the bad-input check's valid 4×4 sample too",
            feedback="wrong pixel at",
        ),
        "border_set_to_zero": Submission(
            edit(reference, "convolve3x3", "result = image.copy()", "result = np.zeros_like(image)"),
            lost={"test_convolve3x3": 4.0},
            why="the border must keep the input's values; every check compares the whole image",
            feedback="wrong pixel at",
        ),
        "writes_into_its_input": Submission(
            edit(
                reference, "convolve3x3", "result = image.copy()", "result = image\n    image = image.copy()"
            ),
            lost={"test_convolve3x3": 1.0},
            why="the values are right (it reads a copy) but it writes into the caller's array",
            feedback="changed its input array",
            feedback_cell="test_convolve3x3",
        ),
        "rounds_instead_of_truncating": Submission(
            edit(reference, "convolve3x3", "result[x, y] = int(value)", "result[x, y] = int(round(value))"),
            lost={"test_convolve3x3": 3.0},
            why="uint8 storage truncates toward zero; rounding differs on every .5 or more; only the "
            "bad-input check (integer kernel, weight 1) sees no fraction",
            feedback="wrong pixel at",
        ),
        "pool_stride_1": Submission(
            {"max_pool2x2": POOL_STRIDE_1},
            lost={"test_max_pool2x2": 2.0},
            why="overlapping windows image[i:i+2, j:j+2] instead of image[2i:2i+2, 2j:2j+2]",
            feedback="wrong pooled value at",
        ),
        "pool_keeps_odd_edge": Submission(
            {"max_pool2x2": POOL_CEIL},
            lost={"test_max_pool2x2": 2.0},
            why="(H + 1) // 2 rows keeps a half block for odd sizes; the shape must be (H // 2, W // 2)",
            feedback="returned shape",
        ),
        "fast_calls_slow": Submission(
            {"convolve3x3_fast": FAST_CALLS_SLOW},
            lost={"test_convolve3x3_fast": 1.0},
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
            lost={"test_convolve3x3_fast": 2.0},
            why="the slices swap r and c, so the kernel is not transposed as in the seed's loop; the "
            "no-loop check also grades one asymmetric example and fails too",
            feedback="wrong pixel at",
        ),
        "fast_fakes_its_source": Submission(
            {"convolve3x3_fast": FAST_FAKES_ITS_SOURCE},
            lost={"test_convolve3x3_fast": 1.0},
            why="it delegates to convolve3x3 and plants a loop-free fake in linecache, so inspect.getsource "
            "in the kernel lies; the check also reads the def in the submitted notebook, which calls convolve3x3",
            feedback="calls `convolve3x3`",
        ),
        "fast_is_a_pixel_loop": Submission(
            {
                "convolve3x3_fast": reference["convolve3x3"].replace(
                    "def convolve3x3(", "def convolve3x3_fast("
                )
            },
            lost={"test_convolve3x3_fast": 1.0},
            why="right values from a loop over every pixel (found in its source)",
            feedback="loop over pixels",
        ),
    }
