"""How visible checks talk to the student: one ✓ line per check in Chinese and English, readable values,
no stderr. The words themselves are in each assignment's module (its ``TEXTS`` table) and, for the texts
several assignments share, in ``autograder.visible.messages``: a module makes ``say = Reporter(TEXTS)``
and its checks say ``say.passed("key")``, ``say.fail("key", got, expected)``, ... by key."""

import contextlib
import io
import os
import sys

import numpy as np

from autograder.visible.messages import SHARED, Text


class Shown(str):
    """Text already made readable by ``show``: printed as it is, not as a repr."""

    def __repr__(self) -> str:
        return str(self)


class Reporter:
    """What one assignment's visible checks say, by key: the texts of its own table and the shared ones
    (a key of both would be ambiguous, so the two tables must not share one)."""

    def __init__(self, texts: dict[str, Text]) -> None:
        both = sorted(texts.keys() & SHARED.keys())
        if both:
            raise ValueError(f"keys already in autograder.visible.messages.SHARED: {both}")
        self.texts: dict[str, Text] = {**SHARED, **texts}

    def text(self, key: str, **fields: object) -> Text:
        """The message ``key`` in both languages, with ``fields`` filled in."""
        return self.texts[key].format(**fields)

    def passed(self, key: str, value: object = None, **fields: object) -> None:
        """One ✓ line: "中文 / English", then ``value`` (code or numbers, the same in both languages)."""
        line = f"  ✓ {self.text(key, **fields)}"
        print(line if value is None else f"{line}: {value}")

    def note(self, key: str, **fields: object) -> None:
        """A line that is neither a pass nor a failure (a measurement shown for information)."""
        print(f"  {self.text(key, **fields)}")

    def failure(self, key: str, *lines: str, **fields: object) -> AssertionError:
        """A failed check: the message ``key`` in both languages, then its detail ``lines``."""
        return AssertionError("\n".join([str(self.text(key, **fields)), *lines]))

    def fail(self, key: str, got: object, expected: object, **fields: object) -> None:
        """Raise a failed check showing what the student's code gave and what was expected."""
        raise self.failure(key, labelled("got", got), labelled("expected", expected), **fields)


def all_passed() -> None:
    print(f"✓ {SHARED['all_passed']}")


def labelled(label: str, value: object, suffix: str = "") -> str:
    """A detail line of a failure: "  得到 got: value" (text shown as is, other values as their repr)."""
    name = SHARED["label." + label]
    shown = str(value) if isinstance(value, (Text, Shown)) else repr(value)
    return f"  {name.zh} {name.en}{suffix}: {shown}"


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
