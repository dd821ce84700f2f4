"""Grading a whole class: plain nbgrader, nbgrader with the judge, and `autograder autograde`.

A synthetic class of N students is made from the test corpora, a realistic mix: reference-like
(the reference with a comment of the student's own, so not a byte-identical copy), partly
wrong (the corpus's classic mistakes), blank (the release handed back), tampering, broken
files (not JSON, empty) and exact duplicates of earlier students. The same class is graded
in one run by

* plain nbgrader, serially (the baseline): nbgrader 0.9.6's own ``Execute``, the release's
  visible-check cells run as the graded test cells inside the student's kernel, unsandboxed:
  what a course on stock nbgrader does, insecure but the speed a TA knows;
* ``nbgrader autograde`` with the judge (this course's configuration), serially;
* ``autograder autograde --jobs 2 --no-cache``;
* ``autograder autograde --dask --jobs 2 --no-cache`` (a local Dask cluster of 2 workers),

and the floor under any of them: each submission's own cells run in a plain kernel (started
for it, as every grader must), one after another, nothing checked. No judge that runs the
student's cells can grade serially in less, nor on 2 cores in less than half of it; when the
floor alone is over a target's ratio, that target cannot be reached by grading faster (``--part
floor`` measures plain nbgrader and the floor only). And a second class, half of it duplicates,
is graded by the judge serially and by ``autograder autograde --jobs 2`` with an empty cache. It prints wall times, their ratios to the plain baseline (the
cache rows: to the judge serially on that class), and whether every gradebook row is identical
to the judge's serial run. Run as root (the sandbox needs it), on an otherwise idle machine:

    .venv/bin/python benchmarks/class_grading.py [--assignment activations] [--students 40] [--part all]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import CORPORA
from judge_overhead import floor_seconds
from test_batch import gradebook_rows, sqlite

from autograder import assignments
from autograder.classroom import Classroom

# Issue #19's targets against plain nbgrader (the cache row: against the judge, serially).
TARGETS = {"nbgrader autograde with the judge, serial": 0.7, "jobs 2, no cache": 0.35,
           "jobs 2, cache, 50% duplicates": 0.35}  # fmt: skip
# Stock nbgrader's configuration: its own Execute, in the student's kernel.
PLAIN_CONFIG = "c = get_config()\nc.CourseDirectory.root = __import__('os').path.dirname(__file__) or '.'\n"
BENCH_ROOT = Path("/var/lib/autograder/benchmarks")


def synthetic_class(
    root: Path, assignment: str, students: int, duplicates: float, seed: int = 0
) -> Classroom:
    """A course in ``root`` with ``students`` submissions, ``duplicates`` of them exact copies."""
    rng = random.Random(seed)
    classroom = Classroom(root)
    classroom.nbgrader("generate_assignment", assignment, "--force")
    reference = classroom.reference_cells(assignment)
    corpus = CORPORA[assignment].build(str(root), reference)
    wrong = [s for name, s in corpus.items() if not name.startswith(("tamper", "fault")) and not s.slow]
    tampering = [s for name, s in corpus.items() if name.startswith("tamper") and not s.slow]
    copies = round(students * duplicates)
    originals = students - copies
    kinds = ["reference_like"] * 4 + ["wrong"] * 3 + ["blank", "tampering", "broken"]
    made: list[Path] = []
    for index in range(originals):
        student = f"student{index:03d}"
        kind = kinds[index % len(kinds)]
        if kind == "reference_like":
            first = next(iter(reference))
            cells = {**reference, first: reference[first] + f"\n# my solution, {student}\n"}
            path = classroom.submit(student, assignment, cells)
        elif kind == "wrong":
            submission = rng.choice(wrong)
            path = classroom.submit(
                student, assignment, {**reference, **submission.cells}, edit=submission.edit
            )
        elif kind == "tampering" and tampering:
            submission = rng.choice(tampering)
            path = classroom.submit(
                student, assignment, {**reference, **submission.cells}, edit=submission.edit
            )
        elif kind == "broken":
            path = classroom.submit(student, assignment, {})
            path.write_bytes(b"" if index % 2 else b'{"cells": [')
        else:
            path = classroom.submit(student, assignment, {})
        made.append(path.parent)
    for index in range(copies):
        source = made[rng.randrange(len(made))]
        shutil.copytree(source, root / "submitted" / f"copy{index:03d}" / assignment)
    return classroom


def timed(command: list[str], classroom: Classroom) -> float:
    started = time.perf_counter()
    run = subprocess.run(
        command, cwd=classroom.root, env=classroom.env(), capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if run.returncode not in (0, 1):  # 1: nbgrader or we report failed submissions, rows are written
        raise RuntimeError(
            f"{' '.join(command)} exited {run.returncode}:\n{run.stdout[-2000:]}{run.stderr[-2000:]}"
        )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="activations")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument(
        "--part",
        choices=["all", "parallel", "cache", "floor"],
        default="all",
        help="parallel: the mixed class only; floor: plain nbgrader and the floor on it only",
    )
    args = parser.parse_args()
    assignment = args.assignment  # graded with its own limits, solutions/<assignment>/grading.toml
    bin_dir = Path(sys.executable).parent
    serial = [str(bin_dir / "nbgrader"), "autograde", assignment, "--force", "--create"]
    ours = [str(bin_dir / "autograder"), "autograde", assignment, "--force"]
    shutil.rmtree(BENCH_ROOT, ignore_errors=True)
    rows = []

    if args.part in ("all", "parallel", "floor"):
        rows += parallel_runs(serial, ours, assignment, args.students, judged=args.part != "floor")
    if args.part in ("all", "cache"):
        rows += cache_runs(serial, ours, assignment, args.students)
    print(f"\n{assignment}, {args.students} submissions (2 cores)")
    print(f"{'run':60} {'seconds':>8} {'ratio':>6} {'target':>7} {'grades identical':>17}")
    for label, seconds, base, identical in rows:
        target = TARGETS.get(label)
        print(
            f"{label:60} {seconds:8.1f} {seconds / base:6.2f} {('<= ' + str(target)) if target else '':>7}"
            f" {'-' if identical is None else 'yes' if identical else 'NO':>17}"
        )


def plain_copy(classroom: Classroom, root: Path, assignment: str) -> Classroom:
    """The same course and submissions, configured as stock nbgrader (no judge, no sandbox)."""
    shutil.copytree(classroom.root, root, ignore=shutil.ignore_patterns("gradebook.db", "autograded"))
    plain = Classroom(root)  # (copies the course's configuration: replaced below)
    (root / "nbgrader_config.py").write_text(PLAIN_CONFIG)
    plain.nbgrader("generate_assignment", assignment, "--force")
    return plain


def floor_run(classroom: Classroom, assignment: str) -> float:
    """Seconds to run every submission's own cells, each in a plain kernel of its own, serially
    (test cells left out; a cell that fails or runs past the assignment's cell limit is left
    as the judge leaves it, and the next runs)."""
    os.environ.update(classroom.env())  # the course's data caches, as the judge's kernel has them
    cell_timeout = (
        assignments.get(classroom.root, assignment).grading().get("JudgeExecute", {}).get("timeout", 600)
    )
    seconds = 0.0
    for notebook in sorted((classroom.root / "submitted").glob(f"*/{assignment}/*.ipynb")):
        try:
            nbformat.read(notebook, as_version=4)
        except ValueError as error:  # not JSON: no grader starts a kernel for it
            print(f"floor: {notebook.parent.parent.name} not run ({type(error).__name__})")
            continue
        seconds += floor_seconds(notebook, classroom.root, cell_timeout)[1]
    return seconds


def parallel_runs(
    serial: list[str], ours: list[str], assignment: str, students: int, judged: bool = True
) -> list[tuple]:
    """Plain nbgrader, the floor, the judge serially, --jobs 2 and a local Dask cluster on a
    class with 10% duplicates, cache off (``judged=False``: plain nbgrader and the floor only)."""
    mixed = synthetic_class(BENCH_ROOT / "mixed", assignment, students, duplicates=0.1)
    plain = plain_copy(mixed, BENCH_ROOT / "mixed-plain", assignment)
    baseline = timed([serial[0], "autograde", assignment, "--force", "--create"], plain)
    floor = floor_run(mixed, assignment)
    rows = [
        ("plain nbgrader autograde (in-kernel tests), serial", baseline, baseline, True),
        ("floor: each submission's cells in a plain kernel, serial", floor, baseline, None),
    ]
    if not judged:
        return rows
    judged_seconds = timed(serial, mixed)
    expected = gradebook_rows(sqlite(mixed), assignment)
    rows.append(("nbgrader autograde with the judge, serial", judged_seconds, baseline, True))
    for label, extra in (("jobs 2, no cache", ["--jobs", "2", "--no-cache"]),
                         ("local Dask, 2 workers, no cache", ["--dask", "--jobs", "2", "--no-cache"])):  # fmt: skip
        seconds = timed(ours + extra, mixed)
        rows.append((label, seconds, baseline, gradebook_rows(sqlite(mixed), assignment) == expected))
    return rows


def cache_runs(serial: list[str], ours: list[str], assignment: str, students: int) -> list[tuple]:
    """The judge serially and --jobs 2 with an empty cache on a class that is half duplicates."""
    halves = synthetic_class(BENCH_ROOT / "duplicates", assignment, students, duplicates=0.5)
    baseline = timed(serial, halves)
    expected = gradebook_rows(sqlite(halves), assignment)
    seconds = timed(ours + ["--jobs", "2"], halves)
    identical = gradebook_rows(sqlite(halves), assignment) == expected
    return [
        ("nbgrader autograde with the judge, serial (50% duplicates)", baseline, baseline, True),
        ("jobs 2, cache, 50% duplicates", seconds, baseline, identical),
    ]


if __name__ == "__main__":
    main()
