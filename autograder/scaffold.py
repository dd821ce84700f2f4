"""``autograder new <name>``: a new assignment, every file it needs, ready to grade.

The scaffold is a complete small assignment (one graded function, ``scale(x, factor)``) that an author
then turns into the real exercise: the source notebook (points in its nbgrader metadata, Chinese first
with English beside it), and in ``solutions/<name>/`` the reference, a hidden check with hypothesis, the
check's texts in both languages and the grading limits; with a ``tests/`` folder, a corpus with one
faithful variant and one realistic wrong submission. ``nbgrader generate_assignment <name>`` then makes
the release, and its reference grades full, its release 0.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.assignments import is_name

REFERENCE = '''def scale(x, factor=2.0):
    """x multiplied by factor, elementwise.

    x: a Python number or a NumPy array of any shape. Returns a NumPy array of x's shape.
    """
    ### BEGIN SOLUTION
    return np.asarray(x) * factor
    ### END SOLUTION
'''

FILES = {
    "solutions/{name}/__init__.py": '''"""The ``{name}`` assignment: reference solution and hidden checks."""
''',
    "solutions/{name}/reference.py": '''"""Reference solution for ``{name}`` (never shown to students).

Each function is copied verbatim into its solution cell in ``source/{name}/{name}.ipynb``, with the
body between ``### BEGIN SOLUTION`` and ``### END SOLUTION``; keep the two identical.
"""

import numpy as np


'''
    + REFERENCE.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION\n", ""),
    "solutions/{name}/test_{name}.py": '''"""Hidden checks for ``{name}``: run in the grader, they reach the student's kernel only through
``student.call`` and compare with the reference."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.checks import check, expect_array_like_input, expect_close
from solutions.{name} import reference

SHAPES = hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=4)
ARRAYS = hnp.arrays(np.float64, SHAPES, elements=st.floats(-1e3, 1e3))
FACTORS = st.floats(-10, 10)


@check(cell="test_scale", weight=2, title="values")
@given(x=ARRAYS, factor=FACTORS)
@example(x=np.array([1.0, -2.0]), factor=0.5)
def test_values(student, x, factor):
    expect_close(student.call("scale", x, factor).value, reference.scale(x, factor), input=x)


@check(cell="test_scale", title="default_factor")
@given(x=ARRAYS)
def test_default_factor(student, x):
    got = student.call("scale", x).value
    expect_array_like_input(got, input=x)
    expect_close(got, reference.scale(x), input=x)
''',
    "solutions/{name}/texts.py": '''"""What the ``{name}`` checks say, in Chinese and English: their titles and failure messages."""

from autograder.feedback import ENGINE_TEXTS

MESSAGES: dict[str, dict[str, str]] = {{}}

TITLES: dict[str, dict[str, str]] = {{
    "values": {{"zh": "任意 factor 下的取值", "en": "values for any factor"}},
    "default_factor": {{
        "zh": "默认 factor 为 2.0，返回形状与输入相同的数组",
        "en": "default factor 2.0, an array of x's shape",
    }},
}}

TEXTS = ENGINE_TEXTS.extended(MESSAGES, TITLES)
''',
    "solutions/{name}/grading.toml": """# Grading limits for `{name}` (autograder/assignments.py). Measure the reference's cells with
# `.venv/bin/python benchmarks/reference_cell_times.py {name}` and leave room for a slow machine and two
# notebooks graded at once; a value in nbgrader_config.py or on the command line wins over these.

[JudgeExecute]
timeout = 15  # seconds per student cell
notebook_timeout = 120  # seconds for all of a notebook's cells
checks_timeout = 120  # seconds for the notebook's hidden checks
call_timeout = 5  # seconds per call from a check into the student's kernel

[SandboxedKernelManager]
memory_limit = "4G"
# what the notebook imports: the kernel started ahead of this notebook has it ready
preload = ["numpy"]
""",
}
CORPUS = '''"""Submissions for ``{name}`` with the scores they must get: every hidden check fails on at least
one realistic wrong submission, and faithful variants get full marks."""

from __future__ import annotations

from corpus import Submission

FAITHFUL = {{
    "{name}_multiply_in_a_loop": Submission(
        {{"scale": "def scale(x, factor=2.0):\\n    x = np.array(x, dtype=float)\\n"
                   "    for i in np.ndindex(x.shape):\\n        x[i] = x[i] * factor\\n    return x\\n"}},
        why="a loop over the elements, spelled differently, same values",
    ),
}}
WRONG = {{
    "{name}_ignores_factor": Submission(
        {{"scale": "def scale(x, factor=2.0):\\n    return np.asarray(x) * 2.0\\n"}},
        lost={{"test_scale": 2 / 3}},  # the share of the cell lost: the values check, weight 2 of 3
        why="always doubles: right for the default factor only",
    ),
}}


def corpus(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """Every submission of this assignment's corpus by student id."""
    return {{**FAITHFUL, **WRONG}}
'''
POINTS = 3


def notebook(name: str) -> nbformat.NotebookNode:
    """The source notebook: what the exercise teaches, its task, the solution cell and a graded cell."""

    def meta(grade_id: str, *, grade: bool = False, solution: bool = False, points: int = 0) -> dict:
        fields = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3}
        fields |= {"solution": solution, "task": False} | ({"points": points} if grade else {})
        return {"nbgrader": fields}

    return new_notebook(
        cells=[
            new_markdown_cell(
                f"# {name}\n\n"
                "写一个函数 `scale(x, factor=2.0)`：把 `x` 的每个元素乘以 `factor`，返回与 `x` 形状相同的 "
                "NumPy 数组。\n\n"
                "> Write a function `scale(x, factor=2.0)` that multiplies every element of `x` by `factor` "
                "and returns a NumPy array of `x`'s shape.",
                metadata=meta("intro"),
            ),
            new_code_cell("import numpy as np", metadata=meta("imports")),
            new_code_cell(REFERENCE.rstrip("\n"), metadata=meta("scale", solution=True)),
            new_code_cell(
                "# 可见检查：运行这个单元格。评分程序还会运行隐藏检查。\n"
                "# Visible checks: run this cell. The grader also runs hidden checks.\n"
                'assert np.allclose(scale(np.array([1.0, -2.0]), 0.5), [0.5, -1.0]), "scale([1, -2], 0.5) 应为 '
                '[0.5, -1] / should be [0.5, -1]"\n'
                'print("✓ 可见检查通过 / visible checks passed")',
                metadata=meta("test_scale", grade=True, points=POINTS),
            ),
        ],
        metadata={
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )


def new_assignment(course_root: Path, name: str) -> list[Path]:
    """Write the new assignment ``name`` into the course; the files written, in the order to read them.

    Refuses a name that cannot be an assignment's (lower case, a Python name, not a keyword, not one of
    autograder.visible's shared modules) and one whose files any exist; writes nothing then."""
    course_root = Path(course_root)
    if not is_name(name):
        raise ValueError(
            f"{name!r}: an assignment name is lower-case letters, digits and _, a Python name that is not a "
            "keyword, 'messages' or 'report'"
        )
    texts = {
        course_root / "source" / name / f"{name}.ipynb": nbformat.writes(notebook(name)) + "\n",
        **{
            course_root / template.format(name=name): text.format(name=name)
            for template, text in FILES.items()
        },
    }
    if (course_root / "tests").is_dir():
        texts[course_root / "tests" / f"{name}_corpus.py"] = CORPUS.format(name=name)
    taken = [path for path in [*texts, course_root / "solutions" / name] if path.exists()]
    if taken:
        raise ValueError(f"the course already has an assignment {name!r} ({taken[0]} exists)")
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(texts)
