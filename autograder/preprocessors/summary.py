"""``FeedbackSummary``: a "what to fix" table at the top of each feedback page.

nbgrader's feedback page lists its graded cells as "Test cell (Score: …)" and leaves the
student to scroll to each one. This step (run by ``nbgrader generate_feedback`` after
``GetGrades``, so scores are the gradebook's, manual grades included) puts a first cell in
the page: the total, then one row per graded cell with its points and the checks it
failed, linked to the cell where the full message (failing input, expected vs got) is.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import List, Unicode, default

from autograder import feedback
from autograder.assignments import texts_for
from autograder.verdict import failure_lines, read_verdict

SUMMARY_ID = "autograder-summary"


def points(value: float) -> str:
    """A score without float noise: 1.5, 2, 0.25."""
    return f"{round(float(value), 4):g}"


class FeedbackSummary(NbGraderPreprocessor):
    """Insert a summary cell (total, per-cell points, failed checks) as the notebook's first cell."""

    languages = List(
        Unicode(), list(feedback.LANGUAGES), help="Languages of the summary's texts, in order."
    ).tag(config=True)
    course_root = Unicode(help="The course directory (its solutions/ hold each assignment's texts).").tag(
        config=True
    )
    texts = feedback.ENGINE_TEXTS

    @default("course_root")
    def _course_root_default(self) -> str:
        return os.getcwd()

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        grading = resources.get("nbgrader", {})
        self.texts = texts_for(Path(self.course_root), str(grading.get("assignment", "")))
        rows = [self.row(cell) for cell in nb.cells if is_grade(cell)]
        total = sum(float(cell.metadata.nbgrader.get("score") or 0) for cell in nb.cells if is_grade(cell))
        possible = sum(
            float(cell.metadata.nbgrader.get("points") or 0) for cell in nb.cells if is_grade(cell)
        )
        score = grading.get("score", total)
        max_score = grading.get("max_score", possible)
        total_line = f"{self.say('summary_total')}: {points(score)} / {points(max_score)}"
        header = "".join(
            f"<th>{escape(self.say(key))}</th>"
            for key in ("summary_cell", "summary_points", "summary_to_fix")
        )
        html = (
            f'<div id="{SUMMARY_ID}">\n'
            f"<h2>{escape(self.say('summary_heading'))}</h2>\n"
            f'<p class="autograder-total"><strong>{escape(total_line)}</strong></p>\n'
            f'<table class="table table-condensed">\n<thead><tr>{header}</tr></thead>\n<tbody>\n'
            + "".join(rows)
            + "</tbody>\n</table>\n</div>"
        )
        nb.cells.insert(0, new_markdown_cell(html, metadata={"autograder_summary": True}))
        return nb, resources

    def say(self, key: str, **fields: object) -> str:
        """A summary text in every configured language, joined by " / "."""
        return " / ".join(self.texts.message(key, self.languages, **fields).splitlines())

    def row(self, cell: NotebookNode) -> str:
        """One table row: the cell (linked), its points, and what to fix."""
        grading = cell.metadata.nbgrader
        grade_id = str(grading.get("grade_id", ""))
        score = float(grading.get("score") or 0)
        possible = float(grading.get("points") or 0)
        verdict = read_verdict(cell) if cell.cell_type == "code" and not is_solution(cell) else None
        if verdict is None:
            fix = [[self.say("summary_by_hand")]]
        else:
            # Checks failed for the same reason (a function not written yet) share one message.
            reasons: dict[tuple[str, ...], list[str]] = {}
            for check in verdict.get("checks", []):
                if not check.get("passed") and check.get("weight", 0) > 0:
                    failure = check.get("failure") or {}
                    why = failure_lines(failure, self.languages, self.texts)[: len(self.languages)]
                    reasons.setdefault(tuple(why), []).append(
                        f"✗ {self.texts.title(check['title'], self.languages)}"
                    )
            fix = [titles + list(why) for why, titles in reasons.items()]
            if not fix and verdict.get("reason"):
                fix = [str(verdict["reason"]).splitlines()]
            if not fix:
                fix = [[self.say("summary_all_passed")]]
        state = "success" if score >= possible else ("danger" if score == 0 else "warning")
        items = "".join("<li>" + "<br>".join(escape(line) for line in lines) + "</li>" for lines in fix)
        return (
            f'<tr class="{state}"><td><a href="#{escape(grade_id)}"><code>{escape(grade_id)}</code></a></td>'
            f"<td>{points(score)} / {points(possible)}</td>"
            f'<td><ul class="list-unstyled">{items}</ul></td></tr>\n'
        )
