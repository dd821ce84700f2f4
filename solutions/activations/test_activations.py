"""Hidden checks for the ``activations`` assignment.

Each of the eight functions has four checks of equal weight, so its cell's points are
split evenly: values on ordinary inputs, extreme inputs, return type and shape, and not
mutating the input. Every check also requires the right values, so a stub such as
``return x`` or ``np.zeros_like(x)`` earns nothing. Inputs are float32/float64 arrays of
0 to 3 dimensions (empty ones included) and Python scalars, compared with the reference to
float32 precision (``expect_close``'s default), whatever the input's dtype: the result's dtype is
not graded, as the notebook says.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.checks import (
    check,
    expect_array_like_input,
    expect_close,
    expect_no_warnings,
    expect_unchanged,
)
from solutions.activations import reference

FUNCTIONS = [
    "sigmoid",
    "sigmoid_derivative",
    "relu",
    "relu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "tanh",
    "tanh_derivative",
]
SLOPES = st.sampled_from([0.01, 0.1, 0.2, 0.3])
DTYPES = st.sampled_from([np.float32, np.float64])
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)


# The notebook grades values to float32 precision, so computing in float32 is fine. float32 reads a
# float64 like -1e-300 as -0.0, where relu' and leaky relu' jump from p to 1: no input has a nonzero
# element that float32 would round to zero.
FLOAT32_TINY = float(np.finfo(np.float32).tiny)


def floats(min_value: float, max_value: float, width: int = 64) -> st.SearchStrategy:
    """Floats in [min_value, max_value], 0 or at least float32's smallest normal number in size."""
    return st.floats(min_value, max_value, width=width).filter(lambda v: v == 0 or abs(v) >= FLOAT32_TINY)


def arrays(min_value: float, max_value: float, exclude_band: float = 0.0) -> st.SearchStrategy:
    """float32/float64 arrays with elements in ±[exclude_band, max_value] (or [min, max])."""

    @st.composite
    def build(draw: st.DrawFn) -> np.ndarray:
        dtype = draw(DTYPES)
        width = 32 if dtype == np.float32 else 64
        if exclude_band:
            positive = st.floats(exclude_band, max_value, width=width)
            elements = st.one_of(positive, positive.map(lambda v: -v))
        else:
            elements = floats(min_value, max_value, width=width)
        return draw(hnp.arrays(dtype, draw(SHAPES), elements=elements))

    return build()


ORDINARY = arrays(-50.0, 50.0)
EXTREME = arrays(0.0, 1e4, exclude_band=20.0)
SCALARS = st.one_of(floats(-50, 50), st.integers(-50, 50))
EDGES = np.array([0.0, -0.0, 1e-30, -1e-30, 1.0, -1.0])


def arguments(name: str, x, p: float) -> tuple:
    """The call's arguments: the leaky functions also take the slope p."""
    return (x, p) if name.startswith("leaky") else (x,)


def expected(name: str, args: tuple):
    return getattr(reference, name)(*args)


@pytest.mark.parametrize("name", FUNCTIONS)
@check(cell="test_{name}", title="values")
@given(x=ORDINARY, p=SLOPES)
@example(x=EDGES, p=0.1)
def test_values(student, name, x, p):
    args = arguments(name, x, p)
    expect_close(student.call(name, *args).value, expected(name, args), input=x)


@pytest.mark.parametrize("name", FUNCTIONS)
@check(cell="test_{name}", title="extremes")
@given(x=EXTREME, p=SLOPES)
@example(x=np.array([-1e4, -1e3, 1e3, 1e4]), p=0.1)
def test_extremes(student, name, x, p):
    args = arguments(name, x, p)
    returned = student.call(name, *args)
    expect_no_warnings(returned.warnings, input=x)
    expect_close(returned.value, expected(name, args), input=x)


@pytest.mark.parametrize("name", FUNCTIONS)
@check(cell="test_{name}", title="shape_and_type")
@given(x=st.one_of(ORDINARY, SCALARS), p=SLOPES)
@example(x=np.zeros((0, 3)), p=0.1)
@example(x=np.array(2.0), p=0.1)
@example(x=1.5, p=0.1)
def test_shape_and_type(student, name, x, p):
    args = arguments(name, x, p)
    got = student.call(name, *args).value
    expect_array_like_input(got, input=x)
    expect_close(got, expected(name, args), input=x)


@pytest.mark.parametrize("name", FUNCTIONS)
@check(cell="test_{name}", title="no_mutation")
@given(x=ORDINARY, p=SLOPES)
@example(x=np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), p=0.1)
def test_no_mutation(student, name, x, p):
    args = arguments(name, x, p)
    returned = student.call(name, *args, return_args=True)
    expect_unchanged(x, returned.args_after[0])
    expect_close(returned.value, expected(name, args), input=x)
