"""The demo class (``bin/demo``, ``autograder demo``) on this assignment: what each student hands in.

ada hands in the reference solution, ben hands back the release notebook untouched, chen makes two
classic mistakes, and dana solves two functions and then tries to blank the graded cells with an input
transformer (which earns full marks from stock nbgrader).
"""

BUGS = {
    # the textbook sigmoid overflows for large negative x; relu'(0) taken as 0
    "sigmoid": "def sigmoid(x):\n    x = np.asarray(x)\n    return 1 / (1 + np.exp(-x))\n",
    "relu_derivative": "def relu_derivative(x):\n    return np.where(np.asarray(x) > 0, 1.0, 0.0)\n",
}
TAMPERING = {
    "relu": "def relu(x):\n    return 0\n"
    "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n",
}
STORY = (
    "ada: reference solution; ben: untouched release notebook; chen: overflowing sigmoid and\n"
    "relu'(0) = 0; dana: solved sigmoid and its derivative, then blanked all later cells with an\n"
    "input transformer (stock nbgrader gives that full marks; here it earns what it solved)."
)


def submissions(reference: dict[str, str]) -> dict[str, dict[str, str]]:
    """Solution cells by grade_id for each demo student ({} hands back the release notebook)."""
    return {
        "ada": reference,
        "ben": {},
        "chen": {**reference, **BUGS},
        "dana": {**reference, **TAMPERING},
    }
