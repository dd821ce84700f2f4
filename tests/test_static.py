"""Deciding "no Python loop over pixels" from source code."""

from __future__ import annotations

import pytest

from autograder.static import definitions, pixel_loops

ALLOWED = [
    "def f(image, k):\n    acc = 0\n    for r in range(3):\n        for c in range(3):\n            acc = acc + k[r][c]\n    return acc\n",
    "def f(image, k):\n    return sum(k[r][c] for r in range(3) for c in range(3))\n",
    "def f(image, k):\n    for dr, dc in [(-1, 0), (1, 0), (0, -1), (0, 1)]:\n        pass\n",
    "import itertools\ndef f(image, k):\n    for r, c in itertools.product(range(3), range(3)):\n        pass\n",
    "def f(image, k):\n    return image[1:-1, 1:-1] * k[1][1]\n",
]
REFUSED = [
    "def f(image, k):\n    for x in range(1, image.shape[0] - 1):\n        pass\n",
    "def f(image, k):\n    h, w = image.shape\n    return [[0 for y in range(w)] for x in range(h)]\n",
    "def f(image, k):\n    i = 0\n    while i < 9:\n        i += 1\n",
    "def f(image, k):\n    for row in image:\n        pass\n",
    "def f(image, k):\n    for r in range(16):\n        pass\n",
    "def f(image, k):\n    return convolve3x3(image, k)\n",
]


@pytest.mark.parametrize("source", ALLOWED)
def test_loops_over_the_kernel_taps_are_allowed(source):
    assert pixel_loops(source, forbidden_calls=("convolve3x3",)) == []


@pytest.mark.parametrize("source", REFUSED)
def test_loops_over_pixels_and_delegating_to_the_slow_version_are_found(source):
    findings = pixel_loops(source, forbidden_calls=("convolve3x3",))
    assert findings and all(f.line >= 2 for f in findings)


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
