"""Shared fixtures: one throw-away class per assignment, graded once by the real nbgrader."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from activations_corpus import WRONG, Submission, tampering

from autograder.classroom import Classroom

# Short limits keep the hostile submissions cheap; the judge's defaults are far larger.
TEST_LIMITS = ("--JudgeExecute.timeout=15", "--JudgeExecute.call_timeout=5")


@dataclass
class GradedClass:
    classroom: Classroom
    submissions: dict[str, Submission]
    scores: dict[str, dict[str, float]]
    log: str


@pytest.fixture(scope="session")
def activations_class(tmp_path_factory: pytest.TempPathFactory) -> GradedClass:
    """The reference, an untouched release notebook, every wrong and every tampering submission,
    autograded together in one ``nbgrader autograde`` batch."""
    assert os.geteuid() == 0, "the grading tests run as root, so the judge can sandbox student kernels"
    root = tmp_path_factory.mktemp("activations-class")
    root.chmod(0o755)
    classroom = Classroom(root)
    classroom.nbgrader("generate_assignment", "activations", "--force")
    reference = classroom.reference_cells("activations")
    submissions = {
        "reference": Submission(reference, why="the reference solution"),
        **WRONG,
        **tampering(str(root), reference),
    }
    for student, submission in submissions.items():
        classroom.submit(student, "activations", {**reference, **submission.cells})
    classroom.submit("untouched_release", "activations", {})
    run = classroom.nbgrader("autograde", "activations", "--force", "--create", *TEST_LIMITS)
    return GradedClass(classroom, submissions, classroom.scores("activations"), run.stdout + run.stderr)


def cell_feedback(graded: GradedClass, student: str, grade_id: str) -> str:
    """The judge's feedback text in an autograded cell."""
    notebook = graded.classroom.autograded_notebook(student, "activations")
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return "".join(output.get("text", "") for output in cell.outputs)
    raise KeyError(grade_id)
