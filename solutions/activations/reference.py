"""Reference solution for the ``activations`` assignment (never shown to students).

Every function accepts a Python scalar or a NumPy array of any shape (also
0-d and empty), never modifies its input, and returns a NumPy array of the
same shape. This one keeps float32 input float32 and turns integer input into
float64; the result's dtype is not graded, its values are (to float32 precision).

Each function (signature, docstring and body) is copied verbatim into its
solution cell in ``source/activations/activations.ipynb``, with the body
between ``### BEGIN SOLUTION`` and ``### END SOLUTION``; keep the two identical.
"""

import numpy as np


def sigmoid(x):
    """Sigmoid σ(x) = 1 / (1 + e^(-x)), elementwise, numerically stable.

    x: Python int/float, or float32/float64 NumPy array of any shape (also 0-d, empty).
    Returns a float NumPy array of the same shape (any float dtype); x is not modified.
    No overflow warning, NaN or inf for |x| up to 1e4.
    """
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    # exp(-|x|) lies in (0, 1], so it can never overflow, even for |x| = 1e4.
    z = np.exp(-np.abs(x))
    # x >= 0:  1 / (1 + e^-x)
    # x <  0:  e^x / (1 + e^x)   (same value, multiply top and bottom by e^x)
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_derivative(x):
    """Derivative of the sigmoid at the input x: σ'(x) = σ(x) * (1 - σ(x)).

    x: Python int/float, or float32/float64 NumPy array of any shape (also 0-d, empty).
    Returns a float NumPy array of the same shape (any float dtype); x is not modified.
    No overflow warning, NaN or inf for |x| up to 1e4.
    """
    x = np.asarray(x)
    s = sigmoid(x)
    return s * (1 - s)


def relu(x):
    """ReLU (rectified linear unit): max(0, x), elementwise.

    x: Python int/float, or float32/float64 NumPy array of any shape (also 0-d, empty).
    Returns a float NumPy array of the same shape (any float dtype); x is not modified.
    """
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    return np.where(x >= 0, x, 0)


def relu_derivative(x):
    """Derivative of ReLU: 1 where x >= 0 (relu'(0) = 1 by convention), 0 elsewhere.

    x: Python int/float, or float32/float64 NumPy array of any shape (also 0-d, empty).
    Returns a float NumPy array of the same shape (any float dtype); x is not modified.
    """
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    return (x >= 0).astype(x.dtype)


def leaky_relu(x, p):
    """Leaky ReLU with slope p (a float, e.g. 0.1): x where x >= 0, p * x elsewhere.

    x: Python int/float, or float32/float64 NumPy array of any shape (also 0-d, empty).
    Returns a float NumPy array of the same shape (any float dtype); x is not modified.
    """
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    return np.where(x >= 0, x, p * x)


def leaky_relu_derivative(x, p):
    """Derivative of leaky ReLU: 1 where x >= 0 (convention at 0), p elsewhere.

    x: Python int/float, or float32/float64 NumPy array of any shape (also 0-d, empty).
    Returns a float NumPy array of the same shape (any float dtype); x is not modified.
    """
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        x = x.astype(np.float64)
    return np.where(x >= 0, 1, p).astype(x.dtype)


def tanh(x):
    """tanh(x), built from the sigmoid: tanh(x) = 2 * σ(2x) - 1 (do not call np.tanh).

    x: Python int/float, or float32/float64 NumPy array of any shape (also 0-d, empty).
    Returns a float NumPy array of the same shape (any float dtype); x is not modified.
    No overflow warning, NaN or inf for |x| up to 1e4.
    """
    x = np.asarray(x)
    return 2 * sigmoid(2 * x) - 1


def tanh_derivative(x):
    """Derivative of tanh at the input x: tanh'(x) = 1 - tanh(x)**2.

    x: Python int/float, or float32/float64 NumPy array of any shape (also 0-d, empty).
    Returns a float NumPy array of the same shape (any float dtype); x is not modified.
    No overflow warning, NaN or inf for |x| up to 1e4.
    """
    x = np.asarray(x)
    t = tanh(x)
    return 1 - t**2
