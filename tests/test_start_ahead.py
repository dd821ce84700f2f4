"""Kernels started ahead (issue #19): while one notebook is graded, the next notebook's kernel starts, a
fresh one with the assignment's imports (its grading.toml ``preload``) done. It is never one a student
used: nothing of the student graded before reaches it, and none is left when grading ends."""

from __future__ import annotations

import contextlib
import fcntl
import json
import signal
import threading
from pathlib import Path

import pytest
from jupyter_core.utils import run_sync
from nbformat.v4 import new_code_cell, new_notebook

from autograder.assignments import Assignment
from autograder.classroom import Classroom
from autograder.preprocessors import JudgeExecute
from autograder.preprocessors.judge import _stop_kernels_started_ahead
from autograder.sandbox import LOCK_DIR

COURSE = Path(__file__).resolve().parents[1]
# Run first in each notebook: what the kernel had before the student's own cells, what it can see of the
# kernel waiting for the next student, then a trace left everywhere a kernel can leave one (its working
# directory, its /tmp and TMPDIR, the environment, the interpreter) for a kernel reused by the next
# student to find.
LOOK_THEN_LEAVE = """
import builtins, json, os, pathlib, sys
places = [pathlib.Path('left-behind'), pathlib.Path('/tmp/left-behind'),
          pathlib.Path(os.environ['TMPDIR'], 'left-behind')]
def listable(path):
    try:
        os.listdir(path)
        return True
    except OSError:
        return False
print('SEEN ' + json.dumps({
    'preloaded': sorted(name for name in ('numpy', 'matplotlib.pyplot') if name in sys.modules),
    'bound': sorted(name for name in ('numpy', 'matplotlib') if name in globals()),
    'traces': [str(place) for place in places if place.exists()]
              + (['builtins'] if hasattr(builtins, 'left_behind') else [])
              + (['environment'] if 'LEFT_BEHIND' in os.environ else []),
    'kernels_listable': listable('..') or listable('../..'),
    'processes': len([name for name in os.listdir('/proc') if name.isdigit()]),
}))
for place in places:
    place.write_text('a classmate was here')
builtins.left_behind = True
os.environ['LEFT_BEHIND'] = '1'
"""


@pytest.fixture(autouse=True)
def no_kernel_left_ahead():
    yield
    _stop_kernels_started_ahead()  # even when a test failed half-way


def _seen(notebook) -> dict:
    text = "".join(output.get("text", "") for output in notebook.cells[0].outputs)
    return json.loads(text.split("SEEN ", 1)[1].splitlines()[0])


def test_each_notebook_after_the_first_gets_a_fresh_kernel_started_ahead(outside_tmp):
    classroom = Classroom(outside_tmp / "ahead-class")
    classroom.nbgrader("generate_assignment", "activations", "--force")
    reference = classroom.reference_cells("activations")
    students = ["ada", "bo", "cy"]
    for student in students:
        classroom.submit(
            student,
            "activations",
            reference,
            edit=lambda nb: nb.cells.insert(0, new_code_cell(LOOK_THEN_LEAVE)),
        )
    kernels = outside_tmp / "ahead-kernels"  # this run's kernels alone, so what is left can be counted
    classroom.nbgrader(
        "autograde", "activations", "--force", "--create", f"--SandboxedKernelManager.kernel_root={kernels}"
    )

    notebooks = {student: classroom.autograded_notebook(student, "activations") for student in students}
    ahead = {student: nb.metadata["autograder"]["kernel_started_ahead"] for student, nb in notebooks.items()}
    assert sorted(ahead.values()) == [False, True, True], f"only the first waits for its kernel: {ahead}"
    for student, notebook in notebooks.items():
        seen = _seen(notebook)
        assert seen["traces"] == [], f"{student}'s kernel held what a classmate left: {seen['traces']}"
        assert not seen["kernels_listable"], "a kernel could list the kernels' directories"
        assert seen["processes"] < 10, "a kernel saw processes beyond its own"
        assert seen["preloaded"] == ["matplotlib.pyplot", "numpy"], (
            "the assignment's preload was not imported"
        )
        assert seen["bound"] == [], "the preload defined names the notebook never imported"
    full_marks = sum(Assignment("activations", COURSE).autograde_points().values())
    totals = {student: classroom.scores("activations")[student]["total"] for student in students}
    assert totals == dict.fromkeys(students, full_marks)
    assert list(kernels.iterdir()) == [], "the kernel started ahead for no one was left behind"


@pytest.mark.parametrize("why", ["died", "another assignment", "another configuration"])
def test_a_kernel_started_ahead_that_cannot_serve_is_stopped_not_used(why):
    """It died, or the next notebook's kernel is to be started with other settings (the assignment's, or
    the run's configuration: a trusted run without the sandbox must never hand its kernel to the next
    run's students): the notebook starts its own, and the one started ahead is stopped with its id,
    directory and cgroup."""
    judge = JudgeExecute(course_root=str(COURSE))
    judge.nb = new_notebook()
    judge._use_assignment_limits("activations")
    judge._start_next_kernel()
    _, km = JudgeExecute._ahead[threading.get_ident()]
    private, uid, cgroup = km.work_dir.parent, km.uid, km.cgroup
    assert private.is_dir() and run_sync(km.is_alive)()
    if why == "died":
        run_sync(km.signal_kernel)(signal.SIGKILL)
        km.provisioner.process.wait(timeout=30)
    elif why == "another assignment":
        judge._use_assignment_limits("cnn")  # its preload imports TensorFlow
    else:
        judge.config.SandboxedKernelManager.sandbox = "off"
    with contextlib.ExitStack() as stack:
        assert judge._take_kernel_started_ahead(stack) is False
    assert threading.get_ident() not in JudgeExecute._ahead
    assert not private.exists(), "the kernel started ahead left its directory"
    assert not any(directory.exists() for directory in cgroup.dirs.values()), "its cgroup was left"
    with open(LOCK_DIR / f"{uid}.lock", "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises while its id is still held


def test_a_preload_that_cannot_be_imported_stops_the_kernel_saying_why(outside_tmp):
    """A typo in grading.toml's preload must not pass unseen: the kernel does not start, and the
    notebook is left ungraded with the reason."""
    classroom = Classroom(outside_tmp / "preload-class")
    toml = classroom.root / "solutions" / "activations" / "grading.toml"
    toml.write_text(toml.read_text().replace('"matplotlib.pyplot"', '"matplotlib.pyplott"'))
    classroom.nbgrader("generate_assignment", "activations", "--force")
    classroom.submit("ada", "activations", classroom.reference_cells("activations"))
    run = classroom.nbgrader("autograde", "activations", "--force", "--create", check=False)
    log = run.stdout + run.stderr
    assert "could not start" in log and "preload: cannot import matplotlib.pyplott" in log, log[-3000:]
