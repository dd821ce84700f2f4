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
from conftest import corpus_submission
from corpus import autograde_points
from nbgrader.api import Gradebook

from autograder.classroom import Classroom
from autograder.verdict import read_verdict

ASSIGNMENT = "activations"
# Hostile classmates, one for each way a kernel can attack what runs beside it: memory, processes,
# output, other students' files, the grader's modules, its own kernel (issue #17). Graded in the
# same --jobs 2 batch as honest ones, everyone must get the grade stock serial grading gave them.
HOSTILE = [
    "fault_memory_bomb",
    "fault_fork_bomb",
    "fault_display_updates",
    "fault_read_other_submission",
    "tamper_steal_from_modules",
    "tamper_kill_own_kernel",
]
# A mix: full marks, nothing, two classic mistakes, tampering, two broken hand-ins, the hostile
# classmates, a duplicate.
STUDENTS = [
    "reference",
    "untouched_release",
    "naive_sigmoid_overflows",
    "relu_returns_list",
    "tamper_input_transformer",
    "fault_invalid_json",
    *HOSTILE,
]
# Whether the fork bomb's kernel is stopped by its memory cap, its process cap or the cell's time
# limit depends on the machine's load: its score does not, but the message in its notebook does.
# The display flood likewise: under heavy load its cell can reach the time limit before the output cap,
# and the memory bomb before the memory cap (4 GB of pages to touch in 15 s, on two shared cores).
OUTPUTS_DEPEND_ON_LOAD = {"fault_fork_bomb", "fault_display_updates", "fault_memory_bomb"}
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
    # SIGINT as a terminal gives it: a job started in the background by a script (CI) inherits it ignored.
    run = autograde(classroom, "--jobs", "2", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
    assert run.stderr is not None
    for line in run.stderr:
        if "] 0/" not in line and "] " in line:  # the first submission is done
            os.killpg(run.pid, signal.SIGINT)
            break
    out, _ = run.communicate(timeout=300)
    classroom.interrupted = (run.returncode, out)  # type: ignore[attr-defined]
    classroom.resumed = autograde(classroom, "--jobs", "2")  # type: ignore[attr-defined]
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


@pytest.mark.parametrize("student", [s for s in STUDENTS if s not in OUTPUTS_DEPEND_ON_LOAD])
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
    again = autograde(batch_class, "--jobs", "2")
    assert again.returncode == 0
    assert f"up to date {len(STUDENTS) + 1}" in again.stdout and "0 notebooks judged" in again.stdout
    assert gradebook_rows(sqlite(batch_class)) == before


def test_a_changed_submission_is_graded_again_and_only_it(batch_class, stock):
    """relu_returns_list hands in the reference solution instead: only that student is graded (by
    one worker process, the serial path)."""
    reference = batch_class.reference_cells(ASSIGNMENT)
    batch_class.submit("relu_returns_list", ASSIGNMENT, reference)
    again = autograde(batch_class, "--jobs", "1")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "graded 1 " in again.stdout and f"up to date {len(STUDENTS)}" in again.stdout
    assert batch_class.scores(ASSIGNMENT)["relu_returns_list"] == stock.scores(ASSIGNMENT)["reference"]


def test_force_judges_again_even_what_the_cache_holds(batch_class):
    """--force is how a TA asks for a fresh verdict (after a classmate's sabotage, say): the cache
    must not answer it."""
    before = gradebook_rows(sqlite(batch_class))
    again = autograde(batch_class, "--jobs", "1", "--force", "--student", DUPLICATE)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "graded 1 (0 from the cache, 1 notebooks judged)" in again.stdout
    assert gradebook_rows(sqlite(batch_class))[DUPLICATE]["grades"] == before[DUPLICATE]["grades"]


@pytest.mark.slow  # CI time: the duplicate's cached verdict is compared in CI
def test_the_cache_never_changes_a_grade(batch_class):
    """Graded again with the cache off, from scratch: every row is the same as with the cache."""
    before = gradebook_rows(sqlite(batch_class))
    students = [DUPLICATE]
    selected = [arg for student in students for arg in ("--student", student)]
    again = autograde(batch_class, "--jobs", "2", "--no-cache", "--force", *selected)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "graded 1 (0 from the cache, 1 notebooks judged)" in again.stdout
    after = gradebook_rows(sqlite(batch_class))
    assert {s: after[s]["grades"] for s in students} == {s: before[s]["grades"] for s in students}
    assert (
        batch_class.autograded_notebook(DUPLICATE, ASSIGNMENT).metadata["autograder"]["batch"]["cached"]
        is False
    )


# Two classmates graded at the same moment. The planter leaves its working relu everywhere a kernel
# might share with another (its working directory, the world-writable directories, System V shared
# memory, a socket anyone may connect to) and waits; the peeker looks for it the way the issue's
# measured attack did (other kernels' command lines in /proc, then their directories) and everywhere
# else, and defines relu only if it finds one.
PLANTER = """import ctypes, os, socket, threading, time
_answer = {answer!r}
_started = time.time()
for _path in ["answer.py", "/dev/shm/answer.py", "/run/lock/answer.py", "/tmp/answer.py", "/var/tmp/answer.py"]:
    try:
        with open(_path, "w") as _file:
            _file.write(_answer)
        os.chmod(_path, 0o666)
    except OSError:
        pass
_libc = ctypes.CDLL(None, use_errno=True)
_libc.shmat.restype = ctypes.c_void_p
_segment = _libc.shmget(0x5EED, 4096, 0o1000 | 0o666)
if _segment >= 0:
    ctypes.memmove(_libc.shmat(_segment, None, 0), _answer.encode(), len(_answer))
_server = socket.socket(socket.AF_UNIX)
_server.bind("answer.sock")
os.chmod("answer.sock", 0o777)
_server.listen()
def _serve():
    while True:
        _client, _ = _server.accept()
        _client.sendall(_answer.encode())
        _client.close()
threading.Thread(target=_serve, daemon=True).start()
time.sleep(10)
print(f"planted from {{_started:.1f}} to {{time.time():.1f}}")
"""
PEEKER = """import ctypes, glob, os, re, socket, time
def _read(path):
    try:
        if path.endswith(".sock"):
            with socket.socket(socket.AF_UNIX) as _client:
                _client.settimeout(1)
                _client.connect(path)
                return _client.recv(65536).decode()
        with open(path) as _file:
            return _file.read(65536)
    except (OSError, UnicodeDecodeError):
        return ""
def _shared_memory():
    _libc = ctypes.CDLL(None, use_errno=True)
    _libc.shmat.restype = ctypes.c_void_p
    _segment = _libc.shmget(0x5EED, 0, 0)
    return ctypes.string_at(_libc.shmat(_segment, None, 0), 4096).split(bytes(1))[0].decode() if _segment >= 0 else ""
def _places():
    yield from glob.glob("/dev/shm/*") + glob.glob("/run/lock/*") + glob.glob("/tmp/*") + glob.glob("/var/tmp/*")
    yield from glob.glob("/var/lib/autograder/kernels/*/work/*")
    for _cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        for _directory in re.findall(r"(/[^\\x00 ]*kernel-[^/\\x00 ]*)", _read(_cmdline)):
            yield from glob.glob(_directory + "/work/*") + glob.glob(_directory + "/*")
_started, _found = time.time(), ""
while not _found and time.time() - _started < 10:
    _found = next((t for t in [_shared_memory(), *map(_read, _places())] if "def relu" in t), "")
    time.sleep(0.2)
print(f"peeked from {_started:.1f} to {time.time():.1f}, found {bool(_found)}")
exec(_found)
"""


def window(notebook: nbformat.NotebookNode, grade_id: str) -> tuple[float, float]:
    """The (start, end) a hostile cell printed, as seconds since the epoch."""
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    text = "".join(o.get("text", "") for o in cell.outputs)
    start, end = re.search(r"from ([0-9.]+) to ([0-9.]+)", text).groups()
    return float(start), float(end)


def test_classmates_graded_at_once_cannot_reach_each_others_work(stock, outside_tmp):
    """The measured attack of issue #17, and every other shared place: the peeker, graded at the
    same time as the planter, finds nothing and earns nothing for relu; the planter keeps its marks."""
    classroom = new_class(outside_tmp / "hostile-pair", stock, [])
    reference = classroom.reference_cells(ASSIGNMENT)
    classroom.submit("planter", ASSIGNMENT, {**reference, "relu": PLANTER.format(answer=reference["relu"])
                                              + reference["relu"]})  # fmt: skip
    classroom.submit("peeker", ASSIGNMENT, {**reference, "relu": PEEKER})
    run = autograde(classroom, "--jobs", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    planted = window(classroom.autograded_notebook("planter", ASSIGNMENT), "relu")
    peeked = window(classroom.autograded_notebook("peeker", ASSIGNMENT), "relu")
    assert planted[0] < peeked[1] and peeked[0] < planted[1], "the two kernels did not run at the same time"
    scores, honest = classroom.scores(ASSIGNMENT), stock.scores(ASSIGNMENT)["reference"]
    assert scores["planter"] == honest
    assert scores["peeker"]["test_relu"] == 0
    assert {k: v for k, v in scores["peeker"].items() if k not in ("test_relu", "total")} == {
        k: v for k, v in honest.items() if k not in ("test_relu", "total")
    }


# Issue #17 point 4 in a parallel batch: a weightless model that asks for 12.5 GB per call, graded at the
# same time as two classmates whose models the grader also loads and runs.
MODEL_CLASS = [
    "tamper_memory_bomb_model",
    "channel_axis_forgotten_build_not_done",
    "compiled_with_mse_not_trained",
]


@pytest.mark.slow  # CI time: about 4 minutes (the 30-minute budget); the cnn corpus batch grades the bomb serially
def test_a_model_bomb_graded_beside_classmates_costs_only_its_own_checks(graded_classes, outside_tmp):
    """Each of the three gets, from ``autograder autograde --jobs 2``, the gradebook rows serial nbgrader
    gave it in the cnn corpus batch: the bomb costs only its own checks, the classmates nothing."""
    assert not any(corpus_submission("cnn", student).slow for student in MODEL_CLASS)
    alone = graded_classes("cnn").classroom
    classroom = Classroom(outside_tmp / "model-bomb-class")
    classroom.nbgrader("generate_assignment", "cnn", "--force")
    for student in MODEL_CLASS:
        shutil.copytree(
            alone.root / "submitted" / student / "cnn", classroom.root / "submitted" / student / "cnn"
        )
    command = [str(Path(sys.executable).parent / "autograder"), "autograde", "cnn", "--jobs", "2"]
    run = subprocess.run(
        command, cwd=classroom.root, env=classroom.env(), capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    serial = gradebook_rows(sqlite(alone), "cnn")
    assert gradebook_rows(sqlite(classroom), "cnn") == {student: serial[student] for student in MODEL_CLASS}
    bomb = classroom.autograded_notebook("tamper_memory_bomb_model", "cnn")
    assert "more than the memory limit" in json.dumps(bomb.cells, ensure_ascii=False)


def test_a_local_dask_cluster_grades_like_stock_nbgrader(stock, outside_tmp):
    students = ["naive_sigmoid_overflows", "fault_invalid_json"]
    classroom = new_class(outside_tmp / "dask-class", stock, students)
    run = autograde(classroom, "--dask", "--jobs", "2")
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
    run = autograde(classroom, "--jobs", "2", "--worker-course", str(outside_tmp / "nowhere"))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "failed 2" in run.stdout and "nowhere" in run.stdout
    scores = classroom.scores(ASSIGNMENT)
    assert set(scores) == set(students) and all(row["total"] == 0 for row in scores.values())
    for cell in classroom.autograded_notebook("reference", ASSIGNMENT).cells:
        verdict = read_verdict(cell)
        if verdict is not None:
            assert verdict["score"] == 0 and "nowhere" in verdict["reason"]
    rerun = autograde(classroom, "--jobs", "2")  # failed students are tried again
    assert rerun.returncode == 0 and "graded 2" in rerun.stdout, rerun.stdout + rerun.stderr
    assert classroom.scores(ASSIGNMENT)["reference"]["total"] == sum(autograde_points(ASSIGNMENT).values())


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
        run = autograde(classroom, "--jobs", "2", option)
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
        run = autograde(classroom, "--scheduler", address, "--worker-course", str(classroom.root))
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
    run = autograde(classroom, "--jobs", "1", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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
