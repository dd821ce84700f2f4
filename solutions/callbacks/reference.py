"""Reference behaviour for ``callbacks``: when a threshold callback must stop, as plain Python.

The checks drive the student's callback in the kernel with sequences of ``logs``, and read the
accuracy per epoch of the student's training runs; both are compared with :func:`first_stop`. The
trained model is evaluated in the grader, never through the kernel's History.
"""

from __future__ import annotations

THRESHOLD = 0.9  # AccuracyThresholdCallback's default
TRAIN_IMAGES = 10_000  # the notebook trains on the first 10,000 training images (8 epochs, ~11 s)
WELL_BEFORE = 20  # the reference stops after epoch 8 (measured); a run of more epochs is not "well before"
MIN_CONFIRMED_ACCURACY = 0.89  # the grader's own measure of the stopped model on those training images


def first_stop(values: list[float], threshold: float = THRESHOLD) -> int | None:
    """The index of the first epoch whose value is strictly above ``threshold``, or None."""
    return next((epoch for epoch, value in enumerate(values) if value > threshold), None)
