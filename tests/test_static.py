"""Deciding "no Python loop over pixels" from source code."""

from __future__ import annotations

import pytest

from autograder.static import definitions, module_constants, pixel_loops

# How convolution's no_pixel_loops calls it: the second parameter is the 3×3 kernel, the notebook set K = 3.
CONVOLUTION = {"forbidden_calls": ("convolve3x3", "vectorize"), "known_shapes": {1: (3, 3)}, "constants": {"K": 3}}

ALLOWED = [
    "def f(image, k):\n    acc = 0\n    for r in range(3):\n        for c in range(3):\n            acc = acc + k[r][c]\n    return acc\n",
    "def f(image, k):\n    return sum(k[r][c] for r in range(3) for c in range(3))\n",
    "def f(image, k):\n    for dr, dc in [(-1, 0), (1, 0), (0, -1), (0, 1)]:\n        pass\n",
    "import itertools\ndef f(image, k):\n    for r, c in itertools.product(range(3), range(3)):\n        pass\n",
    "def f(image, k):\n    return image[1:-1, 1:-1] * k[1][1]\n",
    # every spelling of the nine taps whose count the code fixes
    "def f(image, kernel):\n    kernel = np.asarray(kernel, dtype=np.float64)\n"
    "    for r in range(kernel.shape[0]):\n        for c in range(kernel.shape[1]):\n            pass\n",
    "def f(image, kernel):\n    k = 3\n    for r in range(k):\n        for c in range(k):\n            pass\n",
    "def f(img, kern):\n    n = len(kern)\n    for dy in range(-(n // 2), n // 2 + 1):\n        pass\n",
    "def f(image, kernel):\n    for dy in (-1, 0, 1):\n        for dx in (-1, 0, 1):\n            pass\n",
    "import itertools\ndef f(image, kernel):\n    for r, c in itertools.product(range(3), repeat=2):\n        pass\n",
    "def f(image, kernel):\n    kernel = xp.asarray(kernel)\n    for r, c in xp.ndindex(kernel.shape):\n        pass\n",
    "def f(image, kernel):\n    for r, c in np.ndindex(3, 3):\n        pass\n",
    "def f(image, kernel):\n    k = np.array(kernel, dtype=float)\n    for (r, c), w in np.ndenumerate(k):\n        pass\n",
    "def f(image, kernel):\n    for r, row in enumerate(kernel):\n        for c, w in enumerate(row):\n            pass\n",
    "def f(image, kernel):\n    kh, kw = np.asarray(kernel).shape\n    for i in range(kh * kw):\n        r, c = divmod(i, kw)\n",
    "def f(image, kernel):\n    for w in np.asarray(kernel).ravel():\n        pass\n",
    "def f(image, kernel):\n    for r in range(K):\n        for c in range(K):\n            pass\n",
]
REFUSED = [
    "def f(image, k):\n    for x in range(1, image.shape[0] - 1):\n        pass\n",
    "def f(image, k):\n    h, w = image.shape\n    return [[0 for y in range(w)] for x in range(h)]\n",
    "def f(image, k):\n    i = 0\n    while i < 9:\n        i += 1\n",
    "def f(image, k):\n    for row in image:\n        pass\n",
    "def f(image, k):\n    for r in range(16):\n        pass\n",
    "def f(image, k):\n    return convolve3x3(image, k)\n",
    "import itertools\ndef f(image, k):\n    for r, c in itertools.product(range(4), repeat=2):\n        pass\n",
    "def f(image, k):\n    slow = convolve3x3\n    return slow(image, k)\n",  # an alias still delegates
    "def f(image, k):\n    for x in range(1, size_x - 1):\n        pass\n",  # a global the notebook does not fix
    "def f(image, kernel):\n    kernel = image\n    for r in range(kernel.shape[0]):\n        pass\n",
    "def f(image, k):\n    n = 3\n    for _ in range(2):\n        m = n\n        n = len(image)\n"
    "    for x in range(m):\n        pass\n",  # n changes in a loop, so m is not fixed
    "import itertools\ndef f(image, k):\n    for x in itertools.count():\n        break\n",
    "def f(image, k):\n    return np.vectorize(lambda v: 2 * v)(image)\n",
]


@pytest.mark.parametrize("source", ALLOWED)
def test_loops_over_the_kernel_taps_are_allowed(source):
    assert pixel_loops(source, **CONVOLUTION) == []


@pytest.mark.parametrize("source", REFUSED)
def test_loops_over_pixels_and_delegating_to_the_slow_version_are_found(source):
    findings = pixel_loops(source, **CONVOLUTION)
    assert findings and all(f.line >= 2 for f in findings)


def test_module_constants_are_names_bound_once_to_an_integer():
    cells = [
        "import numpy as np\nK = 3\nsize_x = ascent.shape[0]",
        "N = 2",
        "N = 5",  # bound twice: not fixed
        "def g():\n    global J\n    J = 2\n",
        "J = 4",  # changed from inside a function: not fixed
        "def f(:",
    ]
    assert module_constants(cells) == {"K": 3}


def test_definitions_finds_every_def_of_a_name_in_the_submitted_cells():
    cells = [
        "import numpy as np",
        "def f(x):\n    return x\n",
        "def g(x):\n    return 1\n\ndef f(x):\n    for i in range(99):\n        pass\n",
        "def f(:",  # a cell that does not parse is skipped, not fatal
    ]
    found = definitions(cells, "f")
    assert found == ["def f(x):\n    return x", "def f(x):\n    for i in range(99):\n        pass"]
    assert pixel_loops(found[1]) and definitions(cells, "h") == []
