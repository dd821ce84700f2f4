"""Gradescope-style ``results.json`` per submission, one test per graded cell.

Written as ``<to>/<assignment>/<student>/results.json`` so each file can be handed to
Gradescope (or any tool reading its autograder format) as that submission's result.
A test's output is the judge's feedback text for the cell, the same text the student
sees in their feedback notebook. The top-level score is nbgrader's final score (late
penalty applied), which Gradescope takes over the sum of the tests.

Format relied on:
https://gradescope-autograders.readthedocs.io/en/latest/specs/
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, SubmittedAssignment
from nbgrader.plugins import ExportPlugin

from autograder.export.common import assignments, cell_reports, final_score, students, submission


class GradescopeExporter(ExportPlugin):
    """Export each submission's per-cell grades and feedback as Gradescope results.json."""

    def export(self, gradebook: Gradebook) -> None:
        root = Path(self.to or "gradescope")
        self.log.info("Exporting Gradescope results to %s", root)
        for a in assignments(self, gradebook):
            for student in students(self, gradebook):
                submitted = submission(gradebook, a.name, student.id)
                if submitted is None:
                    continue
                dest = root / a.name / student.id / "results.json"
                dest.parent.mkdir(parents=True, exist_ok=True)
                text = json.dumps(self.results(submitted, a.max_score), indent=2, ensure_ascii=False)
                dest.write_text(text + "\n", encoding="utf-8")

    def results(self, submitted: SubmittedAssignment, max_score: float) -> dict[str, Any]:
        """The results.json document for one submission."""
        tests = [
            {
                "name": cell.name,
                "score": round(cell.score, 4),
                "max_score": cell.max_score,
                "output": cell.output,
                "visibility": "visible",
            }
            for cell in cell_reports(self, submitted)
        ]
        return {"score": round(final_score(submitted), 4), "max_score": max_score, "tests": tests}
