"""The pytest plugin that runs hidden checks in the trusted grader process.

The judge runs ``pytest -p autograder.pytest_plugin solutions/<assignment>``
(:mod:`autograder.check_runner`) with the student's kernel connection. The plugin provides the ``student`` fixture,
loads a derandomized hypothesis profile (same notebook, same examples, same score), and
writes one JSON line per collected check before any runs and one per verdict as soon
as a check ends: a time-out of the whole run keeps every verdict reached before it, and
the checks that never reported count as failed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.errors import FlakyFailure

from autograder.checks import CheckFailed, show
from autograder.model_host import ModelLimits
from autograder.student import Raised, StudentKernel, StudentProblem

settings.register_profile(
    "judge",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    print_blob=False,
    report_multiple_bugs=False,
    suppress_health_check=list(HealthCheck),
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("autograder judge")
    group.addoption("--judge-connection", required=True, help="connection file of the student's kernel")
    group.addoption("--judge-pid", type=int, default=None, help="pid of the student's kernel")
    group.addoption("--judge-results", required=True, help="JSON-lines file the verdicts are appended to")
    group.addoption("--judge-call-timeout", type=float, default=20.0, help="seconds one call may take")
    group.addoption("--judge-code", default=None, help="JSON list of the submitted notebook's code cells")
    group.addoption("--judge-max-examples", type=int, default=25, help="hypothesis examples per check")
    group.addoption("--judge-workdir", default=None, help="the kernel's working directory (files it saves)")
    group.addoption(
        "--judge-model-limits", default=None, help="JSON ModelLimits for the processes that run saved models"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "autograder_check(cell, weight, title): a hidden check for a graded cell"
    )
    settings.register_profile(
        "judge-run",
        parent=settings.get_profile("judge"),
        max_examples=config.getoption("--judge-max-examples"),
    )
    settings.load_profile("judge-run")


NOTES = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def submitted_code(request: pytest.FixtureRequest) -> list[str]:
    """The submitted notebook's code cells (not the test cells), read by the grader, not the kernel."""
    path = request.config.getoption("--judge-code")
    return json.loads(Path(path).read_text(encoding="utf-8")) if path else []


@pytest.fixture
def note(request: pytest.FixtureRequest):
    """``note(text)`` adds an information line to this check's feedback; it earns no points."""
    notes = request.node.stash.setdefault(NOTES, [])
    return notes.append


@pytest.fixture(scope="session")
def student(request: pytest.FixtureRequest) -> StudentKernel:
    config = request.config
    limits = config.getoption("--judge-model-limits")
    kernel = StudentKernel(
        config.getoption("--judge-connection"),
        config.getoption("--judge-pid"),
        call_timeout=config.getoption("--judge-call-timeout"),
        work_dir=config.getoption("--judge-workdir"),
        model_limits=ModelLimits.from_json(limits) if limits else None,
    )
    yield kernel
    kernel.close()


@pytest.fixture(autouse=True)
def _check_in_progress(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tell the student kernel which check is calling (see ``StudentKernel.check``)."""
    if "student" not in request.fixturenames:
        yield
        return
    student = request.getfixturevalue("student")
    student.check = request.node.nodeid
    yield
    student.check = ""


def _failure(excinfo: pytest.ExceptionInfo | None) -> dict[str, Any]:
    """The structured reason a check failed, for feedback."""
    if excinfo is None:
        return {"key": "grader_error", "fields": {"detail": "no exception recorded"}}
    return failure_of(excinfo.value)


def failure_of(error: BaseException) -> dict[str, Any]:
    """The structured reason for one exception a check raised."""
    if isinstance(error, FlakyFailure) and error.exceptions:
        # The check failed, then passed when hypothesis ran the same input again: the student's
        # code depends on chance, the clock or state left by an earlier call. Its first failure
        # is what the student can act on, with a word on why it did not happen twice.
        return {**failure_of(error.exceptions[0]), "unreliable": True}
    if isinstance(error, CheckFailed):
        fields = {k: str(v) for k, v in error.fields.items()}
        return {
            "key": error.key,
            "fields": fields,
            # A check may describe its input in words (several arguments): keep that text as it is.
            "input": None
            if error.input is None
            else error.input
            if isinstance(error.input, str)
            else show(error.input),
        }
    if isinstance(error, Raised) and error.detail.startswith("NotImplementedError"):
        return {"key": "not_implemented", "fields": {"name": error.name, "detail": error.detail}}
    if isinstance(error, StudentProblem):
        return {"key": error.key, "fields": {"name": error.name, "detail": error.detail}}
    if isinstance(error, AssertionError):
        return {"key": "check_error", "fields": {"detail": str(error)[:500]}}
    return {"key": "grader_error", "fields": {"detail": f"{type(error).__name__}: {str(error)[:300]}"}}


class _Recorder:
    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, entry: dict[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _marker_fields(item: pytest.Item) -> dict[str, Any] | None:
    marker = item.get_closest_marker("autograder_check")
    if marker is None:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    return {
        "cell": str(marker.kwargs["cell"]).format(**params),
        "weight": float(marker.kwargs.get("weight", 1.0)),
        "title": str(marker.kwargs.get("title", "")).format(**params) or item.name,
    }


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Record every check before any runs: a check that never reports counts as failed."""
    recorder = _Recorder(Path(config.getoption("--judge-results")))
    for item in items:
        fields = _marker_fields(item)
        if fields is not None:
            recorder.write({"collected": item.nodeid, **fields})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    if report.when == "call" or (report.when == "setup" and not report.passed):
        recorder = _Recorder(Path(item.config.getoption("--judge-results")))
        fields = _marker_fields(item)
        if fields is None:
            recorder.write({"unmarked": item.nodeid})
        else:
            entry = {
                "check": item.nodeid,
                **fields,
                "passed": report.passed,
                "notes": item.stash.get(NOTES, []),
                "seconds": round(report.duration, 3),  # where a notebook's check time goes (benchmarks)
            }
            if not report.passed:
                entry["failure"] = _failure(call.excinfo)
            recorder.write(entry)
    return report
