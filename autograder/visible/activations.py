"""Visible checks for the ``activations`` assignment (可见检查).

Students run these in the notebook, under each function. They need no
reference solution: they use a few known values, compare derivatives with
TensorFlow's automatic differentiation (自动微分), and check that the shape is
kept and the input is not modified. When you submit, the grader also runs
more, hidden checks (隐藏检查) against a reference solution.

What the checks print, in Chinese and English, is in ``TEXTS`` below; the texts several
assignments share are in ``autograder.visible.messages``.
"""

import os
import warnings

import numpy as np

from autograder.visible.messages import Text
from autograder.visible.report import Reporter, Shown, all_passed, labelled, quiet_stderr, show

TEXTS: dict[str, Text] = {
    "input_unchanged": Text("输入保持不变（不要修改输入）", "the input unchanged (do not modify it)"),
    "shape_of": Text("形状 {shape}", "shape {shape}"),
    "right_value": Text("取值正确", "right value"),
    "warned": Text("产生了警告", "it warned"),
    "no_warning_expected": Text(
        "没有警告（请用数值稳定的写法）", "no warning (use a numerically stable form)"
    ),
    "wrong_extreme_value": Text("极端输入上的值不对", "wrong value on extreme inputs"),
    "extremes_ok": Text("没有警告、NaN 或 inf", "no warning, NaN or inf"),
    "wrong_shape": Text("形状不对", "wrong shape"),
    "array_of_shape": Text("{call}，输入是形状为 {shape} 的数组", "{call}, an array of shape {shape}"),
    "shape_ok": Text(
        "返回形状为 {shape} 的 NumPy 数组，输入未被修改", "NumPy array of shape {shape}, input not modified"
    ),
    "autodiff_wrong": Text(
        "导数与 {name} 的自动微分不一致", "derivative disagrees with automatic differentiation of {name}"
    ),
    "autodiff_ok": Text(
        "与 {name} 的自动微分 (tf.GradientTape) 一致",
        "agrees with tf.GradientTape on {name}",
    ),
}
say = Reporter(TEXTS)

# A float64 grid that avoids exactly 0, where ReLU and leaky ReLU have a kink.
GRID = np.linspace(-4, 4, 17) + 0.05
# A small 2-D input for the shape and no-mutation checks.
MATRIX = np.array([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]])
# Inputs as large as the rules allow: no overflow warning, NaN or inf.
EXTREMES = np.array([-1e4, -1e3, 0.0, 1e3, 1e4])
# The hidden checks' precision (the notebook's rules): float32 arithmetic passes.
RTOL, ATOL = 1e-5, 1e-6


def _call(f, x, args, x_text=None):
    """Call f(x, *args) and describe the call for messages."""
    x_text = show(x) if x_text is None else x_text
    extra = "".join(", " + show(a) for a in args)
    return f(x, *args), f"{getattr(f, '__name__', 'f')}({x_text}{extra})"


def _expect_close(got, expected, call, key):
    """got equals expected within the hidden checks' precision, or an AssertionError with message ``key``."""
    try:
        np.testing.assert_allclose(np.asarray(got, dtype=float), expected, rtol=RTOL, atol=ATOL)
    except (AssertionError, TypeError, ValueError):
        raise say.failure(
            key, labelled("input", Shown(call)), labelled("got", got), labelled("expected", show(expected))
        ) from None


def _check_values(f, x, expected, args=(), x_text=None):
    """Check f(x, *args) against the expected values."""
    got, call = _call(f, x, args, x_text)
    _expect_close(got, expected, call, "wrong_value")
    say.passed("right_value", f"{call} ≈ {show(expected)}")


def _check_extremes(f, expected, args=()):
    """f(EXTREMES) must give the expected values with no warning, NaN or inf."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got, call = _call(f, EXTREMES.copy(), args, show(EXTREMES))
    if caught:
        first = caught[0]
        raise say.failure(
            "warned",
            labelled("input", Shown(call)),
            labelled("warning", Shown(f"{first.category.__name__}: {first.message}")),
            labelled("expected", say.text("no_warning_expected")),
        )
    _expect_close(got, expected, call, "wrong_extreme_value")
    say.passed("extremes_ok", f"{call} ≈ {show(expected)}")


def _check_shape_and_no_mutation(f, args=()):
    """f must return a NumPy array of the input's shape and leave the input unchanged."""
    x = MATRIX.copy()
    got, call = _call(f, x, args, show(MATRIX))
    if not isinstance(got, np.ndarray):
        raise say.failure(
            "not_ndarray",
            labelled("input", Shown(call)),
            labelled("got", Shown(f"{type(got).__name__} {got!r}")),
            labelled("expected", Shown("np.ndarray")),
        )
    if np.shape(got) != x.shape:
        raise say.failure(
            "wrong_shape",
            labelled("input", say.text("array_of_shape", call=call, shape=x.shape)),
            labelled("got", say.text("shape_of", shape=np.shape(got))),
            labelled("expected", say.text("shape_of", shape=x.shape)),
        )
    if not np.array_equal(x, MATRIX):
        raise say.failure(
            "input_modified",
            labelled("input", Shown(call)),
            labelled("after_call", Shown(f"x = {show(x)}")),
            labelled("expected", say.text("input_unchanged")),
        )
    say.passed("shape_ok", shape=x.shape)


def _tensorflow():
    """Import TensorFlow lazily (only the derivative checks need it)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with quiet_stderr():
        import tensorflow as tf
    return tf


def _autodiff_gradient(tf_function, x):
    """Elementwise derivative of tf_function at x, by tf.GradientTape."""
    tf = _tensorflow()
    with quiet_stderr():  # the first TensorFlow operation also logs
        xt = tf.constant(x, dtype=tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            y = tf_function(xt)
        return tape.gradient(y, xt).numpy()


def _check_against_autodiff(f, tf_function, name, args=()):
    """Compare the student's derivative with TensorFlow's on GRID."""
    expected = _autodiff_gradient(tf_function, GRID)
    got, call = _call(f, GRID.copy(), args, "np.linspace(-4, 4, 17) + 0.05")  # a copy: f may write into it
    try:
        np.testing.assert_allclose(np.asarray(got, dtype=float), expected, rtol=RTOL, atol=ATOL)
    except (AssertionError, TypeError, ValueError):
        raise say.failure(
            "autodiff_wrong",
            labelled("input", Shown(call)),
            labelled("got", got),
            labelled("expected", show(expected), " (tf.GradientTape)"),
            name=name,
        ) from None
    say.passed("autodiff_ok", name=name)


def check_sigmoid(f):
    """Visible checks for sigmoid(x)."""
    _check_values(f, 0, 0.5)
    _check_values(f, 2.0, 1 / (1 + np.exp(-2.0)))
    _check_values(f, -2.0, 1 / (1 + np.exp(2.0)))
    _check_extremes(f, np.array([0.0, 0.0, 0.5, 1.0, 1.0]))
    _check_shape_and_no_mutation(f)
    all_passed()


def check_sigmoid_derivative(f):
    """Visible checks for sigmoid_derivative(x)."""
    tf = _tensorflow()
    _check_values(f, 0, 0.25)
    _check_against_autodiff(f, tf.sigmoid, "tf.sigmoid")
    _check_extremes(f, np.array([0.0, 0.0, 0.25, 0.0, 0.0]))
    _check_shape_and_no_mutation(f)
    all_passed()


def check_relu(f):
    """Visible checks for relu(x)."""
    _check_values(f, -2, 0.0)
    _check_values(f, 3, 3.0)
    _check_values(f, 0.0, 0.0)
    _check_shape_and_no_mutation(f)
    all_passed()


def check_relu_derivative(f):
    """Visible checks for relu_derivative(x)."""
    tf = _tensorflow()
    _check_values(f, 0, 1.0)  # the course's convention: relu'(0) = 1
    _check_values(f, -2, 0.0)
    _check_against_autodiff(f, tf.nn.relu, "tf.nn.relu")
    _check_shape_and_no_mutation(f)
    all_passed()


def check_leaky_relu(f):
    """Visible checks for leaky_relu(x, p)."""
    _check_values(f, -2, -0.2, args=(0.1,))
    _check_values(f, 3, 3.0, args=(0.1,))
    _check_values(f, 0, 0.0, args=(0.1,))
    _check_shape_and_no_mutation(f, args=(0.1,))
    all_passed()


def check_leaky_relu_derivative(f):
    """Visible checks for leaky_relu_derivative(x, p)."""
    tf = _tensorflow()
    p = 0.1
    _check_values(f, -1, 0.1, args=(p,))
    _check_values(f, 0, 1.0, args=(p,))  # the course's convention at 0
    _check_against_autodiff(
        f, lambda t: tf.nn.leaky_relu(t, alpha=p), "tf.nn.leaky_relu(alpha=0.1)", args=(p,)
    )
    _check_shape_and_no_mutation(f, args=(p,))
    all_passed()


def check_tanh(f):
    """Visible checks for tanh(x)."""
    _check_values(f, 0, 0.0)
    x = np.linspace(-5, 5, 11)
    _check_values(f, x, np.tanh(x), x_text="np.linspace(-5, 5, 11)")
    _check_extremes(f, np.array([-1.0, -1.0, 0.0, 1.0, 1.0]))
    _check_shape_and_no_mutation(f)
    all_passed()


def check_tanh_derivative(f):
    """Visible checks for tanh_derivative(x)."""
    tf = _tensorflow()
    _check_values(f, 0, 1.0)
    _check_against_autodiff(f, tf.tanh, "tf.tanh")
    _check_extremes(f, np.array([0.0, 0.0, 1.0, 0.0, 0.0]))
    _check_shape_and_no_mutation(f)
    all_passed()
