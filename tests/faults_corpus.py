"""Hostile or broken activations submissions, graded in the same batch as the honest ones.

Each one attacks the machine, the batch or the other students (memory, processes,
output, network, files), or is a file that is not the notebook asked for. None of them
may stop the batch, change another student's grade or reach a secret; each gets a grade
row with what its real code earns and a reason in its feedback. (Infinite loops,
``os._exit`` and editing/deleting test cells are in ``activations_corpus.tampering``.)
"""

from __future__ import annotations

import json
from pathlib import Path

from corpus import Submission, autograde_points
from nbformat import NotebookNode

ALL_LOST = dict.fromkeys(autograde_points("activations"), 1.0)  # every graded cell, all of it
PLANTED = "planted-by-student.txt"

MEMORY_BOMB = """hog = []
while True:  # touches every page, so only a real memory cap stops it
    hog.append(b"x" * (256 * 2**20))
"""

DISPLAY_UPDATES = """
from IPython.display import display
for _ in range(1000):
    display("x", display_id="same")
display("y" * 1_000_000, display_id="same", update=True)
"""

FORK_BOMB = """import os
while True:
    os.fork()
"""

WRITE_EVERYWHERE = """
for _target in [{gradebook!r}, {submitted!r}, {root!r}, "../../{planted}", "/tmp/{planted}"]:
    try:
        with open(_target, "a") as _fh:
            _fh.write("planted")
        print("wrote", _target)
    except OSError as _error:
        print("could not write", _target, type(_error).__name__)
"""

READ_OTHER_STUDENT = """import json

_theirs = json.load(open({path!r}))  # the honest student's notebook, if the judge let us read it
for _cell in _theirs["cells"]:
    if _cell["cell_type"] == "code" and _cell["metadata"].get("nbgrader", {{}}).get("solution"):
        exec("".join(_cell["source"]))
"""


def delete_imports(notebook: NotebookNode) -> None:
    """Delete the locked cell that imports numpy (nbgrader restores edited cells, not deleted ones)."""
    notebook.cells = [
        c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "imports"
    ]


def edit_imports(notebook: NotebookNode) -> None:
    """Break the locked imports cell; nbgrader puts the released source back."""
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "imports":
            cell.source = "np = None  # who needs numpy"


def reverse_cells(notebook: NotebookNode) -> None:
    notebook.cells = notebook.cells[::-1]


def faults(course_root: str, reference: dict[str, str]) -> dict[str, Submission]:
    """The fault corpus; ``course_root`` is the course being graded, ``reference`` the correct cells."""
    root = Path(course_root)
    release = (root / "release" / "activations" / "activations.ipynb").read_bytes()
    relu_zero = "def relu_derivative(x):\n    x = np.asarray(x)\n    return np.where(x > 0, 1.0, 0.0)\n"
    return {
        "fault_memory_bomb": Submission(
            {"relu": MEMORY_BOMB + reference["relu"]},
            lost={"test_relu": 1.0},
            why="the cell is stopped by the memory cap (or, on a loaded machine, by the cell's time limit "
            "first) before it defines relu; everything else counts",
            feedback="not defined",
            cell_output=("relu", "MemoryError|ran longer than"),
        ),
        "fault_fork_bomb": Submission(
            {"relu": FORK_BOMB + reference["relu"]},
            lost={"test_relu": 1.0},
            why="the forks hit the kernel's shared memory cap, its process cap or the cell's time limit "
            "(which comes first depends on the machine's load) before relu is defined; the kernel is "
            "killed or restarted, or the cell fails, and grading goes on",
            feedback="not defined",
            cell_output=("relu", "memory limit|BlockingIOError|ran longer than"),
        ),
        "fault_sys_exit": Submission(
            {"relu": "import sys\nsys.exit()\n" + reference["relu"]},
            lost={"test_relu": 1.0},
            why="sys.exit() only ends the cell (SystemExit), before relu is defined",
            feedback="not defined",
            cell_output=("relu", "SystemExit"),
        ),
        "fault_segfault": Submission(
            {"relu": "import ctypes\nctypes.string_at(0)\n" + reference["relu"]},
            lost={"test_relu": 1.0},
            why="the segfault kills the kernel; it is restarted, earlier cells re-run, this cell skipped",
            feedback="not defined",
            cell_output=("relu", "the kernel died while running this cell"),
        ),
        "fault_100mb_output": Submission(
            {"relu": reference["relu"] + "\nfor _ in range(100):\n    print('x' * 1_000_000)\n"},
            why="output past the per-cell cap is dropped; the code itself is right",
            cell_output=("relu", "too much output"),
        ),
        "fault_display_updates": Submission(
            {"relu": reference["relu"] + DISPLAY_UPDATES},
            why="one 1 MB display update over 1,000 small displays of the same display_id would rewrite "
            "all of them (1,000 MB); it counts once per output it rewrites, and is dropped past the "
            "notebook's budget; the code itself is right",
            cell_output=("relu", "too much output"),
        ),
        "fault_socket": Submission(
            {
                "relu": reference["relu"]
                + "\nimport socket\nsocket.create_connection(('151.101.0.223', 443), timeout=5)\n"
            },
            why="the kernel has no network: the connection fails and the cell stops after relu is defined",
            cell_output=("relu", "Network is unreachable"),
        ),
        "fault_write_gradebook_and_parent": Submission(
            {
                "relu": reference["relu"]
                + WRITE_EVERYWHERE.format(
                    gradebook=str(root / "gradebook.db"),
                    submitted=str(root / "submitted" / "reference" / PLANTED),
                    root=str(root / PLANTED),
                    planted=PLANTED,
                )
            },
            why="every write outside the kernel's own directories is refused; the code itself is right",
            cell_output=("relu", "could not write " + str(root / "gradebook.db") + " PermissionError"),
        ),
        "fault_read_other_submission": Submission(
            {
                "sigmoid": READ_OTHER_STUDENT.format(
                    path=str(root / "submitted" / "reference" / "activations" / "activations.ipynb")
                )
            },
            lost=dict.fromkeys(
                ("test_sigmoid", "test_sigmoid_derivative", "test_tanh", "test_tanh_derivative"), 1.0
            ),
            why="submitted/ is private to the grader, so nothing is copied and sigmoid stays undefined; "
            "sigmoid_derivative, tanh and tanh_derivative (built on sigmoid) fail with it",
            feedback="not defined",
            feedback_cell="test_sigmoid",
            cell_output=("sigmoid", "PermissionError"),
        ),
        "fault_delete_locked_imports": Submission(
            {},
            lost=ALL_LOST,
            why="nbgrader restores edited locked cells but not deleted ones: without `import numpy as np` "
            "every function raises NameError",
            feedback="name 'np' is not defined",
            edit=delete_imports,
        ),
        "fault_edit_locked_imports": Submission(
            {},
            why="nbgrader restores the edited locked cell from the gradebook, so numpy is imported again",
            edit=edit_imports,
        ),
        "fault_invalid_json": Submission(
            {},
            lost=ALL_LOST,
            why="a truncated file is no notebook: every cell gets 0 with the reason, the batch goes on",
            feedback="is not a valid Jupyter notebook",
            files={"activations.ipynb": release[: len(release) // 2]},
        ),
        "fault_empty_file": Submission(
            {},
            lost=ALL_LOST,
            why="an empty file: every cell gets 0 with the reason",
            feedback="is empty",
            files={"activations.ipynb": b""},
        ),
        "fault_not_a_notebook": Submission(
            {},
            lost=ALL_LOST,
            why="valid JSON, but not a notebook",
            feedback="is not a valid Jupyter notebook",
            files={"activations.ipynb": json.dumps({"answer": 42}).encode()},
        ),
        "fault_wrong_name": Submission(
            {"relu_derivative": relu_zero},
            lost={"test_relu_derivative": 0.75},
            why="the only notebook in the folder is graded in place of the missing activations.ipynb "
            "(relu'(0) = 0 costs what it always does), and the feedback says so",
            feedback="was graded instead",
            feedback_cell="test_sigmoid",
            rename_to="Activations (1).ipynb",
        ),
        "fault_extra_notebook": Submission(
            {},
            why="a notebook the assignment does not have is skipped; activations.ipynb is graded as usual",
            files={"scratch.ipynb": release},
        ),
        "fault_cells_reordered": Submission(
            {},
            why="cells run in the order handed in (functions first, imports last); the hidden checks run "
            "afterwards, when everything is defined",
            edit=reverse_cells,
        ),
    }
