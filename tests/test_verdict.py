"""Scores written by the judge are read back by nbgrader's own grading code unchanged."""

from __future__ import annotations

import copy
import json
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell
from nbgrader.utils import determine_grade

from autograder import assignments
from autograder.classroom import repo_root
from autograder.verdict import (
    CheckResult,
    read_results,
    read_verdict,
    score_cell,
    slowest_checks,
    write_outputs,
)


def graded_cell(points: float):
    cell = new_code_cell("check_something(f)")
    cell.metadata["nbgrader"] = {
        "grade": True, "solution": False, "locked": True, "points": points,
        "grade_id": "test_f", "schema_version": 3, "task": False,
    }  # fmt: skip
    return cell


def result(passed: bool, weight: float = 1.0, title: str = "values") -> CheckResult:
    failure = None if passed else {"key": "values_differ", "fields": {
        "index": "(0,)", "at_input": "1.0", "got": "0.0", "expected": "1.0"}, "input": "np.array([1.0])"}  # fmt: skip
    return CheckResult(check="t", cell="test_f", weight=weight, title=title, passed=passed, failure=failure)


@given(
    points=st.sampled_from([0.5, 1, 2, 3, 7.5]),
    checks=st.lists(st.tuples(st.booleans(), st.sampled_from([1.0, 2.0, 0.5])), min_size=1, max_size=6),
)
def test_nbgrader_reads_back_exactly_the_judges_score(points, checks):
    results = [result(passed, weight) for passed, weight in checks]
    verdict = score_cell("test_f", points, results)
    expected = points * sum(w for p, w in checks if p) / sum(w for _, w in checks)
    assert verdict.score == pytest.approx(expected, abs=1e-4)
    cell = graded_cell(points)
    write_outputs(cell, verdict)
    assert determine_grade(cell) == (pytest.approx(verdict.score), points)


def test_a_cell_without_checks_scores_zero_and_says_why():
    verdict = score_cell("test_f", 2, [result(True)] * 0)
    cell = graded_cell(2)
    write_outputs(cell, verdict)
    assert determine_grade(cell)[0] == 0
    assert "no hidden checks" in cell.outputs[0]["text"]


def test_a_run_problem_scores_unfinished_cells_zero_with_its_reason():
    verdict = score_cell("test_f", 2, [], problem="the grader itself failed: boom")
    assert verdict.score == 0 and "boom" in verdict.reason


def test_checks_for_other_cells_do_not_count():
    other = CheckResult(check="t", cell="test_g", weight=1, title="values", passed=True)
    assert score_cell("test_f", 2, [other, result(False)]).score == 0


def test_feedback_names_each_check_with_its_share_and_the_failing_input():
    titles = assignments.texts_for(repo_root(), "activations")  # the assignment these titles are from
    verdict = score_cell("test_f", 2, [result(True), result(False, title="extremes")], texts=titles)
    cell = graded_cell(2)
    write_outputs(cell, verdict)
    text = cell.outputs[0]["text"]
    assert "✓ 普通输入上的取值 / values on ordinary inputs  [1/1]" in text
    assert "✗" in text and "expected 1.0" in text and "smallest failing input: np.array([1.0])" in text


def test_structured_verdict_is_stored_on_the_score_output():
    verdict = score_cell("test_f", 2, [result(True), result(False)])
    cell = graded_cell(2)
    write_outputs(cell, verdict)
    stored = read_verdict(cell)
    assert stored["score"] == 1 and [c["passed"] for c in stored["checks"]] == [True, False]


def test_checks_that_never_reported_count_as_failed(tmp_path):
    """A check run cut short must not score only the checks it reached."""
    results = tmp_path / "results.jsonl"
    lines = [
        {"collected": "a", "cell": "test_f", "weight": 1.0, "title": "values"},
        {"collected": "b", "cell": "test_f", "weight": 1.0, "title": "extremes"},
        {"check": "a", "cell": "test_f", "weight": 1.0, "title": "values", "passed": True, "notes": []},
    ]
    results.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    verdict = score_cell("test_f", 2, read_results(results))
    assert verdict.score == 1
    assert any("did not finish" in line for line in verdict.lines)


def test_the_slowest_checks_are_read_from_the_results_in_order(tmp_path):
    """Each check's own time comes back with its result; the three slowest, by name within the file."""
    results = tmp_path / "results.jsonl"
    times = {"values": 0.2, "extremes": 3.5, "grad": 0.0, "shape": 1.25, "dtype": 0.5}
    lines = [
        {"check": f"test_f.py::test_{name}", "cell": "test_f", "weight": 1.0, "title": name, "passed": True,
         "notes": [], "seconds": seconds}
        for name, seconds in times.items()
    ]  # fmt: skip
    results.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    slowest = slowest_checks(read_results(results))
    assert list(slowest.items()) == [("test_extremes", 3.5), ("test_shape", 1.25), ("test_dtype", 0.5)]


def test_no_failure_message_expects_the_input_among_its_fields():
    """A check's input travels beside its fields and is shown on its own line ("smallest failing
    input"); a message that formats ``{input}`` would turn every such failure into a grader error."""
    fields = {
        key: {name for text in texts.values() for _, name, _, _ in string.Formatter().parse(text) if name}
        for assignment in assignments.find(repo_root()).values()
        for key, texts in assignment.texts().messages.items()
    }
    assert [key for key, names in fields.items() if "input" in names] == ["failing_input"]


def test_a_check_that_fails_once_then_passes_says_why_not_grader_error():
    """Hypothesis replays a failing input; if it then passes (the code depends on chance or on state
    from an earlier call) it raises FlakyFailure: the student reads the first failure and a hint."""
    from hypothesis import settings
    from hypothesis.errors import FlakyFailure

    from autograder.checks import CheckFailed
    from autograder.pytest_plugin import failure_of
    from autograder.verdict import failure_lines

    calls = []

    @settings(database=None, derandomize=True)
    @given(st.integers())
    def remembers_its_first_call(x):
        calls.append(x)
        if len(calls) == 1:
            raise CheckFailed("wrong_type", got="list")

    with pytest.raises(FlakyFailure) as raised:
        remembers_its_first_call()
    failure = failure_of(raised.value)
    assert failure["key"] == "wrong_type" and failure["unreliable"] is True
    lines = failure_lines(failure, ["en"])
    assert "list" in lines[0] and "passed when run again" in lines[-1]


def test_a_verdict_is_read_only_from_a_test_cell_and_only_when_well_formed():
    """A student cell ran in the kernel, which can write an execute_result with any metadata
    (``_repr_mimebundle_``); only test cells hold the judge's outputs, and a reader can rely on them."""
    verdict = score_cell("test_f", 2, [result(True), result(False)])
    judged = graded_cell(2)
    write_outputs(judged, verdict)
    forged = copy.deepcopy(judged)
    forged.metadata["nbgrader"] = {"grade_id": "f", "grade": False, "solution": True, "locked": False}
    assert read_verdict(judged) is not None and read_verdict(forged) is None
    for broken in (
        {"score": 2, "points": 2, "reason": "", "checks": [{"title": '=HYPERLINK("x")', "passed": True}]},
        {"score": "2", "points": 2, "reason": "", "checks": []},
        {"score": 2, "points": 2, "reason": "", "checks": "all"},
        ["not", "a", "verdict"],
    ):
        cell = copy.deepcopy(judged)
        cell.outputs[1]["metadata"]["autograder"] = broken
        assert read_verdict(cell) is None, broken


@given(forged=st.text(alphabet=st.sampled_from("✓✗[]/6 \n\r\t\x1b\x85\x0b\x0c\u2028\u202eabc"), max_size=40))
def test_student_text_in_feedback_cannot_pass_for_a_line_of_the_judges(forged):
    """An exception message is the student's text: whatever it holds (newlines, a carriage return,
    escape sequences, a right-to-left override), each line it makes is marked as quoted, and it adds
    no check line and no control character to what the student and the TA read."""
    raised = CheckResult("t", "test_f", 1.0, "values", False, {
        "key": "raised", "fields": {"name": "f", "detail": f"ValueError: {forged}\n✓ values  [2/2]"}})  # fmt: skip
    verdict = score_cell("test_f", 2, [raised, result(True, title="extremes")])
    cell = graded_cell(2)
    write_outputs(cell, verdict)
    text = cell.outputs[0]["text"]
    assert not any(ch in text for ch in "\r\x1b\x85\x0b\x0c\u2028\u202e")
    check_lines = [line for line in text.splitlines() if line.lstrip().startswith(("✓", "✗"))]
    assert len(check_lines) == 2, text  # one per check: the forged one is quoted
    assert all(not line.startswith(" ") for line in check_lines), text
