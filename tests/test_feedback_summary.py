"""``FeedbackSummary`` on notebooks carrying the judge's verdicts, without running nbgrader.

The page-level behaviour (real ``generate_feedback``, read in Chromium) is in
test_feedback_page.py; these pin the table's content rules quickly.
"""

from __future__ import annotations

import re

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.classroom import repo_root
from autograder.preprocessors import FeedbackSummary
from autograder.verdict import CheckResult, score_cell, write_outputs

NOT_WRITTEN = {"key": "not_implemented", "fields": {"name": "relu"}}


def graded_cell(grade_id: str, points: float, checks: list[tuple[str, dict | None]]):
    """A test cell as the judge leaves it, with nbgrader's GetGrades scores filled in."""
    cell = new_code_cell(f"check_{grade_id}()")
    results = [CheckResult(f"t::{title}", grade_id, 1.0, title, f is None, f) for title, f in checks]
    verdict = score_cell(grade_id, points, results)
    write_outputs(cell, verdict)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id}
    cell.metadata["nbgrader"].update(score=verdict.score, points=points)
    return cell


def summary(cells, **grading) -> str:
    nb = new_notebook(cells=[new_markdown_cell("# Title"), *cells])
    # The titles are the activations assignment's (solutions/activations/texts.py).
    summary = FeedbackSummary(course_root=str(repo_root()))
    nb, _ = summary.preprocess(nb, {"nbgrader": {"assignment": "activations", **grading}})
    assert nb.cells[0].metadata.get("autograder_summary"), "the summary must be the first cell"
    return nb.cells[0].source


def test_total_comes_from_nbgrader_so_late_penalties_show() -> None:
    cell = graded_cell("test_relu", 2.0, [("values", None)])
    assert "total: 1.5 / 2" in summary([cell], score=1.5, max_score=2.0)
    assert "total: 2 / 2" in summary([cell])


def test_one_message_for_checks_failed_for_the_same_reason() -> None:
    cell = graded_cell("test_relu", 1.0, [("values", NOT_WRITTEN), ("no_mutation", NOT_WRITTEN)])
    html = summary([cell])
    assert html.count("is not written yet") == 1
    assert "✗ 普通输入上的取值 / values on ordinary inputs" in html
    assert "✗ 不修改输入数组 / does not change its input array" in html
    assert 'class="danger"' in html


def test_passed_partial_and_manual_cells() -> None:
    passed = graded_cell("test_tanh", 2.0, [("values", None)])
    partial = graded_cell(
        "test_sigmoid",
        2.0,
        [("values", None), ("extremes", {"key": "warned", "fields": {"warning": "overflow"}, "input": "x"})],
    )
    manual = new_markdown_cell("answer", metadata={"nbgrader": {"grade": True, "solution": True}})
    manual.metadata["nbgrader"].update(grade_id="pooling_answer", score=1.0, points=2.0)
    html = summary([passed, partial, manual])
    rows = re.findall(r"<tr class=\"(\w+)\">.*?<code>(\w+)</code>.*?<td>([\d.]+ / [\d.]+)</td>", html)
    assert rows == [
        ("success", "test_tanh", "2 / 2"),
        ("warning", "test_sigmoid", "1 / 2"),
        ("warning", "pooling_answer", "1 / 2"),
    ]
    assert "all checks passed" in html and "graded by hand" in html
    assert "use a numerically stable form" in html


def test_student_text_is_escaped() -> None:
    hostile = {"key": "raised", "fields": {"name": "relu", "detail": "<script>alert(1)</script>"}}
    html = summary([graded_cell("test_relu", 1.0, [("values", hostile)])])
    assert "<script>" not in html and "&lt;script&gt;" in html
