"""Shared fixtures: one throw-away class per assignment, graded once by the real nbgrader."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import activations_corpus
import convolution_corpus
import faults_corpus
import first_network_corpus
import layers_corpus
import losses_corpus
import pytest
from corpus import Submission

from autograder.classroom import Classroom, reference_cells, repo_root


@dataclass(frozen=True)
class Corpus:
    full: dict[str, float]  # points per graded cell
    build: Callable[[str, dict[str, str]], dict[str, Submission]]  # (course root, reference cells) -> corpus
    limits: tuple[str, ...]  # nbgrader options for this batch
    # Generous time limits: the batch may be graded while another such batch grades (the two cores are
    # shared, which slows it but cannot change a score). Batches with tight limits grade alone.
    alongside: bool = False


CORPORA = {
    # Short limits keep the hostile submissions cheap; the judge's defaults are far larger.
    "activations": Corpus(
        activations_corpus.FULL,
        lambda root, reference: {
            **activations_corpus.WRONG,
            **activations_corpus.tampering(root, reference),
            **faults_corpus.faults(root, reference),
        },
        ("--JudgeExecute.timeout=15", "--JudgeExecute.call_timeout=5"),
    ),
    "losses": Corpus(
        losses_corpus.FULL,
        lambda root, reference: {**losses_corpus.WRONG, **losses_corpus.tampering(reference)},
        ("--JudgeExecute.timeout=120", "--JudgeExecute.call_timeout=30"),
        alongside=True,
    ),
    "layers": Corpus(
        layers_corpus.FULL,
        lambda root, reference: {**layers_corpus.WRONG, **layers_corpus.tampering(reference)},
        ("--JudgeExecute.timeout=120", "--JudgeExecute.call_timeout=30"),
        alongside=True,
    ),
    # Scores not yet confirmed by grading (see the corpus's docstring). Every submission trains
    # both models (about 30 s + 35 s on a busy 2-core machine), so this batch is the slowest; the
    # 1024-unit classifier trains for about 120 s, hence the judge's default cell time-out.
    "first_network": Corpus(
        first_network_corpus.FULL,
        lambda root, reference: {**first_network_corpus.WRONG, **first_network_corpus.tampering(reference)},
        ("--JudgeExecute.timeout=300", "--JudgeExecute.call_timeout=30"),
        alongside=True,
    ),
    "convolution": Corpus(
        convolution_corpus.FULL,
        lambda root, reference: convolution_corpus.wrong(reference),
        ("--JudgeExecute.timeout=60", "--JudgeExecute.call_timeout=30"),
        alongside=True,
    ),
}


@functools.cache
def _corpus(assignment: str) -> dict[str, Submission]:
    """The corpus as known at collection time (paths into the course are placeholders)."""
    reference = reference_cells(repo_root() / "source" / assignment / f"{assignment}.ipynb")
    return CORPORA[assignment].build(str(repo_root()), reference)


def corpus_names(assignment: str) -> list[str]:
    return list(_corpus(assignment))


def corpus_submission(assignment: str, student: str) -> Submission:
    return _corpus(assignment)[student]


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
def outside_tmp() -> Iterator[Path]:
    """A directory for courses that is not under /tmp: a student kernel has a /tmp of its own, so
    it would not even see a course there, and the tests want the course's permissions to stop it."""
    base = Path("/var/lib/autograder/test-courses")
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o755)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=base))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def graded_classes(outside_tmp: Path) -> Iterator[Callable[[str], GradedClass]]:
    """``graded_classes(assignment)``: the reference, an untouched release notebook and the
    assignment's corpus, autograded together in one ``nbgrader autograde`` batch (built once).

    Asking for one ``alongside`` batch starts all of them, two at a time (one batch keeps about
    one core busy: the kernel and the checks take turns); any other batch grades alone."""
    assert os.geteuid() == 0, "the grading tests run as root, so the judge can sandbox student kernels"
    grading: dict[str, Future[GradedClass]] = {}
    lock = threading.Lock()

    def grade(assignment: str) -> GradedClass:
        root = outside_tmp / f"{assignment}-class"
        root.mkdir(mode=0o755)
        classroom = Classroom(root)
        classroom.nbgrader("generate_assignment", assignment, "--force")
        reference = classroom.reference_cells(assignment)
        corpus = CORPORA[assignment]
        submissions = {
            "reference": Submission(reference, why="the reference solution"),
            **corpus.build(str(root), reference),
        }
        for student, submission in submissions.items():
            path = classroom.submit(
                student, assignment, {**reference, **submission.cells}, edit=submission.edit
            )
            if submission.rename_to:
                path.rename(path.with_name(submission.rename_to))
            for name, content in submission.files.items():
                if content is None:
                    (path.parent / name).unlink()
                else:
                    (path.parent / name).write_bytes(content)
        classroom.submit("untouched_release", assignment, {})
        classroom.nbgrader("autograde", assignment, "--force", "--create", *corpus.limits)
        return GradedClass(assignment, classroom, submissions, classroom.scores(assignment))

    with ThreadPoolExecutor(max_workers=2) as pool:

        def build(assignment: str) -> GradedClass:
            with lock:
                if assignment not in grading:
                    if CORPORA[assignment].alongside:
                        for other, corpus in CORPORA.items():
                            if corpus.alongside and other not in grading:
                                grading[other] = pool.submit(grade, other)
                    else:
                        for running in grading.values():
                            running.exception()  # wait: nothing else grades meanwhile
                        done: Future[GradedClass] = Future()
                        done.set_result(grade(assignment))
                        grading[assignment] = done
            return grading[assignment].result()

        yield build
