"""The feedback page a student opens, read in headless Chromium as they would read it.

``nbgrader generate_feedback`` runs for the graded activations class (the real command,
with the course's config, so ``FeedbackSummary`` is in the pipeline); each page is opened
in Debian's Chromium and its rendered text is checked against the gradebook. Screenshots
of the summary and of a failing cell are kept in ``test-artifacts/feedback/``.
"""

from __future__ import annotations

import json
import shutil

import pytest
from browser import Chromium
from corpus import autograde_points

from autograder.classroom import repo_root

ASSIGNMENT = "activations"
ARTIFACTS = repo_root() / "test-artifacts" / "feedback"
STUDENTS = ["reference", "relu_derivative_zero_at_zero", "untouched_release"]

FULL_MARKS = sum(autograde_points("activations").values())


def points(value: float) -> str:
    return f"{round(value, 4):g}"


@pytest.fixture(scope="module")
def pages(graded_classes):
    """{student: (scores from the gradebook, browser with helpers)} after generating feedback."""
    if shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: run `bin/setup tests` (bin/test does)")
    graded = graded_classes(ASSIGNMENT)
    graded.classroom.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    with Chromium() as browser:
        yield graded, browser


def open_page(graded, browser: Chromium, student: str) -> None:
    browser.open(graded.classroom.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html")


def graded_cell(grade_id: str) -> str:
    """JavaScript for a graded cell's element: its code and the judge's output under it."""
    return f"document.querySelector('a[name={json.dumps(grade_id)}]').closest('div.cell')"


def summary_rows(browser: Chromium) -> dict[str, str]:
    """The summary table's rows by the graded cell they name."""
    rows = browser.evaluate(
        "[...document.querySelectorAll('#autograder-summary tbody tr')].map(r => r.innerText)"
    )
    return {row.split()[0]: row for row in rows}


@pytest.mark.parametrize("student", STUDENTS)
def test_summary_comes_first_and_matches_the_gradebook(pages, student: str) -> None:
    graded, browser = pages
    open_page(graded, browser, student)
    scores = graded.scores[student]
    summary_top = browser.evaluate(
        "document.querySelector('#autograder-summary').getBoundingClientRect().top"
    )
    first_cell_top = browser.evaluate(
        "document.querySelector('div.nbgrader_cell').getBoundingClientRect().top"
    )
    assert summary_top < first_cell_top, "the summary must be above the first graded cell"
    summary = browser.text("#autograder-summary")
    assert f"总分 / total: {points(scores['total'])} / {points(FULL_MARKS)}" in summary
    rows = summary_rows(browser)
    assert set(rows) == {cell for cell in scores if cell != "total"}
    for cell, score in scores.items():
        if cell != "total":
            assert rows[cell].split("\t")[1].startswith(f"{points(score)} / "), (cell, rows[cell])
    browser.screenshot(ARTIFACTS / f"{student}-summary.png", "document.getElementById('autograder-summary')")


def test_reference_page_says_everything_passed(pages) -> None:
    graded, browser = pages
    open_page(graded, browser, "reference")
    for cell, row in summary_rows(browser).items():
        assert "全部通过 / all checks passed" in row, (cell, row)


def test_wrong_answer_page_shows_check_input_expected_and_got(pages) -> None:
    graded, browser = pages
    open_page(graded, browser, "relu_derivative_zero_at_zero")
    row = summary_rows(browser)["test_relu_derivative"]
    assert "0.25 / 1" in row
    assert "✗ 普通输入上的取值 / values on ordinary inputs" in row
    assert "returned 0.0, expected 1.0" in row and "得到 0.0，期望 1.0" in row
    cell = browser.evaluate(graded_cell("test_relu_derivative") + ".innerText")
    assert "本题得分 0.25 / 1 | score 0.25 of 1" in cell
    assert "smallest failing input:" in cell and "最小的出错输入" in cell
    assert "✓ " in cell and "✗ " in cell  # partial credit: passed and failed checks both listed
    browser.screenshot(
        ARTIFACTS / "relu_derivative_zero_at_zero-cell.png", graded_cell("test_relu_derivative")
    )


def test_untouched_notebook_page_says_what_to_write(pages) -> None:
    graded, browser = pages
    open_page(graded, browser, "untouched_release")
    rows = summary_rows(browser)
    assert rows and all(
        "replace `raise NotImplementedError()` with your code" in row for row in rows.values()
    )
    assert f"总分 / total: 0 / {points(FULL_MARKS)}" in browser.text("#autograder-summary")
