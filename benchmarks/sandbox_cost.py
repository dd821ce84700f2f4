"""What the sandbox costs: `nbgrader autograde` of the activations reference with and without it.

Both variants grade the same class (N copies of the reference submission) in the same run,
alternating, so the printed ratio compares like with like on whatever machine this is.
Run as root (the sandbox needs it):

    .venv/bin/python benchmarks/sandbox_cost.py [--students 4] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from autograder.classroom import Classroom

ASSIGNMENT = "activations"
VARIANTS = {"sandboxed": (), "no sandbox": ("--SandboxedKernelManager.sandbox=off",)}


def grade_once(classroom: Classroom, options: tuple[str, ...]) -> float:
    """Seconds for one full `nbgrader autograde --force` of the class."""
    started = time.perf_counter()
    classroom.nbgrader("autograde", ASSIGNMENT, "--force", "--create", *options)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=4, help="copies of the reference (default 4)")
    parser.add_argument("--repeats", type=int, default=3, help="gradings per variant (default 3)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        parser.exit(2, "sandbox_cost: run as root, the sandbox needs it\n")

    base = Path("/var/lib/autograder/benchmarks")  # not /tmp: a sandboxed kernel has a /tmp of its own
    base.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="sandbox-cost-", dir=base))
    root.chmod(0o755)
    try:
        classroom = Classroom(root)
        classroom.nbgrader("generate_assignment", ASSIGNMENT, "--force")
        reference = classroom.reference_cells(ASSIGNMENT)
        for number in range(args.students):
            classroom.submit(f"student{number:02d}", ASSIGNMENT, reference)

        times: dict[str, list[float]] = {name: [] for name in VARIANTS}
        scores: dict[str, set[float]] = {name: set() for name in VARIANTS}
        for _ in range(args.repeats):
            for name, options in VARIANTS.items():
                times[name].append(grade_once(classroom, options))
                scores[name] |= {row["total"] for row in classroom.scores(ASSIGNMENT).values()}

        print(f"autograde {ASSIGNMENT}: {args.students} reference submissions, {args.repeats} runs each")
        print(f"{'variant':<12} {'median s':>9} {'per notebook s':>15} {'runs':>30}   scores")
        for name, runs in times.items():
            median = statistics.median(runs)
            shown = ", ".join(f"{t:.1f}" for t in runs)
            print(
                f"{name:<12} {median:9.1f} {median / args.students:15.2f} {shown:>30}   {sorted(scores[name])}"
            )
        ratio = statistics.median(times["sandboxed"]) / statistics.median(times["no sandbox"])
        print(f"sandboxed / no sandbox = {ratio:.2f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
