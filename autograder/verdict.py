"""Turn check results into each graded cell's score and feedback, as nbgrader outputs.

nbgrader reads a graded code cell's score from its outputs (``determine_grade``): an
error output means 0, the first ``execute_result`` number is partial credit, and *no*
output means full marks. The judge therefore always writes every graded test cell's
outputs itself: the feedback text, the points as an ``execute_result``, and an error
output when nothing was earned, so a cell can never default to full marks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.utils import is_grade, is_solution

from autograder.feedback import ENGINE_TEXTS, LANGUAGES, Texts


@dataclass
class CheckResult:
    """One hidden check's outcome as the pytest plugin recorded it."""

    check: str
    cell: str
    weight: float
    title: str
    passed: bool
    failure: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0  # the check's own run time, hypothesis examples and shrinking included


@dataclass
class CellVerdict:
    """A graded cell's score and the lines of feedback explaining it."""

    grade_id: str
    points: float
    score: float
    lines: list[str] = field(default_factory=list)
    reason: str = ""
    checks: list[CheckResult] = field(default_factory=list)


def read_results(path: Path) -> list[CheckResult]:
    """Every collected check's result; a check that was collected but never reported failed.

    A check run cut short (time limit, crash) must not score as if the checks it never
    reached did not exist.
    """
    collected: dict[str, dict[str, Any]] = {}
    reported: dict[str, CheckResult] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if "collected" in entry:
                collected[entry.pop("collected")] = entry
            elif "check" in entry:
                reported[entry["check"]] = CheckResult(**entry)
    unfinished = {"key": "not_finished", "fields": {}}
    missing = [
        CheckResult(check=nodeid, **fields, passed=False, failure=unfinished)
        for nodeid, fields in collected.items()
        if nodeid not in reported
    ]
    return list(reported.values()) + missing


def slowest_checks(results: Sequence[CheckResult], count: int = 3) -> dict[str, float]:
    """The ``count`` checks that took longest, by pytest node id within the checks' file, in seconds:
    where a notebook's check time went, for benchmarks and whoever wonders why a batch is slow."""
    ranked = sorted((result for result in results if result.seconds > 0), key=lambda result: -result.seconds)
    return {result.check.split("::", 1)[-1]: result.seconds for result in ranked[:count]}


def failure_lines(
    failure: dict[str, Any], languages: Sequence[str], texts: Texts = ENGINE_TEXTS
) -> list[str]:
    """What went wrong in a failed check, in each language, then the failing input.

    ``texts``: the assignment's (``autograder.assignments``), which know its checks' own messages."""
    key = failure.get("key", "grader_error")
    fields = failure.get("fields", {})
    try:
        text = texts.message(key, languages, **fields)
    except (KeyError, IndexError, ValueError):
        text = texts.message("grader_error", languages, detail=f"{key} {fields}")
    lines = text.splitlines()
    if failure.get("input"):
        lines += texts.message("failing_input", languages, input=failure["input"]).splitlines()
    if failure.get("unreliable"):
        lines += texts.message("unreliable", languages).splitlines()
    return lines


def score_cell(
    grade_id: str,
    points: float,
    results: Iterable[CheckResult],
    problem: str = "",
    languages: Sequence[str] = LANGUAGES,
    texts: Texts = ENGINE_TEXTS,
) -> CellVerdict:
    """Points for one cell: its points times the weight share of the checks that passed.

    ``problem`` is a reason that applies to the whole run (the checks could not finish);
    a cell with no recorded checks then gets 0 with that reason. ``texts``: the assignment's.
    """
    mine = [r for r in results if r.cell == grade_id]
    if not mine:
        reason = problem or texts.message("no_checks", languages)
        return CellVerdict(grade_id, points, 0.0, reason.splitlines(), reason)
    total = sum(r.weight for r in mine)
    earned = sum(r.weight for r in mine if r.passed)
    score = min(points, round(points * earned / total, 4)) if total > 0 else 0.0
    lines: list[str] = []
    shown: set[tuple[str, ...]] = set()
    for r in mine:
        share = points * r.weight / total if total > 0 else 0.0
        mark = "✓" if r.passed else "✗"
        if r.weight == 0:  # information only, worth no points
            lines.append(f"ℹ {texts.title(r.title, languages)}")
        else:
            lines.append(
                f"{mark} {texts.title(r.title, languages)}  [{share if r.passed else 0:g}/{share:g}]"
            )
        lines += ["    " + line for note in r.notes for line in note.splitlines()]
        if not r.passed and r.failure:
            details = tuple(failure_lines(r.failure, languages, texts))
            lines += (
                ["    " + line for line in details]
                if details not in shown
                else ["    " + texts.message("same_as_above", languages).replace("\n", " / ")]
            )
            shown.add(details)
    first_failure = next((r for r in mine if not r.passed and r.weight > 0), None)
    reason = ""
    if score == 0 and first_failure is not None:
        reason = " ".join(failure_lines(first_failure.failure or {}, languages, texts)[:2])
    return CellVerdict(grade_id, points, score, lines, reason, mine)


def write_outputs(cell: NotebookNode, verdict: CellVerdict, languages: Sequence[str] = LANGUAGES) -> None:
    """Replace ``cell``'s outputs with the verdict, in the form nbgrader's grading reads."""
    header = ENGINE_TEXTS.message("cell_score", languages, score=verdict.score, points=verdict.points)
    text = "\n".join([" | ".join(header.splitlines()), *verdict.lines]) + "\n"
    outputs = [
        new_output("stream", name="stdout", text=text),
        new_output(
            "execute_result",
            data={"text/plain": f"{verdict.score:g}"},
            metadata={
                "autograder": {
                    "score": verdict.score,
                    "points": verdict.points,
                    "reason": verdict.reason,
                    # without each check's run time: the same notebook gives the same verdict every time
                    "checks": [
                        {key: value for key, value in asdict(check).items() if key != "seconds"}
                        for check in verdict.checks
                    ],
                }
            },
            execution_count=cell.get("execution_count"),
        ),
    ]
    if verdict.score <= 0:
        reason = ENGINE_TEXTS.message("no_credit", languages, reason=verdict.reason or "-")
        outputs.append(
            new_output(
                "error", ename="NoCredit", evalue=reason.splitlines()[-1], traceback=reason.splitlines()
            )
        )
    cell.outputs = outputs


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test cell: graded, not a solution, code. Its outputs are the judge's alone: nbgrader
    clears every output before grading, and such a cell never runs in the student's kernel."""
    return cell.cell_type == "code" and is_grade(cell) and not is_solution(cell)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_CHECK_FIELDS = {"check": str, "cell": str, "title": str, "passed": bool, "notes": list}


def _well_formed(verdict: Any) -> bool:
    """Shaped as ``write_outputs`` writes it, so readers (reports, exports) can rely on every field."""
    if not (
        isinstance(verdict, dict)
        and _is_number(verdict.get("score"))
        and _is_number(verdict.get("points"))
        and isinstance(verdict.get("reason"), str)
        and isinstance(verdict.get("checks"), list)
    ):
        return False
    return all(
        isinstance(check, dict)
        and all(isinstance(check.get(name), kind) for name, kind in _CHECK_FIELDS.items())
        and _is_number(check.get("weight"))
        and isinstance(check.get("failure"), (dict, type(None)))
        for check in verdict["checks"]
    )


def read_verdict(cell: NotebookNode) -> dict[str, Any] | None:
    """The judge's structured verdict stored in an autograded test cell, if it has one.

    Only test cells are read: any other code cell ran in the student's kernel, whose outputs
    may imitate the judge's (an object's ``_repr_mimebundle_`` sets an ``execute_result``'s
    metadata), and must count for nothing in reports and exports.
    """
    if not is_test_cell(cell):
        return None
    for output in cell.get("outputs", []):
        if output.get("output_type") == "execute_result" and "autograder" in output.get("metadata", {}):
            verdict = output["metadata"]["autograder"]
            return verdict if _well_formed(verdict) else None
    return None
