"""The judge's own cost per notebook, and where it goes (issue #19, target 2).

For each assignment, N copies of the reference are graded by ``nbgrader autograde`` with the
judge; in the same run the floor is measured: a plain (unsandboxed) kernel started and the
same student cells run in it with nbclient, which is what any grading must do. The judge's
overhead per notebook is the autograde wall time per notebook minus that floor. The judge's
own record (the autograded notebook's ``autograder`` metadata) splits it: kernel start, the
student's cells, the hidden checks, and what nbgrader does around them (its passes, the
gradebook). Run as root on an otherwise idle machine:

    .venv/bin/python benchmarks/judge_overhead.py [--assignments activations convolution losses layers] [-n 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from autograder.classroom import Classroom
from autograder.verdict import is_test_cell

BENCH_ROOT = Path("/var/lib/autograder/benchmarks/overhead")
TARGET_SECONDS = 1.5


def floor_seconds(notebook: Path, course: Path, cell_timeout: int = 600) -> tuple[float, float]:
    """(kernel start, kernel start + student cells) for a plain kernel running the notebook's
    own cells, test cells left out. A cell that fails, or runs past ``cell_timeout`` seconds
    and is interrupted, counts as it ran, and the next cell runs (as the judge grades)."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells = [cell for cell in nb.cells if not (cell.cell_type == "code" and is_test_cell(cell))]
    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        interrupt_on_timeout=True,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(course)}},
    )
    started = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter() - started
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                try:
                    client.execute_cell(cell, index)
                except (CellTimeoutError, DeadKernelError):  # a hung or killed kernel: the rest is lost
                    break
    return ready, time.perf_counter() - started


def measure(assignment: str, copies: int) -> tuple[dict[str, float], list[tuple[float, str]]]:
    """Seconds per notebook by where they go, and the three slowest checks (mean seconds, name)."""
    root = BENCH_ROOT / assignment
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    root.chmod(0o755)
    classroom = Classroom(root)
    classroom.nbgrader("generate_assignment", assignment, "--force")
    reference = classroom.reference_cells(assignment)
    for index in range(copies):
        classroom.submit(f"student{index:02d}", assignment, reference)
    started = time.perf_counter()
    classroom.nbgrader("autograde", assignment, "--force", "--create")
    wall = (time.perf_counter() - started) / copies
    records = [
        json.loads(path.read_text())["metadata"]["autograder"]
        for path in sorted((root / "autograded").glob(f"*/{assignment}/*.ipynb"))
    ]
    judged = {
        key: statistics.mean(r[key] for r in records)
        for key, value in records[0].items()
        if key.startswith("seconds") and isinstance(value, (int, float))
    }
    by_check: dict[str, list[float]] = {}
    for record in records:
        for check, seconds in record.get("seconds_slowest_checks", {}).items():
            by_check.setdefault(check, []).append(seconds)
    slowest = sorted(((sum(s) / len(records), check) for check, s in by_check.items()), reverse=True)[:3]
    submitted = next((root / "submitted" / "student00" / assignment).glob("*.ipynb"))
    os.environ.update(classroom.env())  # the course's data caches, as the judge's kernel has them
    floors = [floor_seconds(submitted, root) for _ in range(copies)]
    plain_start = statistics.mean(f[0] for f in floors)
    plain_total = statistics.mean(f[1] for f in floors)
    return {
        "wall per notebook": wall,
        "floor (plain kernel + cells)": plain_total,
        "overhead": wall - plain_total,
        "kernel start (judge)": judged.get("seconds_kernel_start", float("nan")),
        "kernel start (plain)": plain_start,
        "cells (judge)": judged["seconds_cells"] - judged.get("seconds_kernel_start", float("nan")),
        "cells (plain)": plain_total - plain_start,
        "checks": judged["seconds_checks"],
        "  their own run times": judged.get("seconds_checks_own", float("nan")),
        "  pytest around them": judged["seconds_checks"] - judged.get("seconds_checks_own", float("nan")),
        "kernel stop": judged["seconds"] - judged["seconds_cells"] - judged["seconds_checks"],
        "nbgrader around the judge": wall - judged["seconds"],
    }, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--assignments", nargs="+", default=["activations", "convolution", "losses", "layers"]
    )
    parser.add_argument("-n", type=int, default=5, help="reference copies graded per assignment")
    args = parser.parse_args()
    measured = {assignment: measure(assignment, args.n) for assignment in args.assignments}
    results = {assignment: seconds for assignment, (seconds, _) in measured.items()}
    names = list(next(iter(results.values())))
    print(f"\nseconds per notebook, mean of {args.n} reference copies (2 cores)")
    print(f"{'':30}" + "".join(f"{a:>13}" for a in results))
    for name in names:
        print(f"{name:30}" + "".join(f"{results[a][name]:13.2f}" for a in results))
    print(f"{'overhead target':30}" + "".join(f"{'<= ' + str(TARGET_SECONDS):>13}" for _ in results))
    print("\nslowest checks per notebook (mean seconds; the rest of 'checks' is the other checks and pytest)")
    for assignment, (_, slowest) in measured.items():
        print(f"{assignment:14}" + "; ".join(f"{name} {seconds:.2f}" for seconds, name in slowest))


if __name__ == "__main__":
    main()
