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
import callbacks_corpus
import cnn_corpus
import convolution_corpus
import faults_corpus
import first_network_corpus
import layers_corpus
import losses_corpus
import pytest
from corpus import Submission
from hypothesis import settings

from autograder.classroom import Classroom, reference_cells, repo_root

# The grading batches keep both cores busy while other tests run: how long an example takes is not
# what these tests are about (the judge sets its own hypothesis settings).
settings.register_profile("project", deadline=None)
settings.load_profile("project")


@dataclass(frozen=True)
class Corpus:
    full: dict[str, float]  # points per graded cell
    build: Callable[[str, dict[str, str]], dict[str, Submission]]  # (course root, reference cells) -> corpus
    # nbgrader options for this batch. Batches grade two at a time, so each limit leaves room for the
    # two cores being shared (which slows a batch but must not change a score).
    limits: tuple[str, ...]
    # Titles of checks that only ``slow`` submissions fail: without --slow, no graded submission can.
    failed_only_by_slow: frozenset[str] = frozenset()


CORPORA = {
    # Short limits keep the hostile submissions cheap (the judge's defaults are far larger); its
    # functions answer in milliseconds, so a shared core is still far inside them.
    "activations": Corpus(
        activations_corpus.FULL,
        lambda root, reference: {
            **activations_corpus.FAITHFUL,
            **activations_corpus.WRONG,
            **activations_corpus.tampering(root, reference),
            **faults_corpus.faults(root, reference),
        },
        ("--JudgeExecute.timeout=15", "--JudgeExecute.call_timeout=5"),
    ),
    "losses": Corpus(
        losses_corpus.FULL,
        lambda root, reference: {
            **losses_corpus.FAITHFUL,
            **losses_corpus.WRONG,
            **losses_corpus.tampering(reference),
        },
        ("--JudgeExecute.timeout=120", "--JudgeExecute.call_timeout=30"),
    ),
    "layers": Corpus(
        layers_corpus.FULL,
        lambda root, reference: {
            **layers_corpus.FAITHFUL,
            **layers_corpus.WRONG,
            **layers_corpus.tampering(reference),
        },
        ("--JudgeExecute.timeout=120", "--JudgeExecute.call_timeout=30"),
    ),
    "callbacks": Corpus(
        callbacks_corpus.FULL,
        lambda root, reference: {
            **callbacks_corpus.FAITHFUL,
            **callbacks_corpus.WRONG,
            **callbacks_corpus.tampering(reference),
        },
        ("--JudgeExecute.timeout=300", "--JudgeExecute.call_timeout=60"),
    ),
    "cnn": Corpus(
        cnn_corpus.FULL,
        lambda root, reference: {
            **cnn_corpus.FAITHFUL, **cnn_corpus.WRONG, **cnn_corpus.tampering(reference)
        },
        ("--JudgeExecute.timeout=900", "--JudgeExecute.call_timeout=60"),
        failed_only_by_slow=cnn_corpus.FAILED_ONLY_BY_SLOW,
    ),
    # Every submission that trains both models takes about a minute: only those that fail fast are in CI.
    "first_network": Corpus(
        first_network_corpus.FULL,
        lambda root, reference: {
            **first_network_corpus.FAITHFUL,
            **first_network_corpus.WRONG,
            **first_network_corpus.tampering(reference),
        },
        ("--JudgeExecute.timeout=300", "--JudgeExecute.call_timeout=30"),
    ),
    "convolution": Corpus(
        convolution_corpus.FULL,
        lambda root, reference: {**convolution_corpus.faithful(), **convolution_corpus.wrong(reference)},
        ("--JudgeExecute.timeout=60", "--JudgeExecute.call_timeout=30"),
    ),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        help="also grade the submissions that train for minutes (the slow suite; CI leaves them out)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow suite: run bin/test --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def case(assignment: str, student: str) -> pytest.ParameterSet:
    """A test parameter for one corpus submission, marked ``slow`` if it trains for minutes."""
    marks = [pytest.mark.slow] if _corpus(assignment)[student].slow else []
    return pytest.param(assignment, student, marks=marks, id=f"{assignment}-{student}")


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
def graded_classes(
    outside_tmp: Path, pytestconfig: pytest.Config, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], GradedClass]]:
    """``graded_classes(assignment)``: the reference, an untouched release notebook and the
    assignment's corpus, autograded together in one ``nbgrader autograde`` batch (built once).

    Batches grade two at a time (one keeps about one core busy: the kernel and the checks take
    turns). Asking for one also starts, after it, every batch the run's parametrized tests name
    (all seven for test_grading.py), so none waits for a core the other batch left idle; a run
    that needs only some grades only those. Submissions marked ``slow`` are left out of the batch
    unless pytest runs with ``--slow``."""
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
            **{
                student: submission
                for student, submission in corpus.build(str(root), reference).items()
                if pytestconfig.getoption("--slow") or not submission.slow
            },
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

    pool = ThreadPoolExecutor(max_workers=2)

    # The assignments this run's grading tests are parametrized with: asking for one batch starts these.
    named = {
        item.callspec.params.get("assignment")
        for item in request.session.items
        if "graded_classes" in getattr(item, "fixturenames", ()) and hasattr(item, "callspec")
    }
    needed = [name for name in CORPORA if name in named]

    def build(assignment: str) -> GradedClass:
        with lock:
            for name in [assignment, *needed]:
                if name not in grading:
                    grading[name] = pool.submit(grade, name)
        return grading[assignment].result()

    try:
        yield build
    finally:
        pool.shutdown()
