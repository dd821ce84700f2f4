"""Reference for ``cnn``: the preprocessing as NumPy, and the budget and accuracy tiers.

The reference network itself is the source notebook's ``build_cnn``; the checks never train
one. They load the student's trained model in the grader and measure it on the test images
against the tiers 0.88, 0.90 and 0.91 (the reference measures 0.920).
"""

from __future__ import annotations

import numpy as np

MAX_PARAMETERS = 500_000  # the CPU budget the notebook states


def preprocess(images: np.ndarray) -> np.ndarray:
    """uint8 (N, 28, 28) -> float32 (N, 28, 28, 1) in [0, 1]."""
    return (images.astype(np.float32) / 255.0).reshape(-1, 28, 28, 1)
