"""Reference solution for the ``convolution`` assignment (never shown to students).

Convolution and max pooling by hand, in pure NumPy, following the course's seed
lab on SciPy's "ascent" image. ``convolve3x3`` is the seed's pixel loop;
``convolve3x3_fast`` computes the bit-identical result with NumPy slicing (a loop
over the nine kernel taps only). Both accumulate in float64 in the same order
(for r in 0..2, for c in 0..2), so their results agree bit for bit.

Each function (signature, docstring and body) is copied verbatim into its
solution cell in ``source/convolution/convolution.ipynb``, with the body
between ``### BEGIN SOLUTION`` and ``### END SOLUTION``; keep the two identical.
The validation is written out in both convolution functions (no shared helper)
so that every solution cell is self-contained.
"""

import numpy as np


def convolve3x3(image, kernel, weight=1.0):
    """Apply a 3x3 filter to a grayscale image with a Python loop over the pixels.

    image: 2-d uint8 NumPy array, both sides >= 3. kernel: 3x3 nested list or array
    of numbers. For every interior pixel (x, y) (x = row, y = column):
        acc = sum over r, c in 0..2 of float(image[x + c - 1, y + r - 1]) * kernel[r][c]
    and the result is weight * acc, clipped to [0, 255] and truncated to uint8.
    Border pixels (first/last row and column) keep their input values.
    Returns a new uint8 array of the same shape; image is not modified.
    Raises ValueError for an image that is not a 2-d uint8 array with sides >= 3,
    or a kernel that is not 3x3 numbers.
    """
    if not isinstance(image, np.ndarray):
        raise ValueError(f"image must be a NumPy array, got {type(image).__name__}")  # noqa: TRY004
    if image.ndim != 2:
        raise ValueError(f"image must be 2-d (height, width), got {image.ndim}-d")
    if image.dtype != np.uint8:
        raise ValueError(f"image must have dtype uint8, got {image.dtype}")
    if min(image.shape) < 3:
        raise ValueError(f"both sides of image must be >= 3, got shape {image.shape}")
    try:
        kernel = np.asarray(kernel, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("kernel must be a 3x3 list or array of numbers") from None
    if kernel.shape != (3, 3):
        raise ValueError(f"kernel must have shape (3, 3), got {kernel.shape}")

    size_x, size_y = image.shape
    result = image.copy()  # a new array; the border keeps the input's values
    for x in range(1, size_x - 1):
        for y in range(1, size_y - 1):
            acc = 0.0
            for r in range(3):
                for c in range(3):
                    # Read the ORIGINAL image, never result (already changed pixels).
                    acc += float(image[x + c - 1, y + r - 1]) * kernel[r, c]
            value = weight * acc
            if value < 0:
                value = 0.0
            if value > 255:
                value = 255.0
            result[x, y] = int(value)  # int() truncates toward zero, like astype(np.uint8)
    return result


def max_pool2x2(image):
    """2x2 max pooling with stride 2.

    image: 2-d NumPy array of any numeric dtype (height H, width W).
    Returns an array of shape (H // 2, W // 2) and the input's dtype; entry [i, j] is
    the maximum of the block image[2i:2i+2, 2j:2j+2]. An odd last row or column is
    dropped. image is not modified. Raises ValueError if image is not 2-d.
    """
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-d (height, width), got {image.ndim}-d")
    h, w = image.shape[0] // 2, image.shape[1] // 2
    # Drop an odd last row/column, then give every 2x2 block its own two axes:
    # blocks[i, a, j, b] = image[2i + a, 2j + b].
    blocks = image[: 2 * h, : 2 * w].reshape(h, 2, w, 2)
    return blocks.max(axis=(1, 3))


def convolve3x3_fast(image, kernel, weight=1.0):
    """Same result as convolve3x3 (bit for bit), vectorized with NumPy slicing.

    No Python loop over the pixels: only over the nine kernel taps (r, c); each tap
    adds one shifted copy of the whole image times kernel[r][c]. Same arguments,
    result and ValueErrors as convolve3x3; image is not modified.
    """
    if not isinstance(image, np.ndarray):
        raise ValueError(f"image must be a NumPy array, got {type(image).__name__}")  # noqa: TRY004
    if image.ndim != 2:
        raise ValueError(f"image must be 2-d (height, width), got {image.ndim}-d")
    if image.dtype != np.uint8:
        raise ValueError(f"image must have dtype uint8, got {image.dtype}")
    if min(image.shape) < 3:
        raise ValueError(f"both sides of image must be >= 3, got shape {image.shape}")
    try:
        kernel = np.asarray(kernel, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("kernel must be a 3x3 list or array of numbers") from None
    if kernel.shape != (3, 3):
        raise ValueError(f"kernel must have shape (3, 3), got {kernel.shape}")

    size_x, size_y = image.shape
    pixels = image.astype(np.float64)
    acc = np.zeros((size_x - 2, size_y - 2))  # one entry per interior pixel
    for r in range(3):
        for c in range(3):
            # acc[x - 1, y - 1] gets image[x + c - 1, y + r - 1] for every interior (x, y).
            acc += pixels[c : c + size_x - 2, r : r + size_y - 2] * kernel[r, c]
    result = image.copy()
    result[1:-1, 1:-1] = np.clip(weight * acc, 0, 255).astype(np.uint8)
    return result
