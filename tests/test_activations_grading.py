"""The ``activations`` assignment graded end to end by the real ``nbgrader autograde``."""

from __future__ import annotations

import re

import pytest
from activations_corpus import FULL, WRONG, tampering
from conftest import TEST_LIMITS, cell_feedback

from autograder.verdict import read_verdict

TAMPERING = list(tampering("/course", {name.removeprefix("test_"): "" for name in FULL}))


def test_reference_gets_full_marks(activations_class):
    assert activations_class.scores["reference"] == {**FULL, "total": 12.0}


def test_untouched_release_gets_nothing(activations_class):
    assert activations_class.scores["untouched_release"] == {**{c: 0.0 for c in FULL}, "total": 0.0}


@pytest.mark.parametrize("student", list(WRONG) + TAMPERING)
def test_submission_gets_exactly_its_expected_scores(activations_class, student):
    submission = activations_class.submissions[student]
    assert activations_class.scores[student] == pytest.approx(submission.expected()), submission.why


@pytest.mark.parametrize("student", list(WRONG) + TAMPERING)
def test_feedback_says_what_went_wrong(activations_class, student):
    submission = activations_class.submissions[student]
    cell = submission.feedback_cell or next(iter(submission.lost))
    assert submission.feedback in cell_feedback(activations_class, student, cell)


def test_every_hidden_check_fails_on_some_submission(activations_class):
    """A check no submission fails could be a check that cannot fail."""
    failed: set[tuple[str, str]] = set()
    all_checks: set[tuple[str, str]] = set()
    for student in activations_class.submissions:
        for grade_id in FULL:
            for line in cell_feedback(activations_class, student, grade_id).splitlines():
                match = re.match(r"([✓✗]) (.+?)  \[", line)
                if match:
                    all_checks.add((grade_id, match.group(2)))
                    if match.group(1) == "✗":
                        failed.add((grade_id, match.group(2)))
    assert len(all_checks) == 4 * len(FULL)
    assert all_checks - failed == set()


def test_feedback_shows_the_smallest_failing_input_and_both_values(activations_class):
    text = cell_feedback(activations_class, "sigmoid_derivative_of_output", "test_sigmoid_derivative")
    assert "smallest failing input" in text and "expected" in text and "returned" in text


def test_graded_cells_never_run_in_the_student_kernel(activations_class):
    """The visible-check code of a test cell is not executed at autograde: its outputs are the judge's."""
    notebook = activations_class.classroom.autograded_notebook("reference", "activations")
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in FULL:
            assert cell.outputs[0]["text"].startswith("本题得分"), cell.outputs
            assert "visible checks passed" not in str(cell.outputs)


def test_grading_the_same_notebooks_again_gives_identical_verdicts(activations_class):
    """Derandomized hypothesis and seeded kernels: a regrade changes no score and no feedback."""
    classroom = activations_class.classroom
    students = ["naive_sigmoid_overflows", "relu_returns_list"]

    def verdicts(student):
        notebook = classroom.autograded_notebook(student, "activations")
        return [read_verdict(cell) for cell in notebook.cells if read_verdict(cell) is not None]

    before = {student: verdicts(student) for student in students}
    for student in students:
        classroom.nbgrader("autograde", "activations", "--force", "--student", student, *TEST_LIMITS)
    assert {student: verdicts(student) for student in students} == before
