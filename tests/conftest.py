"""Shared fixtures: one throw-away class per assignment, graded once by the real nbgrader."""

from __future__ import annotations

import functools
import importlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from corpus import Submission
from hypothesis import settings

from autograder import assignments
from autograder.classroom import Classroom, reference_cells, repo_root

# The grading batches keep both cores busy while other tests run: how long an example takes is not
# what these tests are about (the judge sets its own hypothesis settings).
settings.register_profile("project", deadline=None)
settings.load_profile("project")


@dataclass(frozen=True)
class Corpus:
    """An assignment's corpus, ``tests/<assignment>_corpus.py``: its ``corpus(course_root, reference)``
    gives the submissions (realistic wrong ones and faithful variants) by student id."""

    full: dict[str, float]  # what autograding gives a perfect notebook, per graded cell (source metadata)
    build: Callable[[str, dict[str, str]], dict[str, Submission]]  # (course root, reference cells) -> corpus
    # Titles of checks that only ``slow`` submissions fail: without --slow, no graded submission can.
    failed_only_by_slow: frozenset[str] = frozenset()
    # About how long its CI batch takes (the module's BATCH_SECONDS): the longest batches start first.
    batch_seconds: float = 0.0


def _corpus_of(assignment: assignments.Assignment) -> Corpus:
    module = importlib.import_module(f"{assignment.name}_corpus")
    return Corpus(
        assignment.autograde_points(),
        module.corpus,
        frozenset(getattr(module, "FAILED_ONLY_BY_SLOW", ())),
        float(getattr(module, "BATCH_SECONDS", 0.0)),
    )


# Every assignment of the course (autograder.assignments), graded with its own grading.toml limits: they
# leave room for two batches sharing the two cores, which slows a batch but must not change a score.
CORPORA = {name: _corpus_of(assignment) for name, assignment in assignments.find(repo_root()).items()}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        help="also grade the submissions that train for minutes (the slow suite; CI leaves them out)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # test_grading.py waits for every grading batch: run last, so the tests after it in name order run
    # while the batches do instead of after them (stable: every other test keeps its place).
    items.sort(key=lambda item: item.path.name == "test_grading.py")
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
    (every assignment's, for test_grading.py), longest first, so none waits for a core the other
    batch left idle; a run that needs only some grades only those. Submissions marked ``slow`` are
    left out of the batch unless pytest runs with ``--slow``."""
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
        classroom.nbgrader("autograde", assignment, "--force", "--create")
        return GradedClass(assignment, classroom, submissions, classroom.scores(assignment))

    pool = ThreadPoolExecutor(max_workers=2)

    # The assignments this run's grading tests are parametrized with: asking for one batch starts these.
    named = {
        item.callspec.params.get("assignment")
        for item in request.session.items
        if "graded_classes" in getattr(item, "fixturenames", ()) and hasattr(item, "callspec")
    }
    # The batch asked for first starts first; then the longest, so the two workers end together.
    needed = sorted(
        (name for name in CORPORA if name in named), key=lambda name: -CORPORA[name].batch_seconds
    )

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
