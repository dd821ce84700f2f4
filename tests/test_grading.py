"""Each assignment graded end to end by the real ``nbgrader autograde``, one batch per assignment."""

from __future__ import annotations

import pytest
from conftest import CORPORA, case, corpus_names, corpus_submission

from autograder.verdict import read_verdict

NAMES = [(assignment, student) for assignment in CORPORA for student in corpus_names(assignment)]
CASES = [case(a, s) for a, s in NAMES]
LOSING = [case(a, s) for a, s in NAMES if corpus_submission(a, s).lost]  # their feedback must say why
SHOWING = [case(a, s) for a, s in NAMES if corpus_submission(a, s).cell_output[0]]


@pytest.mark.parametrize("assignment", list(CORPORA))
def test_reference_gets_full_marks(graded_classes, assignment):
    full = CORPORA[assignment].full
    assert graded_classes(assignment).scores["reference"] == {**full, "total": sum(full.values())}


@pytest.mark.parametrize("assignment", list(CORPORA))
def test_untouched_release_gets_nothing(graded_classes, assignment):
    zeros = {cell: 0.0 for cell in CORPORA[assignment].full}
    assert graded_classes(assignment).scores["untouched_release"] == {**zeros, "total": 0.0}


@pytest.mark.parametrize("assignment, student", CASES)
def test_submission_gets_exactly_its_expected_scores(graded_classes, assignment, student):
    graded = graded_classes(assignment)
    submission = graded.submissions[student]
    assert graded.scores[student] == pytest.approx(submission.expected(CORPORA[assignment].full)), (
        submission.why
    )


@pytest.mark.parametrize("assignment, student", LOSING)
def test_feedback_says_what_went_wrong(graded_classes, assignment, student):
    graded = graded_classes(assignment)
    submission = graded.submissions[student]
    cell = submission.feedback_cell or next(iter(submission.lost))
    assert submission.feedback, f"{student}: say which phrase its feedback must contain"
    assert submission.feedback in graded.feedback(student, cell)


@pytest.mark.parametrize("assignment, student", SHOWING)
def test_the_students_own_cell_shows_what_happened(graded_classes, assignment, student):
    """What stopped a cell (memory cap, no network, refused file, dropped output) is in its output."""
    graded = graded_classes(assignment)
    grade_id, phrases = graded.submissions[student].cell_output
    notebook = graded.classroom.autograded_notebook(student, assignment)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    shown = "\n".join(
        o.get("text", "") if o.output_type == "stream" else f"{o.get('ename')}: {o.get('evalue')}"
        for o in cell.outputs
    )
    assert any(phrase in shown for phrase in phrases.split("|")), shown[:2000]


def _checks(graded, student) -> list[tuple[str, str, bool]]:
    notebook = graded.classroom.autograded_notebook(student, graded.assignment)
    return [
        (cell.metadata["nbgrader"]["grade_id"], check["title"], check["passed"])
        for cell in notebook.cells
        if (verdict := read_verdict(cell))
        for check in verdict["checks"]
        if check["weight"] > 0
    ]


@pytest.mark.parametrize("assignment", list(CORPORA))
def test_every_hidden_check_fails_on_some_realistic_submission(graded_classes, assignment, pytestconfig):
    """A check that no submission fails could be a check that cannot fail. Checks that only a slow
    submission fails (a network that trains and misses an accuracy tier) are shown by ``--slow``."""
    graded = graded_classes(assignment)
    all_checks = {(cell, title) for cell, title, _ in _checks(graded, "reference")}
    if not pytestconfig.getoption("--slow"):
        all_checks = {(c, t) for c, t in all_checks if t not in CORPORA[assignment].failed_only_by_slow}
    failed = {
        (cell, title)
        for student in graded.submissions
        if student != "reference"
        for cell, title, passed in _checks(graded, student)
        if not passed
    }
    assert all_checks and all_checks - failed == set()


@pytest.mark.parametrize("assignment", list(CORPORA))
def test_no_check_fails_because_the_grader_itself_broke(graded_classes, assignment):
    """A check that raises an error of its own (a typo in a message's fields, say) scores 0 like a failure
    would, so the expected scores cannot tell the two apart: the verdicts can."""
    graded = graded_classes(assignment)
    broken = [
        (student, check["title"], check["failure"])
        for student in graded.submissions
        for cell in graded.classroom.autograded_notebook(student, assignment).cells
        if (verdict := read_verdict(cell))
        for check in verdict["checks"]
        if (check.get("failure") or {}).get("key") == "grader_error"
    ]
    assert broken == []


def test_feedback_shows_the_smallest_failing_input_and_both_values(graded_classes):
    text = graded_classes("activations").feedback("sigmoid_derivative_of_output", "test_sigmoid_derivative")
    assert "smallest failing input" in text and "expected" in text and "returned" in text


def test_feedback_names_the_first_wrong_pixel_and_its_neighbourhood(graded_classes):
    text = graded_classes("convolution").feedback("kernel_not_transposed", "test_convolve3x3")
    assert "wrong pixel at (" in text and "neighbourhood in the input is [[" in text


def test_fast_version_speed_up_is_reported_for_information(graded_classes):
    graded = graded_classes("convolution")
    assert "faster (information only, no points)" in graded.feedback("reference", "test_convolve3x3_fast")


@pytest.mark.parametrize("assignment", list(CORPORA))
def test_graded_cells_never_run_in_the_student_kernel(graded_classes, assignment):
    """The visible-check code of a test cell is not executed at autograde: its outputs are the judge's."""
    graded = graded_classes(assignment)
    notebook = graded.classroom.autograded_notebook("reference", assignment)
    for cell in notebook.cells:
        if read_verdict(cell) is not None:
            assert cell.outputs[0]["text"].startswith("本题得分"), cell.outputs
            assert "visible checks passed" not in str(cell.outputs)


@pytest.mark.slow  # CI time: tests/test_batch.py compares every row of a second grading with stock's
def test_grading_the_same_notebooks_again_gives_identical_verdicts(graded_classes):
    """Derandomized hypothesis and seeded kernels: a regrade changes no score and no feedback."""
    graded = graded_classes("activations")
    students = ["naive_sigmoid_overflows", "relu_returns_list"]

    def verdicts(student):
        notebook = graded.classroom.autograded_notebook(student, "activations")
        return [read_verdict(cell) for cell in notebook.cells if read_verdict(cell) is not None]

    before = {student: verdicts(student) for student in students}
    for student in students:
        graded.classroom.nbgrader("autograde", "activations", "--force", "--student", student)
    assert {student: verdicts(student) for student in students} == before


@pytest.mark.parametrize(
    "student, restarts", [("reference", 0), ("tamper_kill_own_kernel", 2), ("tamper_infinite_loops", 1)]
)
def test_each_notebook_records_how_its_grading_went(graded_classes, student, restarts):
    """Time spent and kernel restarts are kept in the notebook for class reports."""
    notebook = graded_classes("activations").classroom.autograded_notebook(student, "activations")
    record = notebook.metadata["autograder"]
    assert record["restarts"] == restarts and record["problem"] == ""
    assert (
        0 < record["seconds_cells"] < record["seconds"] and 0 < record["seconds_checks"] < record["seconds"]
    )
    slowest = record["seconds_slowest_checks"]  # where the check time went: the three slowest checks
    assert len(slowest) == 3 and all(name.startswith("test_") for name in slowest)
    assert 0 < sum(slowest.values()) < record["seconds_checks_own"] < record["seconds_checks"]
