"""Shared fixtures: one throw-away class per assignment, graded once by the real nbgrader."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import activations_corpus
import convolution_corpus
import pytest
from corpus import Submission

from autograder.classroom import Classroom, reference_cells, repo_root


@dataclass(frozen=True)
class Corpus:
    full: dict[str, float]  # points per graded cell
    build: Callable[[str, dict[str, str]], dict[str, Submission]]  # (course root, reference cells) -> corpus
    limits: tuple[str, ...]  # nbgrader options for this batch


CORPORA = {
    # Short limits keep the hostile submissions cheap; the judge's defaults are far larger.
    "activations": Corpus(
        activations_corpus.FULL,
        lambda root, reference: {**activations_corpus.WRONG, **activations_corpus.tampering(root, reference)},
        ("--JudgeExecute.timeout=15", "--JudgeExecute.call_timeout=5"),
    ),
    "convolution": Corpus(
        convolution_corpus.FULL,
        lambda root, reference: convolution_corpus.wrong(reference),
        ("--JudgeExecute.timeout=60", "--JudgeExecute.call_timeout=30"),
    ),
}


def corpus_names(assignment: str) -> list[str]:
    """The corpus's submission names, known at collection time."""
    reference = reference_cells(repo_root() / "source" / assignment / f"{assignment}.ipynb")
    return list(CORPORA[assignment].build("/course", reference))


@dataclass
class GradedClass:
    assignment: str
    classroom: Classroom
    submissions: dict[str, Submission]
    scores: dict[str, dict[str, float]]

    def feedback(self, student: str, grade_id: str) -> str:
        """The judge's feedback text in an autograded cell."""
        notebook = self.classroom.autograded_notebook(student, self.assignment)
        for cell in notebook.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                return "".join(output.get("text", "") for output in cell.outputs)
        raise KeyError(grade_id)


@pytest.fixture(scope="session")
def graded_classes(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], GradedClass]:
    """``graded_classes(assignment)``: the reference, an untouched release notebook and the
    assignment's corpus, autograded together in one ``nbgrader autograde`` batch (built once)."""
    assert os.geteuid() == 0, "the grading tests run as root, so the judge can sandbox student kernels"
    built: dict[str, GradedClass] = {}

    def build(assignment: str) -> GradedClass:
        if assignment not in built:
            root = tmp_path_factory.mktemp(f"{assignment}-class")
            root.chmod(0o755)
            classroom = Classroom(root)
            classroom.nbgrader("generate_assignment", assignment, "--force")
            reference = classroom.reference_cells(assignment)
            corpus = CORPORA[assignment]
            submissions = {
                "reference": Submission(reference, why="the reference solution"),
                **corpus.build(str(root), reference),
            }
            for student, submission in submissions.items():
                classroom.submit(student, assignment, {**reference, **submission.cells}, edit=submission.edit)
            classroom.submit("untouched_release", assignment, {})
            classroom.nbgrader("autograde", assignment, "--force", "--create", *corpus.limits)
            built[assignment] = GradedClass(assignment, classroom, submissions, classroom.scores(assignment))
        return built[assignment]

    return build
