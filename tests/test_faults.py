"""The fault corpus (tests/faults_corpus.py) after its batch: nothing escaped, nothing was lost.

Scores and reasons per submission are asserted with the rest of the corpus in
test_grading.py; these check what a hostile submission could have done to the machine,
the gradebook or the batch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from corpus import autograde_points
from faults_corpus import PLANTED
from nbgrader.api import Gradebook

from autograder.classroom import Classroom
from autograder.sandbox import SandboxedKernelManager
from autograder.verdict import read_verdict

NOBODY = 65534

FULL_MARKS = sum(autograde_points("activations").values())


def test_no_file_was_planted_outside_the_kernels_own_directories(graded_classes):
    root = graded_classes("activations").classroom.root
    kernel_root = Path(SandboxedKernelManager().kernel_root)
    for place in (root, root / "submitted" / "reference", Path("/tmp"), kernel_root):
        assert not (place / PLANTED).exists(), place


def test_the_gradebook_opens_and_its_totals_match_the_notebooks(graded_classes):
    graded = graded_classes("activations")
    with Gradebook(f"sqlite:///{graded.classroom.root / 'gradebook.db'}") as gradebook:
        totals = {s.student_id: s.score for s in gradebook.assignment_submissions("activations")}
    assert set(totals) == set(graded.submissions) | {"untouched_release"}, "every submission has a row"
    for student, total in totals.items():
        notebook = graded.classroom.autograded_notebook(student, "activations")
        verdicts = [v for cell in notebook.cells if (v := read_verdict(cell)) is not None]
        assert verdicts, student  # (a student who deleted a test cell has one verdict fewer)
        assert sum(v["score"] for v in verdicts) == total, student


@pytest.mark.parametrize("student", ["fault_100mb_output", "fault_display_updates"])
def test_a_flood_of_output_does_not_reach_the_notebook(graded_classes, student):
    path = graded_classes("activations").classroom.root / "autograded" / student
    assert (path / "activations" / "activations.ipynb").stat().st_size < 3_000_000


def _as_nobody(classroom: Classroom, *args: str) -> subprocess.CompletedProcess:
    env = {**classroom.env(), "HOME": str(classroom.root)}
    command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    command += [str(Path(sys.executable).parent / "nbgrader"), *args]
    return subprocess.run(command, cwd=classroom.root, env=env, capture_output=True, text=True, check=False)


def test_grading_without_root_stops_loudly_unless_the_sandbox_is_turned_off(outside_tmp):
    classroom = Classroom(outside_tmp / "no-root-class")
    classroom.nbgrader("generate_assignment", "activations", "--force")
    classroom.submit("ada", "activations", classroom.reference_cells("activations"))
    subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(classroom.root)], check=True)

    stopped = _as_nobody(classroom, "autograde", "activations", "--create")
    assert stopped.returncode != 0
    assert "can only be sandboxed when grading runs as root" in stopped.stderr
    assert "--SandboxedKernelManager.sandbox=off" in stopped.stderr
    assert not (classroom.root / "autograded" / "ada" / "activations" / "activations.ipynb").exists()

    trusted = _as_nobody(
        classroom, "autograde", "activations", "--create", "--SandboxedKernelManager.sandbox=off"
    )
    assert trusted.returncode == 0, trusted.stderr[-3000:]
    assert classroom.scores("activations")["ada"]["total"] == FULL_MARKS
    assert os.stat(classroom.root / "autograded").st_uid == NOBODY


def test_pytest_settings_in_the_graders_environment_do_not_reach_the_hidden_checks(outside_tmp):
    """The hidden checks are pytest runs: a TA's shell that sets PYTEST_ADDOPTS (here: stop at the first
    failure, run only what matches a name no check has) or PYTEST_PLUGINS must not change a grade."""
    classroom = Classroom(outside_tmp / "pytest-env-class")
    classroom.nbgrader("generate_assignment", "activations", "--force")
    classroom.submit("ada", "activations", classroom.reference_cells("activations"))
    env = {
        **classroom.env(),
        "PYTEST_ADDOPTS": "-x -k no_check_is_named_this",
        "PYTEST_PLUGINS": "no_such_plugin",
    }
    command = [str(Path(sys.executable).parent / "nbgrader"), "autograde", "activations", "--create"]
    run = subprocess.run(command, cwd=classroom.root, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert classroom.scores("activations")["ada"]["total"] == FULL_MARKS


def test_a_course_under_tmp_is_refused_before_anything_is_written():
    """Every sandboxed kernel gets an empty /tmp of its own, so a course there is invisible to it
    (its data caches vanish and training cells fail on a download): both commands refuse, saying why."""
    root = Path(tempfile.mkdtemp(prefix="course-", dir="/tmp"))
    try:
        classroom = Classroom(root)
        classroom.nbgrader("generate_assignment", "activations", "--force")
        classroom.submit("ada", "activations", classroom.reference_cells("activations"))
        stock = classroom.nbgrader("autograde", "activations", "--create", check=False)
        ours = subprocess.run(
            [
                str(Path(sys.executable).parent / "autograder"),
                "autograde",
                "activations",
                "--course",
                str(root),
            ],
            env=classroom.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert ours.returncode == 2, ours.stderr
        for run in (stock, ours):
            assert "replaces with an empty /tmp of its own" in run.stderr, run.stderr[-3000:]
        assert not (root / "autograded" / "ada" / "activations" / "activations.ipynb").exists()
        assert not (root / ".autograder-cache").exists()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_kernel_that_cannot_start_leaves_the_notebook_ungraded_not_zeroed(outside_tmp):
    """No student code has run when a kernel fails to start: zeros would look graded (and a plain
    re-run would skip them), so nbgrader records a failure and the next run judges the notebook."""
    classroom = Classroom(outside_tmp / "no-kernel-class")
    classroom.nbgrader("generate_assignment", "activations", "--force")
    classroom.submit("ada", "activations", classroom.reference_cells("activations"))
    broken = "--JudgeExecute.kernel_name=no-such-kernel"
    stock = classroom.nbgrader("autograde", "activations", "--create", broken, check=False)
    assert stock.returncode != 0
    assert "the student's kernel could not start" in stock.stdout + stock.stderr
    assert not (classroom.root / "autograded" / "ada" / "activations" / "activations.ipynb").exists()

    def autograder(*options: str) -> subprocess.CompletedProcess:
        command = [str(Path(sys.executable).parent / "autograder"), "autograde", "activations", *options]
        return subprocess.run(
            command, cwd=classroom.root, env=classroom.env(), capture_output=True, text=True, check=False
        )

    ours = autograder(broken)  # a failed row of zeros with the reason, marked to be judged again
    assert ours.returncode == 1 and "could not start" in ours.stdout, ours.stdout + ours.stderr
    again = autograder()
    assert again.returncode == 0 and "graded 1 " in again.stdout, again.stdout + again.stderr
    assert classroom.scores("activations")["ada"]["total"] == FULL_MARKS
