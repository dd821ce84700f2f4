"""How long the reference's cells take: the measurement an assignment's time limits are set from.

Runs each source notebook (the reference, visible checks included) top to bottom in a plain
kernel and prints every code cell's seconds, slowest first, and the total. An author setting
``solutions/<assignment>/grading.toml`` leaves room above these for a slow machine and for two
notebooks graded at once on two cores. Run on an otherwise idle machine:

    .venv/bin/python benchmarks/reference_cell_times.py [activations convolution ...]
"""

from __future__ import annotations

import argparse
import time

import nbformat
from nbclient import NotebookClient

from autograder import assignments
from autograder.classroom import repo_root


def cell_seconds(assignment: assignments.Assignment) -> list[tuple[float, str]]:
    """(seconds, grade_id or cell number) for every code cell of the source notebook, in order."""
    notebook = nbformat.read(assignment.source_notebook, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=3600,
        kernel_name="python3",
        resources={"metadata": {"path": str(assignment.source_notebook.parent)}},
    )
    seconds = []
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            started = time.monotonic()
            client.execute_cell(cell, index)
            name = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {index}")
            seconds.append((time.monotonic() - started, name))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every assignment of the course")
    args = parser.parse_args()
    found = assignments.find(repo_root())
    for name in args.assignments or found:
        seconds = cell_seconds(found[name])
        slowest = ", ".join(f"{cell} {s:.1f} s" for s, cell in sorted(seconds, reverse=True)[:3])
        print(f"{name}: all cells {sum(s for s, _ in seconds):.1f} s; slowest: {slowest}")


if __name__ == "__main__":
    main()
