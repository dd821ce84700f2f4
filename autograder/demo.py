"""The demo class: four students graded end to end by the real nbgrader commands.

The class is ada, ben, chen and dana; what each hands in is the assignment's own demo scenario,
``solutions/<assignment>/demo.py`` (``submissions(reference)`` and a ``STORY`` saying what each did).
The class roster comes from a Canvas gradebook export (``autograder roster import``). The demo
prints each student's score per graded cell, which hidden checks failed and why, and writes what
course staff take away: feedback pages, Canvas, Moodle and Gradescope files, and the class report.
"""

from __future__ import annotations

import importlib.util
import shutil
import time
from pathlib import Path
from types import ModuleType

from autograder import assignments, report, roster
from autograder.classroom import Classroom, repo_root
from autograder.verdict import failure_lines, read_verdict

DEMO_FILE = "demo.py"
# The class as a Canvas gradebook export lists it (SIS Login ID = the nbgrader student id).
CANVAS_STUDENTS = """"Lovelace, Ada",501,S-0001,ada,Lab A,
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


def scenarios(course: Path) -> dict[str, Path]:
    """The assignments that have a demo scenario, by name."""
    found = assignments.find(course)
    return {name: a.folder / DEMO_FILE for name, a in found.items() if (a.folder / DEMO_FILE).is_file()}


def _scenario(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_demo_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def canvas_export(assignment: str, points: float) -> str:
    """The class as Canvas exports its gradebook, with the assignment's column (its points from the
    source notebook)."""
    return (
        f"Student,ID,SIS User ID,SIS Login ID,Section,{assignment} (1234)\n"
        f"    Points Possible,,,,,{points:.2f}\n" + CANVAS_STUDENTS
    )


def _failed_checks(classroom: Classroom, student: str, assignment: str) -> list[str]:
    """One line per graded cell that lost points: the failed checks and the first reason."""
    texts = assignments.texts_for(classroom.root, assignment)
    notebook = classroom.autograded_notebook(student, assignment)
    lines = []
    for cell in notebook.cells:
        result = read_verdict(cell)
        if result is None or result["score"] == result["points"]:
            continue
        name = cell.metadata["nbgrader"]["grade_id"].removeprefix("test_")
        failed = [check for check in result["checks"] if not check["passed"]]
        reason = failure_lines(failed[0]["failure"] or {}, ["en"], texts)[0] if failed else result["reason"]
        titles = ", ".join(check["title"] for check in failed)
        lines.append(f"{name} ({result['score']:g}/{result['points']:g}) failed {titles}: {reason}")
    return lines


def _table(scores: dict[str, dict[str, float]]) -> str:
    cells = [c for c in next(iter(scores.values())) if c != "total"]
    names = [c.removeprefix("test_") for c in cells]
    widths = [max(len(n), 4) for n in names]
    header = "student  " + "  ".join(n.rjust(w) for n, w in zip(names, widths)) + "  total"
    rows = [header, "-" * len(header)]
    for student, row in sorted(scores.items()):
        values = "  ".join(f"{row[c]:g}".rjust(w) for c, w in zip(cells, widths))
        rows.append(f"{student:<7}  {values}  {row['total']:>5g}")
    return "\n".join(rows)


def run(directory: Path, assignment: str = "") -> None:
    """Build the demo class in ``directory`` (replacing it), grade it and print the results.

    ``assignment``: one with a demo scenario (the first in name order when empty)."""
    started = time.monotonic()
    found = scenarios(repo_root())
    if not found or (assignment and assignment not in found):
        raise SystemExit(
            f"demo: no demo scenario ({DEMO_FILE}) for {assignment or 'any assignment'}; "
            f"assignments with one: {', '.join(found) or 'none'}"
        )
    assignment = assignment or next(iter(found))
    scenario = _scenario(found[assignment])
    if directory.exists():
        shutil.rmtree(directory)
    classroom = Classroom(directory)
    print(f"demo: course copy in {directory}")
    classroom.nbgrader("generate_assignment", assignment, "--force")
    points = sum(assignments.get(directory, assignment).points().values())
    (directory / "canvas_export.csv").write_text(canvas_export(assignment, points), encoding="utf-8")
    imported = roster.import_roster(directory / "canvas_export.csv", directory)
    print(f"demo: roster from canvas_export.csv: {len(imported.added)} students added")
    for student, cells in scenario.submissions(classroom.reference_cells(assignment)).items():
        classroom.submit(student, assignment, cells)
    print("demo: nbgrader autograde (student kernels sandboxed, hidden checks in the grader) ...")
    classroom.nbgrader("autograde", assignment, "--force", "--create")
    classroom.nbgrader("generate_feedback", assignment, "--force")
    classroom.nbgrader("export")
    for target, (exporter, options) in EXPORTS.items():
        classroom.nbgrader("export", f"--exporter={exporter}", *options, f"--to={target}")
    written = report.run(directory, [assignment])
    scores = classroom.scores(assignment)
    print()
    print(f"Scores for '{assignment}' (points per graded cell, from nbgrader's gradebook):")
    print(_table(scores))
    print()
    print("Failed hidden checks:")
    for student in sorted(scores):
        failures = _failed_checks(classroom, student, assignment)
        print(f"  {student}:" + ("" if failures else " none"))
        for line in failures:
            print(f"    - {line}")
    print()
    print(scenario.STORY)
    print()
    print(f"Feedback (HTML):    {directory / 'feedback'}/<student>/{assignment}/{assignment}.html")
    print(f"Autograded copies:  {directory / 'autograded'}/<student>/{assignment}/")
    print(f"Exported grades:    {directory / 'grades.csv'}")
    for target in EXPORTS:
        print(f"  for the LMS:      {directory / target}")
    print(f"Class report:       {written[0]}")
    print(f"Gradebook:          {directory / 'gradebook.db'}")
    print(f"demo: done in {time.monotonic() - started:.0f} s")
