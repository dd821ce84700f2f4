"""What every LMS exporter reads from the gradebook and the autograded notebooks.

Scores come from nbgrader's gradebook (so manual overrides and late penalties count);
the per-check detail comes from the judge's verdicts stored in the autograded
notebooks (``autograder.verdict.read_verdict``), which the gradebook does not keep.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.api import Assignment, Gradebook, MissingEntry, Student, SubmittedAssignment
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import ExportPlugin

from autograder.verdict import read_verdict


def points(value: float) -> str:
    """A score as an LMS reads it: no float noise, no trailing ``.0``."""
    return f"{round(value, 4):g}"


def students(plugin: ExportPlugin, gradebook: Gradebook) -> list[Student]:
    """The gradebook's students (last, first name order), limited by ``--student``."""
    wanted = {str(s) for s in plugin.student}
    return [s for s in gradebook.students if not wanted or s.id in wanted]


def assignments(plugin: ExportPlugin, gradebook: Gradebook) -> list[Assignment]:
    """The gradebook's assignments (due date, name order), limited by ``--assignment``."""
    wanted = {str(a) for a in plugin.assignment}
    return [a for a in gradebook.assignments if not wanted or a.name in wanted]


def submission(gradebook: Gradebook, assignment: str, student: str) -> SubmittedAssignment | None:
    """The student's submission, or None when they handed nothing in."""
    try:
        return gradebook.find_submission(assignment, student)
    except MissingEntry:
        return None


def final_score(submitted: SubmittedAssignment) -> float:
    """The score the LMS should record: nbgrader's score minus its late penalty, never negative."""
    return max(0.0, submitted.score - (submitted.late_submission_penalty or 0.0))


@dataclass
class CellReport:
    """One graded cell of a submission: its gradebook score and the judge's account of it."""

    name: str
    score: float
    max_score: float
    output: str
    verdict: dict[str, Any] | None


def cell_reports(plugin: ExportPlugin, submitted: SubmittedAssignment) -> Iterator[CellReport]:
    """Every graded cell of a submission, in notebook order when the autograded notebook exists.

    The score is the gradebook's (a TA's manual score wins); the output text and the
    verdict come from the autograded notebook, and are empty when it is missing.
    """
    coursedir = CourseDirectory(parent=plugin)
    folder = Path(coursedir.format_path(coursedir.autograded_directory, submitted.student.id, submitted.name))
    for notebook in sorted(submitted.notebooks, key=lambda nb: nb.name):
        cells = _graded_cells(folder / f"{notebook.name}.ipynb")
        order = list(cells)
        grades = sorted(
            notebook.grades,
            key=lambda g: (order.index(g.name) if g.name in order else len(order), g.name),
        )
        for grade in grades:
            output, verdict = cells.get(grade.name, ("", None))
            yield CellReport(grade.name, grade.score, grade.max_score, output, verdict)


def _graded_cells(path: Path) -> dict[str, tuple[str, dict[str, Any] | None]]:
    """Each graded cell's stdout text and verdict, by grade_id, in notebook order."""
    if not path.exists():
        return {}
    notebook = nbformat.read(path, as_version=4)
    found: dict[str, tuple[str, dict[str, Any] | None]] = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade"):
            continue
        text = "".join(
            out.get("text", "")
            for out in cell.get("outputs", [])
            if out.get("output_type") == "stream" and out.get("name") == "stdout"
        )
        found[meta["grade_id"]] = (text, read_verdict(cell))
    return found
