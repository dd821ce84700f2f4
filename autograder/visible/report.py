"""How visible checks talk to the student: one ✓ line per check in Chinese and English, readable values,
no stderr. The words themselves are in ``autograder.visible.messages``."""

import contextlib
import io
import os
import sys

import numpy as np

from autograder.visible.messages import MESSAGES, Text


class Shown(str):
    """Text already made readable by ``show``: printed as it is, not as a repr."""

    def __repr__(self) -> str:
        return str(self)


def text(key: str, **fields: object) -> Text:
    """The message ``key`` in both languages, with ``fields`` filled in."""
    return MESSAGES[key].format(**fields)


def passed(key: str, value: object = None, **fields: object) -> None:
    """One ✓ line: "中文 / English", then ``value`` (code or numbers, the same in both languages)."""
    line = f"  ✓ {text(key, **fields)}"
    print(line if value is None else f"{line}: {value}")


def note(key: str, **fields: object) -> None:
    """A line that is neither a pass nor a failure (a measurement shown for information)."""
    print(f"  {text(key, **fields)}")


def all_passed() -> None:
    print(f"✓ {text('all_passed')}")


def labelled(label: str, value: object, suffix: str = "") -> str:
    """A detail line of a failure: "  得到 got: value" (text shown as is, other values as their repr)."""
    name = MESSAGES["label." + label]
    shown = str(value) if isinstance(value, (Text, Shown)) else repr(value)
    return f"  {name.zh} {name.en}{suffix}: {shown}"


def failure(key: str, *lines: str, **fields: object) -> AssertionError:
    """A failed check: the message ``key`` in both languages, then its detail ``lines``."""
    return AssertionError("\n".join([str(text(key, **fields)), *lines]))


def fail(key: str, got: object, expected: object, **fields: object) -> None:
    """Raise a failed check showing what the student's code gave and what was expected."""
    raise failure(key, labelled("got", got), labelled("expected", expected), **fields)


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
        return Shown(repr(a.item()))
    array = np.array2string(a, precision=8, separator=", ")
    return Shown(array if a.ndim < 2 else "\n    " + array.replace("\n", "\n    "))


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
