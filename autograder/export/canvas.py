"""Canvas gradebook import CSV, so a TA uploads nbgrader's grades instead of typing them.

Canvas matches rows on its user ID / SIS ids and columns on ``Name (assignment id)``;
the second row holds each column's points possible; an empty score cell leaves that
student ungraded. The Canvas ids are not in nbgrader, so they are read from a Canvas
gradebook *export* of the same course (``CanvasExporter.roster``).

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

FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
# Rows of a Canvas export that are not students: the points row and Canvas's test student.
NOT_STUDENTS = {"Points Possible", "Student, Test"}
ASSIGNMENT_HEADER = re.compile(r"^(?P<name>.*) \((?P<id>\d+)\)$")


@dataclass
class CanvasUser:
    """A student as Canvas knows them, from the roster export."""

    id: str
    sis_user_id: str
    section: str


@dataclass
class Roster:
    """Canvas users by SIS Login ID, and Canvas assignment ids by assignment name."""

    users: dict[str, CanvasUser]
    assignment_ids: dict[str, str]


def read_roster(path: Path) -> Roster:
    """Parse a Canvas gradebook export; its SIS Login ID is the nbgrader student id."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    users = {
        row["SIS Login ID"].strip(): CanvasUser(
            row["ID"].strip(), (row.get("SIS User ID") or "").strip(), (row.get("Section") or "").strip()
        )
        for row in rows
        if (row.get("Student") or "").strip() not in NOT_STUDENTS | {""}
        and (row.get("SIS Login ID") or "").strip()
    }
    ids = {m["name"]: m["id"] for m in map(ASSIGNMENT_HEADER.match, reader.fieldnames or []) if m}
    return Roster(users, ids)


def display_name(student: Student) -> str:
    """``Last, First`` as Canvas lists students, or the student id when nbgrader has no name."""
    return ", ".join(part for part in (student.last_name, student.first_name) if part) or student.id


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
            user = roster.users.get(student.id)
            if user is None:
                unknown.append(student.id)
                user = CanvasUser("", "", "")
            scores = []
            for a in chosen:
                submitted = submission(gradebook, a.name, student.id)
                scores.append("" if submitted is None else points(final_score(submitted)))
            rows.append([display_name(student), user.id, user.sis_user_id, student.id, user.section, *scores])
        if unknown:
            self.log.warning(
                "no Canvas user id for students: %s (not in CanvasExporter.roster)", ", ".join(unknown)
            )
        self.log.info("Exporting Canvas grades to %s", dest)
        with open(dest, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows([header, *rows])
