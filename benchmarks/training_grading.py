"""How long `nbgrader autograde` takes for a training assignment, and how much of it is training.

For each assignment, one class with the reference submission is autograded by the real nbgrader
(sandbox, judge, hidden checks). The baseline, measured in the same run, is the same reference
notebook run top to bottom by plain nbclient in this process's kernel: no sandbox, no checks. The
training share comes from the execution timestamps nbclient writes into the autograded cells.
Run as root (the sandbox needs it):

    .venv/bin/python benchmarks/training_grading.py [--repeats 1] [assignment ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.classroom import Classroom

# The cells that train a network, per assignment, and the target for grading one reference.
TRAINING_CELLS = {
    "losses": ("train_with_custom_loss",),
    "layers": ("train_MLP",),
    "callbacks": ("run_training",),
    "first_network": ("train_linear", "train_classifier"),
    "cnn": ("train_cnn",),
    "training_loop": ("run_loop", "run_plain", "run_regularized"),
}
TARGET_SECONDS = {"cnn": 180.0}  # every other assignment: 90 s
DEFAULT_TARGET = 90.0


def cell_seconds(cell: nbformat.NotebookNode) -> float:
    """Seconds between a cell's execute_input and its reply, from nbclient's timing metadata."""
    timing = cell.metadata.get("execution", {})
    if "iopub.execute_input" not in timing or "shell.execute_reply" not in timing:
        return 0.0
    start, end = (
        datetime.fromisoformat(timing[key]) for key in ("iopub.execute_input", "shell.execute_reply")
    )
    return (end - start).total_seconds()


def plain_run(classroom: Classroom, assignment: str) -> float:
    """Seconds to run the reference notebook with plain nbclient (the baseline)."""
    folder = classroom.root / "source" / assignment  # the class's copy: files the notebook writes land there
    notebook = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
    started = time.perf_counter()
    client = NotebookClient(
        notebook, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return time.perf_counter() - started


def graded_run(classroom: Classroom, assignment: str) -> tuple[float, float, float]:
    """(wall seconds of `nbgrader autograde`, seconds in training cells, score) for the reference."""
    started = time.perf_counter()
    classroom.nbgrader("autograde", assignment, "--force", "--create")
    wall = time.perf_counter() - started
    notebook = classroom.autograded_notebook("reference", assignment)
    training = sum(
        cell_seconds(cell)
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("grade_id") in TRAINING_CELLS[assignment]
    )
    return wall, training, classroom.scores(assignment)["reference"]["total"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", default=list(TRAINING_CELLS), help="default: all")
    parser.add_argument("--repeats", type=int, default=1, help="gradings per assignment (default 1)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        parser.exit(2, "training_grading: run as root, the sandbox needs it\n")

    base = Path("/var/lib/autograder/benchmarks")  # not /tmp: a sandboxed kernel has a /tmp of its own
    base.mkdir(parents=True, exist_ok=True)
    print(
        f"{'assignment':<11} {'plain s':>8} {'graded s':>9} {'graded/plain':>13} {'training s':>11} "
        f"{'training share':>15} {'target s':>9} {'graded/target':>14} {'score':>6}"
    )
    for assignment in args.assignments:
        root = Path(tempfile.mkdtemp(prefix=f"training-{assignment}-", dir=base))
        root.chmod(0o755)
        try:
            classroom = Classroom(root)
            classroom.nbgrader("generate_assignment", assignment, "--force")
            classroom.submit("reference", assignment, classroom.reference_cells(assignment))
            plain = statistics.median(plain_run(classroom, assignment) for _ in range(args.repeats))
            runs = [graded_run(classroom, assignment) for _ in range(args.repeats)]
            wall = statistics.median(run[0] for run in runs)
            training = statistics.median(run[1] for run in runs)
            target = TARGET_SECONDS.get(assignment, DEFAULT_TARGET)
            print(
                f"{assignment:<11} {plain:8.1f} {wall:9.1f} {wall / plain:12.2f}x {training:11.1f} "
                f"{training / wall:14.0%} {target:9.0f} {wall / target:13.2f}x {runs[-1][2]:6g}"
            )
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
