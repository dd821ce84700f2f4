"""What a hidden check is written with: the ``check`` marker and ``expect_*`` assertions.

A hidden check is a plain pytest test (usually with hypothesis) in ``solutions/<assignment>/``.
It takes the ``student`` fixture (a :class:`autograder.student.StudentKernel`), calls the
student's code, computes the expected answer with the reference, and asserts with the
helpers below. They raise :class:`CheckFailed`, which carries the failing input, what
came back and what was expected, so feedback can show exactly one wrong element instead
of a whole reference answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from autograder.codec import Handle, Opaque, Tensor
from autograder.student import Call, Raised


def check(cell: str, weight: float = 1.0, title: str = "") -> pytest.MarkDecorator:
    """Mark a test as a hidden check for nbgrader cell ``cell`` worth ``weight`` shares.

    ``cell`` may use ``{param}`` fields filled from ``pytest.mark.parametrize`` values, so
    one parametrized check can serve several cells. The cell's points are split across its
    checks in proportion to their weights.
    """
    return pytest.mark.autograder_check(cell=cell, weight=weight, title=title)


class CheckFailed(AssertionError):
    """A check's verdict with the details feedback shows (see ``autograder.feedback``)."""

    def __init__(self, key: str, input: Any = None, **fields: Any) -> None:
        super().__init__(f"{key}: {fields}")
        self.key = key
        self.input = input
        self.fields = fields


def show(value: Any) -> str:
    """A short, readable rendering of a value for feedback."""
    if isinstance(value, Tensor):
        return f"{value.type_name}({show(value.value)})"
    if isinstance(value, np.ndarray) and value.size == 0:
        return f"np.zeros({value.shape}, dtype={value.dtype})"
    if isinstance(value, np.ndarray):
        body = np.array2string(value, threshold=12, edgeitems=3, precision=8, separator=", ")
        return f"np.array({body}, dtype={value.dtype})" if value.ndim else f"np.{value.dtype}({body})"
    if isinstance(value, np.generic):
        return f"np.{value.dtype}({value.item()!r})"
    if isinstance(value, (Opaque, Handle)):
        return f"a {value.type_name} ({value.text})"
    if isinstance(value, (list, tuple)):
        text = repr(value)
        return f"a {type(value).__name__} {text if len(text) < 120 else text[:117] + '...'}"
    return repr(value)


def _numeric_array(value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        value = value.value
    if isinstance(value, (np.ndarray, np.generic, int, float, bool, list, tuple)):
        try:
            array = np.asarray(value)
        except ValueError:
            array = None
        if array is not None and array.dtype.kind in "biuf":
            return array
    raise CheckFailed("not_numeric", got=show(value))


# Unless a notebook states a precision, a result within float32 precision of the reference is right,
# whatever the input's dtype: Keras computes in float32 by default, and a faithful solution that does
# too must not lose points on float64 input. A check that needs more passes rtol/atol and the
# notebook says so.
FLOAT32_RTOL, FLOAT32_ATOL = 1e-5, 1e-6


def _index(shape: tuple[int, ...], flat: int) -> str:
    return str(tuple(int(i) for i in np.unravel_index(flat, shape))) if shape else "()"


def expect_close(
    got: Any, expected: Any, input: Any, rtol: float | None = None, atol: float | None = None
) -> None:
    """``got`` equals ``expected`` elementwise within tolerance (float32 precision unless given);
    names the first wrong element."""
    rtol = FLOAT32_RTOL if rtol is None else rtol
    atol = FLOAT32_ATOL if atol is None else atol
    got_array = _numeric_array(got).astype(np.float64)
    expected_array = np.asarray(expected, dtype=np.float64)
    if got_array.shape != expected_array.shape:
        raise CheckFailed("wrong_shape", input=input, got=got_array.shape, expected=expected_array.shape)
    ok = np.isclose(got_array, expected_array, rtol=rtol, atol=atol, equal_nan=True)
    if ok.all():
        return
    flat = int(np.flatnonzero(~ok.ravel())[0])
    got_value, expected_value = (
        repr(float(got_array.ravel()[flat])),
        repr(float(expected_array.ravel()[flat])),
    )
    if isinstance(input, str):  # inputs described in words: no element of the input to point at
        if got_array.shape == ():
            raise CheckFailed("value_differs_for", input=input, got=got_value, expected=expected_value)
        index = _index(got_array.shape, flat)
        raise CheckFailed(
            "value_differs_at", input=input, index=index, got=got_value, expected=expected_value
        )
    at_input = np.asarray(input).ravel()[flat] if np.size(input) == got_array.size else input
    fields = dict(
        index=_index(got_array.shape, flat),
        at_input=show(np.asarray(at_input)[()]),
        got=got_value,
        expected=expected_value,
    )
    key = "not_finite" if not np.isfinite(got_array.ravel()[flat]) else "values_differ"
    raise CheckFailed(key, input=input, **fields)


def expect_array_like_input(got: Any, input: Any) -> None:
    """``got`` is a NumPy array (a NumPy or Python scalar for scalar input) of the input's shape."""
    scalar_input = np.ndim(input) == 0
    allowed = (np.ndarray, np.generic, float, int) if scalar_input else (np.ndarray,)
    if not isinstance(got, allowed) or isinstance(got, bool):
        raise CheckFailed("wrong_type", input=input, got=show(got))
    if np.shape(got) != np.shape(input):
        raise CheckFailed("wrong_shape", input=input, got=np.shape(got), expected=np.shape(input))


def expect_no_warnings(warnings: list[dict], input: Any) -> None:
    """The call emitted no warning (the probe records them all)."""
    if warnings:
        first = warnings[0]
        raise CheckFailed("warned", input=input, warning=f"{first['category']}: {first['message']}")


def expect_unchanged(before: Any, after: Any) -> None:
    """The argument the function received is unchanged after the call."""
    before_array, after_array = np.asarray(before), np.asarray(after)
    if before_array.shape != after_array.shape:
        raise CheckFailed(
            "mutated", input=before, index="(shape)", before=before_array.shape, after=after_array.shape
        )
    same = (before_array == after_array) | (np.isnan(before_array) & np.isnan(after_array))
    if not same.all():
        flat = int(np.flatnonzero(~same.ravel())[0])
        raise CheckFailed(
            "mutated",
            input=before,
            index=_index(before_array.shape, flat),
            before=repr(before_array.ravel()[flat].item()),
            after=repr(after_array.ravel()[flat].item()),
        )


def expect_raises(call: Callable[[], Call], error: str, input: Any) -> str:
    """``call()`` must make the student's function raise ``error`` (a class name); returns its message."""
    try:
        returned = call()
    except Raised as problem:
        if problem.detail.split(":")[0] != error:
            raise CheckFailed("wrong_error", input=input, expected=error, got=problem.detail) from None
        return problem.detail
    raise CheckFailed("did_not_raise", input=input, expected=error, got=show(returned.value))
