"""Submissions for the ``activations`` assignment with the exact scores they must get.

Each submission starts from the reference solution (every solution cell correct) and
replaces some cells, so its expected scores are the full points except where it says.
The reason for every lost point is written next to it.
"""

from __future__ import annotations

from corpus import BLANK_LATER_CELLS, Submission, autograde_points

# About how long this corpus's CI batch grades (seconds, beside another batch): longest start first.
BATCH_SECONDS = 213

FULL = autograde_points("activations")  # points per graded cell, from the source notebook


# Correct solutions written differently from the reference, from the notebook's words: each must get
# full marks. Every cell of a submission is replaced, so none leans on the reference's other functions.
SEED_NOTES_STYLE = {  # the course notes' formulas and in-place masks on a copy, made stable by masking
    "sigmoid": "def sigmoid(x):\n    x = np.asarray(x, dtype=float)\n    out = np.empty_like(x)\n"
    "    pos = x >= 0\n    out[pos] = 1 / (1 + np.exp(-x[pos]))\n    e = np.exp(x[~pos])\n"
    "    out[~pos] = e / (1 + e)\n    return out\n",
    "sigmoid_derivative": "def sigmoid_derivative(x):  # sigmoid 导数的计算\n"
    "    return sigmoid(x)*(1-sigmoid(x))\n",
    "relu": "def relu(x):\n    return np.maximum(0, np.asarray(x, dtype=float))\n",
    "relu_derivative": "def relu_derivative(x):  # ReLU 函数的导数\n"
    "    d = np.array(x, dtype=float, copy=True)  # 用于保存梯度的张量\n"
    "    d[x < 0] = 0  # 元素为负的导数为 0\n    d[x >= 0] = 1  # 元素为正的导数为 1\n    return d\n",
    "leaky_relu": "def leaky_relu(x, p):\n    x = np.asarray(x, dtype=float)\n    return np.where(x < 0, p * x, x)\n",
    "leaky_relu_derivative": "def leaky_relu_derivative(x, p):\n    x = np.asarray(x, dtype=float)\n"
    "    dx = np.ones_like(x)  # 创建梯度张量，全部初始化为 1\n    dx[x < 0] = p  # 元素为负的导数为 p\n"
    "    return dx\n",
    "tanh": "def tanh(x):  # tanh 函数实现\n    return 2*sigmoid(2*np.asarray(x, dtype=float)) - 1\n",
    "tanh_derivative": "def tanh_derivative(x):  # tanh 导数实现\n    return 1-tanh(x)**2\n",
}
FLOAT32_ARITHMETIC = {  # Keras's default precision for every input, boolean-mask arithmetic, np.maximum
    "sigmoid": "def sigmoid(x):\n    x = np.asarray(x, dtype=np.float32)\n    z = np.exp(-np.abs(x))\n"
    "    return np.where(x >= 0, 1, z) / (1 + z)\n",
    "sigmoid_derivative": "def sigmoid_derivative(x):\n    s = sigmoid(x)\n    return s - s * s\n",
    "relu": "def relu(x):\n    x = np.asarray(x, dtype=np.float32)\n    return x * (x > 0)\n",
    "relu_derivative": "def relu_derivative(x):\n    return (np.asarray(x, dtype=np.float32) >= 0) * 1.0\n",
    "leaky_relu": "def leaky_relu(x, p):\n    x = np.asarray(x, dtype=np.float32)\n    return np.maximum(x, p * x)  # 0 < p < 1\n",
    "leaky_relu_derivative": "def leaky_relu_derivative(x, p):\n    x = np.asarray(x, dtype=np.float32)\n"
    "    return np.where(x >= 0, 1.0, p)\n",
    "tanh": "def tanh(x):\n    return 2 * sigmoid(2 * np.asarray(x, dtype=np.float32)) - 1\n",
    "tanh_derivative": "def tanh_derivative(x):\n    s = sigmoid(2 * np.asarray(x, dtype=np.float32))\n"
    "    return 4 * s * (1 - s)  # = 1 - tanh(x)**2\n",
}
CLIP_AND_SUBGRADIENT = {  # overflow avoided by clipping; np.heaviside; the derivative from its formula
    "sigmoid": "def sigmoid(x):\n    x = np.asarray(x, dtype=np.float64)\n"
    "    return 1 / (1 + np.exp(-np.clip(x, -500, 500)))\n",
    "sigmoid_derivative": "def sigmoid_derivative(x):\n    z = np.exp(-np.abs(np.asarray(x, dtype=np.float64)))\n"
    "    return z / (1 + z) ** 2\n",
    "relu": "def relu(x):\n    x = np.asarray(x) + 0.0  # a float copy, also for integer input\n"
    "    return np.where(x >= 0, x, 0.0)\n",
    "relu_derivative": "def relu_derivative(x):\n    return np.heaviside(np.asarray(x, dtype=float), 1.0)\n",
    "leaky_relu": "def leaky_relu(x, p):\n    x = np.asarray(x, dtype=float)\n    return x * np.where(x >= 0, 1.0, p)\n",
    "leaky_relu_derivative": "def leaky_relu_derivative(x, p):\n"
    "    return np.where(np.asarray(x) >= 0, 1.0, p).astype(float)\n",
    "tanh": "def tanh(x):\n    x = np.asarray(x, dtype=float)\n    return 2.0 * sigmoid(2.0 * x) - 1.0\n",
    "tanh_derivative": "def tanh_derivative(x):\n    t = tanh(x)\n    return (1 - t) * (1 + t)\n",
}
FAITHFUL = {
    "faithful_seed_notes_style": Submission(
        SEED_NOTES_STYLE,
        why="the course notes' own formulas (σ(1−σ), 1−tanh², a copy with d[x < 0] = 0, ones_like with "
        "dx[x < 0] = p) with the sigmoid made stable by computing each sign's branch on its own elements",
    ),
    "faithful_float32_arithmetic": Submission(
        FLOAT32_ARITHMETIC,
        why="computes everything in float32 (Keras's precision) also for float64 input, with (x > 0) * x, "
        "np.maximum(x, p * x) and 4σ(2x)(1 − σ(2x)); the notebook grades values to float32 precision and "
        "not the dtype (np.where(x >= 0, 1.0, p) is float64)",
    ),
    "faithful_clip_and_subgradient": Submission(
        CLIP_AND_SUBGRADIENT,
        why="a clipped exponent instead of e^(−|x|), np.heaviside(x, 1) for relu', x · slope for leaky "
        "relu, σ' as e^(−|x|)/(1 + e^(−|x|))² and (1 − t)(1 + t)",
    ),
}


WRONG = {  # each starts from the reference and replaces the cells it names
    "relu_derivative_zero_at_zero": Submission(
        {"relu_derivative": "def relu_derivative(x):\n    return np.where(np.asarray(x) > 0, 1.0, 0.0)\n"},
        lost={"test_relu_derivative": 0.75},
        why="relu'(0) must be 1: the values, shape and no-mutation checks all meet x = 0 (and every check "
        "compares values); only the extremes check (|x| >= 20) passes",
        feedback="wrong value at index",
    ),
    "naive_sigmoid_overflows": Submission(
        {"sigmoid": "def sigmoid(x):\n    x = np.asarray(x)\n    return 1 / (1 + np.exp(-x))\n"},
        lost={
            "test_sigmoid": 0.25,
            "test_sigmoid_derivative": 0.25,
            "test_tanh": 0.25,
            "test_tanh_derivative": 0.25,
        },
        why="np.exp(-x) overflows for x <= -710 (float64) with a RuntimeWarning; sigmoid_derivative, tanh "
        "and tanh_derivative call this sigmoid, so each loses its extremes check",
        feedback="overflow",
    ),
    "relu_derivative_mutates_input": Submission(
        {
            "relu_derivative": "def relu_derivative(x):\n    x = np.asarray(x)\n    x[x >= 0] = 1\n"
            "    x[x < 0] = 0\n    return x\n"
        },
        lost={"test_relu_derivative": 0.25},
        why="the values are right, but writing into x changes the caller's array: only the no-mutation "
        "check fails",
        feedback="changed its input array",
    ),
    "sigmoid_derivative_of_output": Submission(
        {"sigmoid_derivative": "def sigmoid_derivative(x):\n    s = sigmoid(x)\n    return s * (1 - x)\n"},
        lost={"test_sigmoid_derivative": 1.0},
        why="σ'(x) = σ(x)(1 − x) is wrong on every input except x = 0, so no check passes",
        feedback="wrong value at index",
    ),
    "tanh_derivative_without_square": Submission(
        {"tanh_derivative": "def tanh_derivative(x):\n    return 1 - tanh(x)\n"},
        lost={"test_tanh_derivative": 1.0},
        why="1 − tanh(x) differs from 1 − tanh(x)² except where tanh(x) is 0 or 1",
        feedback="wrong value at index",
    ),
    "leaky_derivative_slope_at_zero": Submission(
        {
            "leaky_relu_derivative": "def leaky_relu_derivative(x, p):\n"
            "    return np.where(np.asarray(x) > 0, 1.0, p)\n"
        },
        lost={"test_leaky_relu_derivative": 0.75},
        why="the convention is slope 1 at x = 0; as for relu'(0), only the extremes check never meets 0",
        feedback="wrong value at index",
    ),
    "leaky_relu_hard_coded_slope": Submission(
        {
            "leaky_relu": "def leaky_relu(x, p):\n    x = np.asarray(x)\n    return np.where(x >= 0, x, 0.01 * x)\n"
        },
        lost={"test_leaky_relu": 1.0},
        why="ignores p; every check uses slopes other than 0.01 on negative inputs",
        feedback="wrong value at index",
    ),
    "relu_returns_list": Submission(
        {"relu": "def relu(x):\n    return np.maximum(x, 0).tolist()\n"},
        lost={"test_relu": 1.0},
        why="tolist() returns a list (a float for 0-d input); values of an empty (0, 3) array come back as "
        "[] of shape (0,), so every check, which all compare values, fails",
        feedback="shape",
    ),
    "relu_in_place": Submission(
        {"relu": "def relu(x):\n    x = np.asarray(x)\n    x[x < 0] = 0\n    return x\n"},
        lost={"test_relu": 0.25},
        why="correct values, but it zeroes the caller's negative entries: the no-mutation check fails",
        feedback="changed its input array",
    ),
}


def _all_lost(*cells: str) -> dict[str, float]:
    return dict.fromkeys(cells, 1.0)


STEAL_HELPER = '''import gc
import sys


def _steal(name):
    """Look for a grader or reference module's function of the same name in this kernel."""
    for module_name, module in list(sys.modules.items()):
        if any(word in module_name for word in ("solution", "reference", "autograder", "judge", "grader")):
            found = getattr(module, name, None)
            if callable(found):
                return found
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, "__name__", None) == name and getattr(obj, "__module__", None) not in (None, "__main__"):
            return obj
    raise LookupError(f"nothing called {name} to steal")
'''

READ_HELPER = """import os
import autograder

_stolen = {{}}
_checkout = os.path.dirname(os.path.dirname(autograder.__file__))  # where the grader's package lives
for _path in ["{root}/solutions/activations/reference.py", "{root}/source/activations/activations.ipynb",
              "{root}/gradebook.db", "{root}/tests/activations_corpus.py",
              _checkout + "/solutions/activations/reference.py", _checkout + "/.git/config"]:
    try:
        exec(open(_path).read(), _stolen)
        break
    except Exception as error:
        print("could not read", _path, type(error).__name__)
"""

UNINTERRUPTIBLE_LOOP = """
import time
while True:
    try:
        time.sleep(0.5)
    except KeyboardInterrupt:
        pass
"""

FUNCTION_NAMES = [name.removeprefix("test_") for name in FULL]


def delete_and_edit_graded_cells(notebook) -> None:
    """Delete the sigmoid test cell; give the relu test cell 100 points and a harmless body."""
    notebook.cells = [
        c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_sigmoid"
    ]
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_relu":
            cell.metadata["nbgrader"]["points"] = 100
            cell.source = "print('all checks passed')"


def tampering(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """Submissions that try to earn points they did not solve; ``reference`` is the correct cells."""
    stubs_after_sigmoid = {
        name: f"def {name}(x, p=None):\n    return x\n" for name in FUNCTION_NAMES if "sigmoid" not in name
    }
    return {
        "tamper_input_transformer": Submission(
            {"relu": "def relu(x):\n    return 0\n" + BLANK_LATER_CELLS},
            lost=_all_lost(*[f"test_{n}" for n in FUNCTION_NAMES if "sigmoid" not in n]),
            why="the transformer blanks every later cell, so the functions after relu are never defined; "
            "the judge never runs test cells in the kernel, so only sigmoid and sigmoid_derivative, solved "
            "before the trick, earn points",
            feedback="not defined",
            feedback_cell="test_relu_derivative",
        ),
        "tamper_monkeypatch_numpy_and_builtins": Submission(
            {
                **stubs_after_sigmoid,
                "relu": "import builtins\nimport numpy.testing\n"
                "np.allclose = lambda *a, **k: True\n"
                "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), dtype=bool)\n"
                "np.array_equal = lambda *a, **k: True\n"
                "numpy.testing.assert_allclose = lambda *a, **k: None\n"
                "numpy.testing.assert_array_equal = lambda *a, **k: None\n"
                "builtins.all = lambda *a: True\n"
                "builtins.any = lambda *a: True\n"
                "def relu(x, p=None):\n    return x\n",
            },
            lost=_all_lost(*[f"test_{n}" for n in FUNCTION_NAMES if "sigmoid" not in n]),
            why="comparisons happen in the grader process, so patching numpy or builtins in the kernel "
            "changes nothing; the stubs (return x) earn nothing",
            feedback="wrong value at index",
        ),
        "tamper_steal_from_modules": Submission(
            {"sigmoid": STEAL_HELPER + "\n\ndef sigmoid(x):\n    return _steal('sigmoid')(x)\n"}
            | {
                name: f"def {name}(*args):\n    return _steal({name!r})(*args)\n"
                for name in FUNCTION_NAMES
                if name != "sigmoid"
            },
            lost=_all_lost(*FULL),
            why="no reference or grader module with these functions is ever loaded in the student's kernel",
            feedback="LookupError",
        ),
        "tamper_read_solutions": Submission(
            {
                "sigmoid": READ_HELPER.format(root=course_root)
                + "\n\ndef sigmoid(x):\n    return _stolen['sigmoid'](x)\n"
            }
            | {
                name: f"def {name}(*args):\n    return _stolen[{name!r}](*args)\n"
                for name in FUNCTION_NAMES
                if name != "sigmoid"
            },
            lost=_all_lost(*FULL),
            why="the kernel runs as an unprivileged user; solutions/, source/, tests/, .git and the gradebook "
            "are private to root, in the course being graded and in the checkout the grader runs from",
            feedback="KeyError",
        ),
        "tamper_kill_own_kernel": Submission(
            {
                "relu": reference["relu"] + "\nimport os\nos._exit(0)\n",
                "tanh_derivative": reference["tanh_derivative"]
                + "\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n",
            },
            lost=_all_lost("test_relu", "test_tanh_derivative"),
            why="each cell that kills the kernel is skipped after a restart (the cells before it are re-run), "
            "so relu and tanh_derivative are not defined; everything else was solved and counts",
            feedback="not defined",
        ),
        "tamper_edit_graded_cells": Submission(
            {},
            lost={"test_sigmoid": 1.0},
            why="nbgrader restores an edited locked cell (points and source) from the gradebook, so relu "
            "is graded as usual and earns its 1 point, not 100; a deleted test cell is not restored and "
            "scores 0 although sigmoid is correct",
            feedback="score 1 of 1",
            feedback_cell="test_relu",
            edit=delete_and_edit_graded_cells,
        ),
        "tamper_infinite_loops": Submission(
            {
                "relu_derivative": "def relu_derivative(x):\n    while True:\n        pass\n",
                "leaky_relu": reference["leaky_relu"] + UNINTERRUPTIBLE_LOOP,
            },
            lost=_all_lost("test_relu_derivative", "test_leaky_relu"),
            why="relu_derivative never returns (each call times out); the leaky_relu cell ignores the "
            "interrupt, so the kernel is restarted and that cell skipped; the rest is graded",
            feedback="took too long",
        ),
    }


def corpus(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """Every submission of this assignment's corpus by student id, the hostile ones of faults_corpus too."""
    import faults_corpus

    return {
        **FAITHFUL,
        **WRONG,
        **tampering(course_root, reference),
        **faults_corpus.faults(course_root, reference),
    }
