"""Canvas gradebook import CSV, so a TA uploads nbgrader's grades instead of typing them.

Canvas matches rows on its user ID / SIS ids and columns on ``Name (assignment id)``;
the second row holds each column's points possible; an empty score cell leaves that
student ungraded. The Canvas ids are not in nbgrader, so they are read from a Canvas
gradebook *export* of the same course (``CanvasExporter.roster``); a student's user id
also comes from the gradebook's ``lms_user_id``, which ``autograder roster import`` stores
from such an export, so one import serves every later export.

The export's layout is Canvas's ``GradebookExporter`` (lib/gradebook_exporter.rb in
instructure/canvas-lms): a header row, an optional row noting manually posted
assignments (no student columns filled), the ``    Points Possible`` row, then one row per
student, Canvas's test student last.

Format rules relied on:
https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades
https://ts.vcu.edu/askit/teaching-and-learning/canvas/faculty/grading-faculty/gradebook-action-menu-faculty/
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, Student
from nbgrader.plugins import ExportPlugin
from traitlets import Dict, Unicode

from autograder.export.common import assignments, final_score, points, students, submission
from autograder.spreadsheet import SafeWriter

FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
# Rows of a Canvas export that are not students: the points row and Canvas's test student.
NOT_STUDENTS = {"Points Possible", "Student, Test"}
# Columns naming a student; Canvas can export the name as LastName and FirstName instead of Student.
IDENTITY = ["Student", "LastName", "FirstName", "ID", "SIS User ID", "SIS Login ID"]
ASSIGNMENT_HEADER = re.compile(r"^(?P<name>.*) \((?P<id>\d+)\)$")


@dataclass
class CanvasUser:
    """A student as Canvas knows them, from the roster export."""

    id: str
    sis_user_id: str
    section: str


@dataclass
class ExportRow:
    """A student row of a Canvas gradebook export, numbered as a spreadsheet shows it (header: row 1)."""

    number: int
    last_name: str
    first_name: str
    login: str  # SIS Login ID: the nbgrader student id; "" when Canvas has none
    user: CanvasUser

    @property
    def name(self) -> str:
        return sortable_name(self.last_name, self.first_name)


@dataclass
class CanvasExport:
    """A Canvas gradebook export: its student rows, the other rows it skipped, its assignment ids."""

    students: list[ExportRow]
    not_students: list[tuple[int, str]]
    assignment_ids: dict[str, str]


@dataclass
class Roster:
    """Canvas users by SIS Login ID, and Canvas assignment ids by assignment name."""

    users: dict[str, CanvasUser]
    assignment_ids: dict[str, str]


def sortable_name(last_name: str | None, first_name: str | None) -> str:
    """``Last, First``, as Canvas lists students; just the part there is when one is missing."""
    return ", ".join(part for part in (last_name, first_name) if part)


def split_name(sortable: str) -> tuple[str, str]:
    """``Last, First`` (Canvas's sortable name) as (last, first); a name without a comma is all last name."""
    last, _, first = sortable.partition(",")
    return last.strip(), first.strip()


def parse_export(rows: list[list[str]]) -> CanvasExport:
    """Read the rows of a Canvas gradebook export (header first); ValueError when it is not one."""
    header = [cell.strip() for cell in rows[0]] if rows else []
    named = "Student" in header or {"LastName", "FirstName"} <= set(header)
    missing = [column for column in ("ID", "SIS Login ID") if column not in header]
    if missing or not named:
        absent = missing + ([] if named else ["Student"])
        columns = "column" if len(absent) == 1 else "columns"
        raise ValueError(f"not a Canvas gradebook export: no {', '.join(map(repr, absent))} {columns}")
    students, not_students = [], []
    for number, cells in enumerate(rows[1:], start=2):
        row = dict(zip(header, (cell.strip() for cell in cells)))
        if not any(row.get(column) for column in IDENTITY):
            continue  # a blank row, or the manual-posting row
        if "Student" in header:
            last, first = split_name(row.get("Student", ""))
        else:
            last, first = row.get("LastName", ""), row.get("FirstName", "")
        user = CanvasUser(row.get("ID", ""), row.get("SIS User ID", ""), row.get("Section", ""))
        student = ExportRow(number, last, first, row.get("SIS Login ID", ""), user)
        if student.name in NOT_STUDENTS:
            not_students.append((number, student.name))
        else:
            students.append(student)
    ids = {m["name"]: m["id"] for m in map(ASSIGNMENT_HEADER.match, header) if m}
    return CanvasExport(students, not_students, ids)


def read_roster(path: Path) -> Roster:
    """Parse a Canvas gradebook export; its SIS Login ID is the nbgrader student id (first row wins)."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        export = parse_export(list(csv.reader(fh)))
    users: dict[str, CanvasUser] = {}
    for row in export.students:
        if row.login:
            users.setdefault(row.login, row.user)
    return Roster(users, export.assignment_ids)


def display_name(student: Student) -> str:
    """``Last, First`` as Canvas lists students, or the student id when nbgrader has no name."""
    return sortable_name(student.last_name, student.first_name) or student.id


class CanvasExporter(ExportPlugin):
    """Export nbgrader grades as a CSV for Canvas's Gradebook → Import."""

    roster = Unicode(
        "", help="Path to a Canvas gradebook export CSV of the course (gives Canvas user and assignment ids)."
    ).tag(config=True)
    assignment_ids = Dict(
        {}, help="Canvas assignment id by nbgrader assignment name; overrides ids found in the roster."
    ).tag(config=True)

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "canvas_grades.csv"
        roster = read_roster(Path(self.roster)) if self.roster else Roster({}, {})
        ids = {**roster.assignment_ids, **{k: str(v) for k, v in self.assignment_ids.items()}}
        chosen = assignments(self, gradebook)
        header = FIXED + [f"{a.name} ({ids[a.name]})" if a.name in ids else a.name for a in chosen]
        rows = [["Points Possible", "", "", "", ""] + [points(a.max_score) for a in chosen]]
        unknown = []
        for student in students(self, gradebook):
            user = roster.users.get(student.id) or CanvasUser(student.lms_user_id or "", "", "")
            if not user.id:
                unknown.append(student.id)
            scores = []
            for a in chosen:
                submitted = submission(gradebook, a.name, student.id)
                scores.append("" if submitted is None else points(final_score(submitted)))
            rows.append([display_name(student), user.id, user.sis_user_id, student.id, user.section, *scores])
        if unknown:
            self.log.warning(
                "no Canvas user id for students: %s (not in CanvasExporter.roster, no lms_user_id)",
                ", ".join(unknown),
            )
        self.log.info("Exporting Canvas grades to %s", dest)
        with open(dest, "w", newline="", encoding="utf-8") as fh:
            SafeWriter(fh).writerows([header, *rows])
