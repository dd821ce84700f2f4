"""Adding an assignment, shown: ``autograder new`` writes it from the documented files alone, nbgrader
releases it, and the real ``nbgrader autograde`` grades its reference full, its release 0 and its corpus
as the corpus says. Nothing in the engine, the configuration or the tests had to change."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import assignments
from autograder.classroom import Classroom
from autograder.scaffold import POINTS


def test_a_new_assignment_is_found_released_and_graded(outside_tmp):
    root = outside_tmp / "new-assignment-class"
    classroom = Classroom(root)
    (root / "tests").mkdir()  # a course with tests gets the new assignment's corpus too
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "new", "scaled", "--course", str(root)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    written = [Path(line) for line in run.stdout.splitlines() if line.startswith("/")]
    assert [p.relative_to(root).as_posix() for p in written] == [
        "source/scaled/scaled.ipynb",
        "solutions/scaled/__init__.py",
        "solutions/scaled/reference.py",
        "solutions/scaled/test_scaled.py",
        "solutions/scaled/texts.py",
        "solutions/scaled/grading.toml",
        "tests/scaled_corpus.py",
    ]  # the files docs/authors.md counts
    again = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "new", "scaled", "--course", str(root)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert again.returncode == 2 and "already has an assignment 'scaled'" in again.stderr
    found = assignments.get(root, "scaled")
    assert found.points() == {"test_scale": POINTS} and found.grading()["JudgeExecute"]["timeout"] == 15

    classroom.nbgrader("generate_assignment", "scaled", "--force")
    reference = classroom.reference_cells("scaled")
    spec = importlib.util.spec_from_file_location("scaled_corpus", root / "tests" / "scaled_corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    submissions = corpus.corpus(str(root), reference)
    classroom.submit("reference", "scaled", reference)
    classroom.submit("untouched_release", "scaled", {})
    for student, submission in submissions.items():
        classroom.submit(student, "scaled", {**reference, **submission.cells})
    classroom.nbgrader("autograde", "scaled", "--force", "--create")

    scores = classroom.scores("scaled")
    full = found.autograde_points()
    assert scores["reference"] == {**full, "total": POINTS}
    assert scores["untouched_release"]["total"] == 0
    for student, submission in submissions.items():
        assert scores[student] == pytest.approx(submission.expected(full)), (student, submission.why)
