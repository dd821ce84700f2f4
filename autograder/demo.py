"""The demo class: four students graded end to end by the real nbgrader commands.

ada hands in the reference solution, ben hands back the release notebook untouched,
chen makes two classic mistakes, and dana solves two functions and then tries to blank
the graded cells with an input transformer (which earns full marks from stock
nbgrader). The class roster comes from a Canvas gradebook export (``autograder roster
import``). The demo prints each student's score per graded cell, which hidden checks
failed and why, and writes what course staff take away: feedback pages, Canvas, Moodle
and Gradescope files, and the class report.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from autograder import report, roster
from autograder.classroom import Classroom
from autograder.verdict import failure_lines, read_verdict

ASSIGNMENT = "activations"

BUGS = {
    # the textbook sigmoid overflows for large negative x; relu'(0) taken as 0
    "sigmoid": "def sigmoid(x):\n    x = np.asarray(x)\n    return 1 / (1 + np.exp(-x))\n",
    "relu_derivative": "def relu_derivative(x):\n    return np.where(np.asarray(x) > 0, 1.0, 0.0)\n",
}
# The class as a Canvas gradebook export lists it (SIS Login ID = the nbgrader student id).
CANVAS_EXPORT = """Student,ID,SIS User ID,SIS Login ID,Section,activations (1234)
    Points Possible,,,,,12.00
"Lovelace, Ada",501,S-0001,ada,Lab A,
"Babbage, Ben",502,S-0002,ben,Lab A,
"Chen, Li",503,S-0003,chen,Lab B,
"Scully, Dana",504,S-0004,dana,Lab B,
"Student, Test",999,,test_student,,
"""
EXPORTS = {
    "canvas_grades.csv": ("autograder.export.CanvasExporter", ("--CanvasExporter.roster=canvas_export.csv",)),
    "moodle_grades.csv": (
        "autograder.export.MoodleExporter",
        ("--MoodleExporter.key=idnumber", "--MoodleExporter.feedback=True"),
    ),
    "gradescope": ("autograder.export.GradescopeExporter", ()),
}
TAMPERING = {
    "relu": "def relu(x):\n    return 0\n"
    "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n",
}


def _submissions(classroom: Classroom) -> dict[str, dict[str, str] | None]:
    reference = classroom.reference_cells(ASSIGNMENT)
    return {
        "ada": reference,
        "ben": {},
        "chen": {**reference, **BUGS},
        "dana": {**reference, **TAMPERING},
    }


def _failed_checks(classroom: Classroom, student: str) -> list[str]:
    """One line per graded cell that lost points: the failed checks and the first reason."""
    notebook = classroom.autograded_notebook(student, ASSIGNMENT)
    lines = []
    for cell in notebook.cells:
        result = read_verdict(cell)
        if result is None or result["score"] == result["points"]:
            continue
        name = cell.metadata["nbgrader"]["grade_id"].removeprefix("test_")
        failed = [check for check in result["checks"] if not check["passed"]]
        reason = failure_lines(failed[0]["failure"] or {}, ["en"])[0] if failed else result["reason"]
        titles = ", ".join(check["title"] for check in failed)
        lines.append(f"{name} ({result['score']:g}/{result['points']:g}) failed {titles}: {reason}")
    return lines


def _table(scores: dict[str, dict[str, float]]) -> str:
    cells = [c for c in next(iter(scores.values())) if c != "total"]
    names = [c.removeprefix("test_").replace("_derivative", "'") for c in cells]
    widths = [max(len(n), 4) for n in names]
    header = "student  " + "  ".join(n.rjust(w) for n, w in zip(names, widths)) + "  total"
    rows = [header, "-" * len(header)]
    for student, row in sorted(scores.items()):
        values = "  ".join(f"{row[c]:g}".rjust(w) for c, w in zip(cells, widths))
        rows.append(f"{student:<7}  {values}  {row['total']:>5g}")
    return "\n".join(rows)


def run(directory: Path) -> None:
    """Build the demo class in ``directory`` (replacing it), grade it and print the results."""
    started = time.monotonic()
    if directory.exists():
        shutil.rmtree(directory)
    classroom = Classroom(directory)
    print(f"demo: course copy in {directory}")
    classroom.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    (directory / "canvas_export.csv").write_text(CANVAS_EXPORT, encoding="utf-8")
    imported = roster.import_roster(directory / "canvas_export.csv", directory)
    print(f"demo: roster from canvas_export.csv: {len(imported.added)} students added")
    for student, cells in _submissions(classroom).items():
        classroom.submit(student, ASSIGNMENT, cells)
    print("demo: nbgrader autograde (student kernels sandboxed, hidden checks in the grader) ...")
    classroom.nbgrader("autograde", ASSIGNMENT, "--force", "--create")
    classroom.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    classroom.nbgrader("export")
    for target, (exporter, options) in EXPORTS.items():
        classroom.nbgrader("export", f"--exporter={exporter}", *options, f"--to={target}")
    written = report.run(directory, [ASSIGNMENT])
    scores = classroom.scores(ASSIGNMENT)
    print()
    print(f"Scores for '{ASSIGNMENT}' (points per graded cell, from nbgrader's gradebook):")
    print(_table(scores))
    print()
    print("Failed hidden checks:")
    for student in sorted(scores):
        failures = _failed_checks(classroom, student)
        print(f"  {student}:" + ("" if failures else " none"))
        for line in failures:
            print(f"    - {line}")
    print()
    print("ada: reference solution; ben: untouched release notebook; chen: overflowing sigmoid and")
    print("relu'(0) = 0; dana: solved sigmoid and its derivative, then blanked all later cells with an")
    print("input transformer (stock nbgrader gives that full marks; here it earns what it solved).")
    print()
    print(f"Feedback (HTML):    {directory / 'feedback'}/<student>/{ASSIGNMENT}/{ASSIGNMENT}.html")
    print(f"Autograded copies:  {directory / 'autograded'}/<student>/{ASSIGNMENT}/")
    print(f"Exported grades:    {directory / 'grades.csv'}")
    for target in EXPORTS:
        print(f"  for the LMS:      {directory / target}")
    print(f"Class report:       {written[0]}")
    print(f"Gradebook:          {directory / 'gradebook.db'}")
    print(f"demo: done in {time.monotonic() - started:.0f} s")
