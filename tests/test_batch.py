"""``autograder autograde``: parallel, resumable, cached grading that writes what nbgrader writes.

The baseline is the activations class that ``graded_classes`` grades with stock, serial
``nbgrader autograde``: a part of its submissions is copied into a fresh course, graded
there by the project's command, and every gradebook row and autograded notebook is
compared with stock nbgrader's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import postgres
import pytest
from conftest import CORPORA
from nbgrader.api import Gradebook

from autograder.classroom import Classroom
from autograder.verdict import read_verdict

ASSIGNMENT = "activations"
LIMITS = CORPORA[ASSIGNMENT].limits
# A mix: full marks, nothing, two classic mistakes, tampering, two broken hand-ins, a duplicate.
STUDENTS = [
    "reference",
    "untouched_release",
    "naive_sigmoid_overflows",
    "relu_returns_list",
    "tamper_input_transformer",
    "fault_invalid_json",
]
DUPLICATE = "reference_again"  # hands in exactly what "reference" handed in


def sqlite(classroom: Classroom) -> str:
    return f"sqlite:///{classroom.root / 'gradebook.db'}"


def gradebook_rows(db_url: str, assignment: str = ASSIGNMENT) -> dict[str, dict]:
    """Everything nbgrader's gradebook holds about each submission's grades."""
    rows = {}
    with Gradebook(db_url) as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            grades = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grades[grade.name] = (
                        grade.auto_score,
                        grade.manual_score,
                        grade.extra_credit,
                        grade.needs_manual_grade,
                    )
            rows[submission.student_id] = {
                "grades": grades,
                "timestamp": submission.timestamp,
                "late": submission.total_seconds_late,
                "score": submission.score,
            }
    return rows


def comparable(nb: nbformat.NotebookNode) -> dict:
    """An autograded notebook without what differs between two gradings: how long each step took."""
    facts = {k: v for k, v in nb.metadata.get("autograder", {}).items() if not k.startswith("seconds")}
    facts.pop("batch", None)
    cells = [
        (
            cell.cell_type,
            cell.source,
            [dict(o) for o in cell.get("outputs", [])],
            {k: v for k, v in cell.metadata.items() if k != "execution"},
        )
        for cell in nb.cells
    ]
    return {"autograder": facts, "cells": cells}


def autograde(classroom: Classroom, *args: str, **popen) -> subprocess.CompletedProcess | subprocess.Popen:
    command = [str(Path(sys.executable).parent / "autograder"), "autograde", ASSIGNMENT, *args]
    if popen:
        return subprocess.Popen(command, cwd=classroom.root, env=classroom.env(), text=True, **popen)
    return subprocess.run(
        command, cwd=classroom.root, env=classroom.env(), capture_output=True, text=True, check=False
    )


def new_class(root: Path, stock: Classroom, students: list[str]) -> Classroom:
    classroom = Classroom(root)
    classroom.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    for student in students:
        source = stock.root / "submitted" / student / ASSIGNMENT
        shutil.copytree(source, root / "submitted" / student / ASSIGNMENT)
    return classroom


@pytest.fixture(scope="module")
def stock(graded_classes) -> Classroom:
    return graded_classes(ASSIGNMENT).classroom


@pytest.fixture(scope="module")
def batch_class(stock: Classroom, outside_tmp: Path) -> Classroom:
    """The part of the class, plus a duplicate, graded with --jobs 2 after a Ctrl-C mid-batch."""
    classroom = new_class(outside_tmp / "batch-class", stock, STUDENTS)
    shutil.copytree(
        stock.root / "submitted" / "reference" / ASSIGNMENT,
        classroom.root / "submitted" / DUPLICATE / ASSIGNMENT,
    )
    # Ctrl-C once the first student is recorded: the terminal sends SIGINT to the whole process group.
    run = autograde(classroom, "--jobs", "2", *LIMITS, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    start_new_session=True)  # fmt: skip
    assert run.stderr is not None
    for line in run.stderr:
        if "] 0/" not in line and "] " in line:  # the first submission is done
            os.killpg(run.pid, signal.SIGINT)
            break
    out, _ = run.communicate(timeout=300)
    classroom.interrupted = (run.returncode, out)  # type: ignore[attr-defined]
    classroom.resumed = autograde(classroom, "--jobs", "2", *LIMITS)  # type: ignore[attr-defined]
    return classroom


def test_an_interrupted_batch_says_so_and_keeps_what_it_graded(batch_class):
    status, out = batch_class.interrupted
    assert status == 130, out
    assert "interrupted: what was graded is saved" in out


def count(summary: str, what: str) -> int:
    """A number from the run's summary line, e.g. ``count(out, "graded")``."""
    found = re.search(rf"\b{what} (\d+)", summary)
    assert found, summary
    return int(found.group(1))


def test_the_resumed_batch_grades_only_what_was_left(batch_class):
    """Whoever the interrupted run recorded is up to date; the others, and only they, are graded."""
    _, interrupted = batch_class.interrupted
    resumed = batch_class.resumed
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    recorded, everyone = count(interrupted, "graded"), len(STUDENTS) + 1
    assert recorded > 0, f"the interrupt lost graded work: {interrupted}"
    assert recorded < everyone, f"the interrupt came after the last student, nothing to resume: {interrupted}"
    assert count(resumed.stdout, "up to date") == recorded, resumed.stdout
    assert count(resumed.stdout, "graded") == everyone - recorded, resumed.stdout


def test_parallel_grading_writes_the_gradebook_rows_stock_nbgrader_writes(batch_class, stock):
    ours = gradebook_rows(sqlite(batch_class))
    theirs = gradebook_rows(sqlite(stock))
    assert set(ours) == {*STUDENTS, DUPLICATE}
    for student in STUDENTS:
        assert ours[student] == theirs[student], student
    assert ours[DUPLICATE]["grades"] == theirs["reference"]["grades"]


@pytest.mark.parametrize("student", STUDENTS)
def test_parallel_grading_writes_the_notebooks_stock_nbgrader_writes(batch_class, stock, student):
    ours = batch_class.autograded_notebook(student, ASSIGNMENT)
    assert comparable(ours) == comparable(stock.autograded_notebook(student, ASSIGNMENT))


def test_a_duplicate_is_not_judged_again_and_gets_the_same_verdict(batch_class, stock):
    """The content cache: the same notebook, the same judge, the same verdict, no kernel."""
    ours = batch_class.autograded_notebook(DUPLICATE, ASSIGNMENT)
    assert ours.metadata["autograder"]["batch"]["cached"] is True
    original = comparable(stock.autograded_notebook("reference", ASSIGNMENT))
    assert comparable(ours) == original


def test_running_again_grades_nothing_when_nothing_changed(batch_class):
    before = gradebook_rows(sqlite(batch_class))
    again = autograde(batch_class, "--jobs", "2", *LIMITS)
    assert again.returncode == 0
    assert f"up to date {len(STUDENTS) + 1}" in again.stdout and "0 notebooks judged" in again.stdout
    assert gradebook_rows(sqlite(batch_class)) == before


def test_a_changed_submission_is_graded_again_and_only_it(batch_class, stock):
    """relu_returns_list hands in the reference solution instead: only that student is graded (by
    one worker process, the serial path)."""
    reference = batch_class.reference_cells(ASSIGNMENT)
    batch_class.submit("relu_returns_list", ASSIGNMENT, reference)
    again = autograde(batch_class, "--jobs", "1", *LIMITS)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "graded 1 " in again.stdout and f"up to date {len(STUDENTS)}" in again.stdout
    assert batch_class.scores(ASSIGNMENT)["relu_returns_list"] == stock.scores(ASSIGNMENT)["reference"]


def test_force_judges_again_even_what_the_cache_holds(batch_class):
    """--force is how a TA asks for a fresh verdict (after a classmate's sabotage, say): the cache
    must not answer it."""
    before = gradebook_rows(sqlite(batch_class))
    again = autograde(batch_class, "--jobs", "1", "--force", "--student", DUPLICATE, *LIMITS)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "graded 1 (0 from the cache, 1 notebooks judged)" in again.stdout
    assert gradebook_rows(sqlite(batch_class))[DUPLICATE]["grades"] == before[DUPLICATE]["grades"]


@pytest.mark.slow  # CI time: the duplicate's cached verdict is compared in CI
def test_the_cache_never_changes_a_grade(batch_class):
    """Graded again with the cache off, from scratch: every row is the same as with the cache."""
    before = gradebook_rows(sqlite(batch_class))
    students = [DUPLICATE]
    selected = [arg for student in students for arg in ("--student", student)]
    again = autograde(batch_class, "--jobs", "2", "--no-cache", "--force", *selected, *LIMITS)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "graded 1 (0 from the cache, 1 notebooks judged)" in again.stdout
    after = gradebook_rows(sqlite(batch_class))
    assert {s: after[s]["grades"] for s in students} == {s: before[s]["grades"] for s in students}
    assert (
        batch_class.autograded_notebook(DUPLICATE, ASSIGNMENT).metadata["autograder"]["batch"]["cached"]
        is False
    )


def test_a_local_dask_cluster_grades_like_stock_nbgrader(stock, outside_tmp):
    students = ["naive_sigmoid_overflows", "fault_invalid_json"]
    classroom = new_class(outside_tmp / "dask-class", stock, students)
    run = autograde(classroom, "--dask", "--jobs", "2", *LIMITS)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 at a time" in run.stdout
    ours = gradebook_rows(sqlite(classroom))
    theirs = gradebook_rows(sqlite(stock))
    assert ours == {student: theirs[student] for student in students}


@pytest.mark.slow  # CI time (the 30-minute budget)
def test_workers_without_the_course_give_rows_of_zeros_with_the_reason(stock, outside_tmp):
    """A failure in a worker costs that submission its points, with a reason; the batch goes on."""
    students = ["reference", "fault_invalid_json"]
    classroom = new_class(outside_tmp / "no-course-class", stock, students)
    run = autograde(classroom, "--jobs", "2", "--worker-course", str(outside_tmp / "nowhere"), *LIMITS)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "failed 2" in run.stdout and "nowhere" in run.stdout
    scores = classroom.scores(ASSIGNMENT)
    assert set(scores) == set(students) and all(row["total"] == 0 for row in scores.values())
    for cell in classroom.autograded_notebook("reference", ASSIGNMENT).cells:
        verdict = read_verdict(cell)
        if verdict is not None:
            assert verdict["score"] == 0 and "nowhere" in verdict["reason"]
    rerun = autograde(classroom, "--jobs", "2", *LIMITS)  # failed students are tried again
    assert rerun.returncode == 0 and "graded 2" in rerun.stdout, rerun.stdout + rerun.stderr
    assert classroom.scores(ASSIGNMENT)["reference"]["total"] == 12.0


def test_bad_input_is_refused_with_a_clear_message(batch_class):
    classroom = batch_class
    unknown = autograde(classroom, "--student", "nobody")
    assert unknown.returncode == 2 and "no submission of activations from nobody" in unknown.stderr
    typo = autograde(classroom, "--jobz", "2")
    assert typo.returncode == 2 and "unrecognized arguments: --jobz" in typo.stderr


def test_a_postgresql_gradebook_gets_the_rows_sqlite_gets(stock, outside_tmp):
    """nbgrader's db_url on a real PostgreSQL server: the same rows as stock nbgrader's sqlite."""
    students = ["naive_sigmoid_overflows", "fault_wrong_name"]
    with postgres.server() as url:
        option = f"--CourseDirectory.db_url={url}"
        classroom = Classroom(outside_tmp / "postgres-class")
        classroom.nbgrader("generate_assignment", ASSIGNMENT, "--force", option)
        for student in students:
            source = stock.root / "submitted" / student / ASSIGNMENT
            shutil.copytree(source, classroom.root / "submitted" / student / ASSIGNMENT)
        run = autograde(classroom, "--jobs", "2", option, *LIMITS)
        assert run.returncode == 0, run.stdout + run.stderr
        assert url in run.stdout
        ours = gradebook_rows(url)
    assert not (classroom.root / "gradebook.db").exists()
    theirs = gradebook_rows(sqlite(stock))
    assert ours == {student: theirs[student] for student in students}


@pytest.mark.slow  # CI time: the local Dask path is in CI
def test_a_dask_scheduler_started_by_hand_grades_like_stock_nbgrader(stock, outside_tmp):
    """As a TA would on several machines: `dask scheduler`, `dask worker`, then --scheduler."""
    students = ["relu_returns_list"]
    classroom = new_class(outside_tmp / "scheduler-class", stock, students)
    dask = str(Path(sys.executable).parent / "dask")
    address_file = outside_tmp / "scheduler.json"
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(address_file)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = None
    try:
        for _ in range(300):
            if address_file.exists() and address_file.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        worker = subprocess.Popen(
            [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=classroom.env(),
        )  # fmt: skip
        run = autograde(classroom, "--scheduler", address, "--worker-course", str(classroom.root), *LIMITS)
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 at a time" in run.stdout  # no --jobs: as many as the cluster's worker threads
    ours = gradebook_rows(sqlite(classroom))
    assert ours == {student: gradebook_rows(sqlite(stock))[student] for student in students}


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow  # CI time (the 30-minute budget)
def test_a_killed_worker_costs_no_grade(stock, outside_tmp):
    """SIGKILL to the worker process mid-judging: a new worker judges its notebooks again, and the
    grades are stock nbgrader's."""
    students = ["naive_sigmoid_overflows", "fault_invalid_json"]
    classroom = new_class(outside_tmp / "killed-worker-class", stock, students)
    run = autograde(classroom, "--jobs", "1", *LIMITS, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(600):  # the worker is judging once it has started a kernel
            judging = [worker for worker in children(run.pid) if children(worker)]
            if judging:
                os.kill(judging[0], signal.SIGKILL)
                break
            time.sleep(0.1)
        else:
            pytest.fail("no worker started judging within a minute")
        out, err = run.communicate(timeout=300)
    finally:
        run.kill()
    assert run.returncode == 0, out + err
    assert "cut short by a worker process dying; judged again" in out
    assert gradebook_rows(sqlite(classroom)) == {s: gradebook_rows(sqlite(stock))[s] for s in students}
