"""How visible checks talk to the student: one ✓ line per check, readable values."""

import numpy as np


def passed(message):
    print("  ✓ " + message)


def all_passed():
    print("✓ all visible checks passed / 可见检查全部通过")


def show(value):
    """Short, readable text for a number, a list or an array (2-d arrays on their own lines)."""
    a = np.asarray(value)
    if a.ndim == 0 and a.dtype.kind in "biuf":
        return repr(a.item())
    text = np.array2string(a, precision=8, separator=", ")
    return text if a.ndim < 2 else "\n    " + text.replace("\n", "\n    ")
