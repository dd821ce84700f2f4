"""Moodle grade import CSV, keyed by email address or ID number.

Moodle's CSV grade import maps one column to a user field ("Email address" to
useremail, or "ID number" to useridnumber) and each other column to a grade item or
its feedback. An unmatched user fails the whole import, so this exporter refuses to
write a file with a student who has no key rather than hand the TA a file Moodle
rejects. Feedback columns sit next to their grade column because importing feedback
without its grade would clear that grade.

Format rules relied on:
https://docs.moodle.org/311/en/Grade_import
https://docs.moodle.org/27/en/Grade_import
"""

from __future__ import annotations

from nbgrader.api import Gradebook, Student, SubmittedAssignment
from nbgrader.plugins import ExportPlugin
from traitlets import Bool, Enum

from autograder.export.common import (
    assignments,
    cell_reports,
    final_score,
    points,
    students,
    submission,
)
from autograder.spreadsheet import SafeWriter

KEY_COLUMNS = {"email": "Email address", "idnumber": "ID number"}


class MoodleExporter(ExportPlugin):
    """Export nbgrader grades as a CSV for Moodle's Grades → Import → CSV file."""

    key = Enum(
        ["email", "idnumber"],
        "email",
        help="How Moodle finds the user: by email address, or by ID number (= the nbgrader student id).",
    ).tag(config=True)
    feedback = Bool(
        False, help="Add a 'Feedback: <assignment>' column summarising the judge's verdicts."
    ).tag(config=True)

    def user_key(self, student: Student) -> str:
        """The value Moodle matches on for this student ('' when nbgrader has none)."""
        return (student.email or "").strip() if self.key == "email" else student.id

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "moodle_grades.csv"
        chosen = assignments(self, gradebook)
        roster = students(self, gradebook)
        keyless = [s.id for s in roster if not self.user_key(s)]
        if keyless:
            raise ValueError(
                f"no {self.key} for students: {', '.join(keyless)}; add them with "
                "nbgrader db student add <id> --email=<address> or use MoodleExporter.key=idnumber"
            )
        header = ["First name", "Surname", KEY_COLUMNS[self.key]]
        for a in chosen:
            header += [a.name, f"Feedback: {a.name}"] if self.feedback else [a.name]
        rows = []
        for student in roster:
            row = [student.first_name or "", student.last_name or "", self.user_key(student)]
            for a in chosen:
                submitted = submission(gradebook, a.name, student.id)
                row.append("" if submitted is None else points(final_score(submitted)))
                if self.feedback:
                    row.append("" if submitted is None else self.summary(submitted, a.max_score))
            rows.append(row)
        self.log.info("Exporting Moodle grades to %s", dest)
        with open(dest, "w", newline="", encoding="utf-8") as fh:
            SafeWriter(fh).writerows([header, *rows])

    def summary(self, submitted: SubmittedAssignment, max_score: float) -> str:
        """One line for the gradebook: the score, then each cell that lost points with its failed checks.

        Checks come from the judge's verdicts; a cell without a verdict (manually graded)
        adds nothing; a cell that failed every check (or had none) is named on its own.
        """
        failed: list[str] = []
        for cell in cell_reports(self, submitted):
            if cell.verdict is None:
                continue
            name = cell.name.removeprefix("test_")
            checks = [c for c in cell.verdict.get("checks", []) if c.get("weight", 0) > 0]
            titles = [c["title"] for c in checks if not c.get("passed")]
            if titles and len(titles) < len(checks):
                failed.append(f"{name} ({', '.join(titles)})")
            elif titles or (not checks and cell.score < cell.max_score):
                failed.append(name)
        line = f"{points(final_score(submitted))}/{points(max_score)}"
        return f"{line}; failed: {', '.join(failed)}" if failed else line
