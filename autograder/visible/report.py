"""How visible checks talk to the student: one ✓ line per check, readable values, no stderr."""

import contextlib
import io
import os
import sys

import numpy as np


def passed(message):
    print("  ✓ " + message)


def all_passed():
    print("✓ all visible checks passed / 可见检查全部通过")


def setting_name(value):
    """A compile setting (loss, optimizer, metric) as a lower-case name without underscores, whether a
    string, a function or a Keras object: "sgd", "meansquarederror", "sparsecategoricalcrossentropy"."""
    if isinstance(value, str):
        name = value
    else:
        name = getattr(value, "name", None) or getattr(value, "__name__", None) or type(value).__name__
    return str(name).replace("_", "").lower()


def show(value):
    """Short, readable text for a number, a list or an array (2-d arrays on their own lines)."""
    a = np.asarray(value)
    if a.ndim == 0 and a.dtype.kind in "biuf":
        return repr(a.item())
    text = np.array2string(a, precision=8, separator=", ")
    return text if a.ndim < 2 else "\n    " + text.replace("\n", "\n    ")


@contextlib.contextmanager
def quiet_stderr():
    """Keep TensorFlow's own log lines out of the cell.

    TensorFlow writes them to stderr, also from C++ (file descriptor 2: device set-up, data
    pipelines), and nbgrader scores any stderr output in a graded cell as a failure.
    """
    sys.stderr.flush()
    saved_fd = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(io.StringIO()):
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
