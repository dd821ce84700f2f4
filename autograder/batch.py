"""``autograder autograde``: grade a class's submissions in parallel, resumably, with a cache.

``nbgrader autograde`` grades one notebook after another. Here one process, the
coordinator, keeps every gradebook write (nbgrader's sqlite gradebook takes one writer;
a PostgreSQL one through ``db_url`` works the same) and hands the expensive part, the
judge, to workers: local processes (``--jobs``) or a Dask cluster. For each student:

1. *sanitize*: nbgrader's own ``Autograde`` with no autograde steps (it records the
   submission, copies the files, clears outputs and restores locked cells);
2. *judge*: ``JudgeExecute`` on a worker, unless a notebook with the same key
   (``autograder.judged_store``) was judged before: the content cache;
3. *record*: nbgrader's ``Autograde`` again with ``ReplayJudged`` in place of the judge,
   so ``SaveAutoGrades`` and the late penalties write what serial grading writes.

Each student is recorded as soon as their verdicts are in, so an interruption loses only
the students being judged. A run skips students whose autograded notebooks record the same
submission and the same judge (unless ``force``); a student whose judging failed gets a row
of zeros with the reason, and is graded again on the next run.
"""

from __future__ import annotations

import contextlib
import copy
import glob
import logging
import multiprocessing
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Application, Config

from autograder.judge_worker import course_config, judge_notebook
from autograder.judged_store import JudgedStore, judge_fingerprint, notebook_key, submission_digest
from autograder.preprocessors.judge import JudgeExecute
from autograder.preprocessors.replay import ReplayJudged
from autograder.progress import Progress
from autograder.sandbox import SandboxedKernelManager, course_location_problem
from autograder.verdict import read_verdict

CACHE_FOLDER = ".autograder-cache"
LOG_FILE = "autograder.log"


class BatchError(Exception):
    """The batch cannot start (unknown assignment, no submissions, a course set up wrongly)."""


class BatchApplication(Application):
    """The running application nbgrader's converters and the course's hooks read settings from."""

    name = "autograder-autograde"


class WorkerProcesses(Executor):
    """A process pool that replaces itself when a worker dies (killed by the OOM killer, say).

    When one worker of a ``ProcessPoolExecutor`` dies, every job the pool holds fails with
    ``BrokenProcessPool`` and it takes no more. Here the next ``submit`` starts a new pool, so the
    coordinator can judge those notebooks again (twice at most) and the batch goes on.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"))

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        try:
            return self._pool.submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new()
            return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


@dataclass
class BatchResult:
    assignment: str
    submissions: int = 0
    graded: list[str] = field(default_factory=list)
    from_cache: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    judged_notebooks: int = 0
    at_once: int = 0  # notebooks judged at the same time (--jobs, or the cluster's worker threads)
    worker_deaths: int = 0
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def exit_status(self) -> int:
        return 130 if self.interrupted else 1 if self.failed else 0


@dataclass
class _Student:
    name: str
    outstanding: dict[str, str]  # notebook -> key still being judged
    cached: bool = True  # no notebook of theirs was judged: the cache, or a duplicate judged in this run


class Batch:
    """One ``autograder autograde`` run over an assignment's submissions."""

    def __init__(
        self,
        course_root: Path,
        assignment: str,
        *,
        students: list[str] | None = None,
        jobs: int | None = None,
        engine: str = "processes",
        scheduler: str | None = None,
        worker_course: str | None = None,
        force: bool = False,
        cache: bool = True,
        overrides: tuple[str, ...] = (),
    ) -> None:
        self.course_root = Path(course_root).resolve()
        if not (self.course_root / "nbgrader_config.py").is_file():
            raise BatchError(f"no nbgrader_config.py in {self.course_root}: is it the course directory?")
        self.assignment = assignment
        self.wanted = students
        # Notebooks judged at once (twice as many are kept in flight). None: this machine's cores, or
        # with a scheduler the cluster's worker threads, counted when the run starts.
        self.jobs = max(1, jobs) if jobs else None if scheduler else os.cpu_count() or 1
        self.engine = "dask" if scheduler else engine
        self.scheduler = scheduler
        self.worker_course = worker_course or str(self.course_root)
        self.force = force
        self.cache = cache
        self.overrides = tuple(overrides)
        self.config = course_config(str(self.course_root), self.overrides)
        if SandboxedKernelManager(config=self.config).sandboxed:
            problem = course_location_problem(self.course_root)
            if problem:
                raise BatchError(problem)
        steps = list(self.config.Autograde.get("autograde_preprocessors", []))
        self.record_steps = [ReplayJudged if step is JudgeExecute else step for step in steps]
        if JudgeExecute not in steps:
            raise BatchError("nbgrader_config.py does not autograde with JudgeExecute; this command needs it")
        self.app = BatchApplication.instance(config=self.config)
        self.coursedir = CourseDirectory(config=self.config, parent=self.app)
        settings = {
            name: dict(self.config.get(name, {})) for name in ("JudgeExecute", "SandboxedKernelManager")
        }
        self.fingerprint = judge_fingerprint(self.course_root, assignment, settings)
        self.languages = list(self.config.JudgeExecute.get("feedback_languages", ["zh", "en"]))
        self.cache_store = JudgedStore(self.course_root / CACHE_FOLDER / assignment)

    # -- which submissions ------------------------------------------------------------
    def submissions(self) -> dict[str, Path]:
        """{student: submitted folder} for this assignment, those asked for only."""
        pattern = self.coursedir.format_path(self.coursedir.submitted_directory, "*", self.assignment)
        found = {}
        for folder in sorted(glob.glob(pattern)):
            student = Path(folder).relative_to(self.course_root / self.coursedir.submitted_directory).parts[0]
            if Path(folder).is_dir() and (self.wanted is None or student in self.wanted):
                found[student] = Path(folder)
        missing = sorted(set(self.wanted or []) - set(found))
        if missing:
            raise BatchError(f"no submission of {self.assignment} from {', '.join(missing)}")
        return found

    def notebooks(self) -> list[str]:
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                return [notebook.name for notebook in gradebook.find_assignment(self.assignment).notebooks]
            except MissingEntry:
                raise BatchError(
                    f"no assignment {self.assignment!r} in the gradebook: run nbgrader generate_assignment"
                ) from None

    def up_to_date(self, student: str, folder: Path, notebooks: list[str]) -> bool:
        """Graded before by this command, from the same files, by the same judge, without failing."""
        digest = submission_digest(folder)
        graded = Path(
            self.coursedir.format_path(self.coursedir.autograded_directory, student, self.assignment)
        )
        for name in notebooks:
            try:
                nb = nbformat.read(graded / f"{name}.ipynb", as_version=4)
            except (OSError, ValueError):
                return False
            batch = nb.metadata.get("autograder", {}).get("batch", {})
            if batch.get("fingerprint") != self.fingerprint or batch.get("submission") != digest:
                return False
            if batch.get("failed"):
                return False
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                gradebook.find_submission(self.assignment, student)
            except MissingEntry:
                return False
        return True

    # -- nbgrader's converter, in this process ----------------------------------------
    def _autograde(self, student: str, steps: list, extra: Config | None = None) -> None:
        config = copy.deepcopy(self.config)  # Config.merge would share (and change) its sections
        config.Autograde.autograde_preprocessors = steps
        config.Autograde.force = True
        if extra is not None:
            config.merge(extra)
        coursedir = CourseDirectory(config=config, parent=self.app)
        coursedir.assignment_id = self.assignment
        coursedir.student_id = student
        Autograde(coursedir=coursedir, parent=self.app, config=config).start()

    def sanitize(self, student: str, notebooks: list[str]) -> dict[str, nbformat.NotebookNode]:
        """Step 1: nbgrader's sanitizing pass; the notebooks as the judge receives them."""
        self._autograde(student, [])
        graded = Path(
            self.coursedir.format_path(self.coursedir.autograded_directory, student, self.assignment)
        )
        return {name: nbformat.read(graded / f"{name}.ipynb", as_version=4) for name in notebooks}

    def record(self, student: str, results: Path, reused: bool = False) -> None:
        """Step 3: nbgrader's autograde pass with the stored verdicts in place of the judge."""
        extra = Config()
        extra.ReplayJudged.fingerprint = self.fingerprint
        extra.ReplayJudged.results_dir = str(results)
        extra.ReplayJudged.cache_dir = str(self.cache_store.folder) if self.cache else ""
        extra.ReplayJudged.submitted_dir = str(self.course_root / self.coursedir.submitted_directory)
        extra.ReplayJudged.feedback_languages = self.languages
        extra.ReplayJudged.reused = reused
        self._autograde(student, self.record_steps, extra)

    # -- the run ----------------------------------------------------------------------
    @contextlib.contextmanager
    def executor(self) -> Iterator[Executor]:
        """Worker processes on this machine, a local Dask cluster, or a Dask scheduler's workers."""
        if self.engine == "processes":
            pool = WorkerProcesses(self.jobs)
            try:
                yield pool
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            return
        from distributed import Client, LocalCluster

        self._log_to_file("distributed")  # its shutdown chatter is not for the terminal
        with contextlib.ExitStack() as stack:
            if self.scheduler:
                client = stack.enter_context(Client(self.scheduler))
                if self.jobs is None:
                    self.jobs = max(1, sum(client.nthreads().values()))
            else:
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=self.jobs,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                )
                client = stack.enter_context(Client(cluster))
            yield client.get_executor()

    def run(self, progress: Progress | None = None) -> BatchResult:
        started = time.monotonic()
        self._log_to_file()
        notebooks = self.notebooks()
        submissions = self.submissions()
        result = BatchResult(self.assignment, submissions=len(submissions))
        todo = deque()
        for student, folder in submissions.items():
            if not self.force and self.up_to_date(student, folder, notebooks):
                result.up_to_date.append(student)
            else:
                todo.append(student)
        progress = progress or Progress(self.assignment, len(todo))
        progress.total = len(todo)
        results_dir = Path(tempfile.mkdtemp(prefix="autograder-batch-"))
        results = JudgedStore(results_dir)
        running: dict[Future, str] = {}  # future -> key
        waiting: dict[str, _Student] = {}
        judging: set[str] = set()  # keys being judged
        jobs: dict[str, tuple[str, str, str]] = {}  # key -> (student, notebook, sanitized JSON)
        attempts: dict[str, int] = {}

        def submit(key: str) -> None:
            student, notebook, nb_json = jobs[key]
            attempts[key] = attempts.get(key, 0) + 1
            future = pool.submit(
                judge_notebook,
                self.worker_course,
                self.assignment,
                student,
                notebook,
                nb_json,
                self.overrides,
            )
            running[future] = key

        def known(key: str) -> bool:
            """Judged in this run already, or (without --force) kept in the cache from an earlier one."""
            if not self.cache:
                return False
            return key in judging or (not self.force and self.cache_store.get(key) is not None)

        def finish(student: _Student) -> None:
            try:
                self.record(student.name, results_dir, student.cached)
            except Exception as error:  # noqa: BLE001 - nbgrader logged it; the batch goes on
                result.failed[student.name] = f"recording the grades failed: {error}"
                return
            graded = Path(
                self.coursedir.format_path(self.coursedir.autograded_directory, student.name, self.assignment)
            )
            failure = self._failure(graded, notebooks)
            if failure:
                result.failed[student.name] = failure
            else:
                result.graded.append(student.name)
                if student.cached:
                    result.from_cache.append(student.name)

        def show() -> None:
            done = len(result.graded) + len(result.failed)
            progress.update(done, len(result.from_cache), len(result.failed), len(running))

        if todo:
            show()
        try:
            with self.executor() as pool:
                result.at_once = self.jobs or 1
                while todo or running:
                    while todo and len(running) < 2 * self.jobs:
                        name = todo.popleft()
                        try:
                            sanitized = self.sanitize(name, notebooks)
                        except Exception as error:  # noqa: BLE001
                            result.failed[name] = f"nbgrader could not take the submission in: {error}"
                            continue
                        student = _Student(name, {})
                        for notebook, nb in sanitized.items():
                            key = notebook_key(self.fingerprint, nb)
                            if known(key):
                                if key in judging:
                                    student.outstanding[notebook] = key
                                continue
                            student.cached = False
                            jobs[key] = (name, notebook, nbformat.writes(nb))
                            submit(key)
                            judging.add(key)
                            student.outstanding[notebook] = key
                        if student.outstanding:
                            waiting[name] = student
                        else:
                            finish(student)
                        show()
                    if not running:
                        continue
                    done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                    for future in done:
                        key = running.pop(future)
                        try:
                            judged = nbformat.reads(future.result()["notebook"], as_version=4)
                        except BrokenProcessPool:  # a worker died: what it or the others held is judged again
                            result.worker_deaths += 1
                            if attempts[key] < 2:
                                submit(key)
                                continue
                            results.put_failure(key, "the worker process judging it died, twice (killed?)")
                        except Exception as error:  # noqa: BLE001 - a Dask worker died, or the judge raised
                            results.put_failure(key, f"{type(error).__name__}: {error}"[:500])
                        else:
                            results.put(key, judged)
                            if self.cache and cacheable(judged):
                                self.cache_store.put(key, judged)
                        judging.discard(key)
                        result.judged_notebooks += 1
                        for student in list(waiting.values()):
                            student.outstanding = {n: k for n, k in student.outstanding.items() if k != key}
                            if not student.outstanding:
                                del waiting[student.name]
                                finish(student)
                    show()
        except KeyboardInterrupt:
            result.interrupted = True
        finally:
            progress.close()
            shutil.rmtree(results_dir, ignore_errors=True)
        result.seconds = time.monotonic() - started
        return result

    def _failure(self, graded: Path, notebooks: list[str]) -> str:
        """Why this student's judging failed, from the recorded notebooks; "" when it did not."""
        for name in notebooks:
            nb = nbformat.read(graded / f"{name}.ipynb", as_version=4)
            facts = nb.metadata.get("autograder", {})
            if facts.get("batch", {}).get("failed"):
                return facts.get("problem", "").splitlines()[-1] if facts.get("problem") else "judging failed"
        return ""

    def _log_to_file(self, name: str | None = None) -> None:
        """Logs go to autograder.log in the course (the terminal shows progress): nbgrader's and the
        judge's (the application's), warnings (nbgrader's SQLAlchemy ones among them), or ``name``'s."""
        handler = logging.FileHandler(self.course_root / LOG_FILE, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        if name is None:
            logging.captureWarnings(True)
            logs = [self.app.log, logging.getLogger("py.warnings")]
        else:
            logs = [logging.getLogger(name)]
        for log in logs:
            for old in list(log.handlers):
                log.removeHandler(old)
            log.addHandler(handler)
            log.setLevel(logging.INFO)
            log.propagate = False


# Outcomes that depend on the machine as well as the notebook: a classmate graded beside it can
# slow it past a time limit, take the memory, or break a save. Judged again next time, never cached.
MACHINE_DEPENDENT_CELL_ERRORS = frozenset(
    {
        "cell_time_limit",
        "notebook_time_limit",
        "kernel_restarted_after_timeout",
        "kernel_out_of_memory",
        "kernel_died_in_cell",
    }
)
MACHINE_DEPENDENT_FAILURES = frozenset(
    {
        "timed_out",
        "kernel_gone",
        "not_finished",
        "grader_error",
        "model_not_loadable",
        # A model process's limits: a loaded machine (or, shared with the notebook's other models,
        # their memory) can decide them.
        "model_out_of_memory",
        "model_time_limit",
        "model_cpu_limit",
        "model_process_died",
    }
)


def cacheable(judged: nbformat.NotebookNode) -> bool:
    """Whether a verdict depends on the notebook alone, so the same notebook may reuse it.

    Not kept: a run-wide problem (a grader error, the hidden checks' time limit, a file that is not a
    notebook), a kernel restart, a cell stopped by a time or memory limit, and a check failed by a
    call's time-out, a dead kernel, the grader, a model that could not be saved or a model process
    stopped by a limit."""
    facts = judged.metadata.get("autograder", {})
    if facts.get("problem") or facts.get("restarts"):
        return False
    for cell in judged.cells:
        outputs = cell.get("outputs", [])
        stopped = [o for o in outputs if o.get("output_type") == "error"]
        if any(output.get("ename") in MACHINE_DEPENDENT_CELL_ERRORS for output in stopped):
            return False
        verdict = read_verdict(cell)
        failures = [check.get("failure") or {} for check in verdict["checks"]] if verdict else []
        if any(failure.get("key") in MACHINE_DEPENDENT_FAILURES for failure in failures):
            return False
    return True


def summary(result: BatchResult, gradebook: str) -> str:
    """What the TA reads at the end of a run."""
    from autograder.progress import duration

    lines = [
        (
            f"{result.assignment}: {result.submissions} submissions; graded {len(result.graded)}"
            f" ({len(result.from_cache)} from the cache, {result.judged_notebooks} notebooks judged),"
            f" up to date {len(result.up_to_date)}, failed {len(result.failed)}; {duration(result.seconds)}"
            + (f", {result.at_once} at a time" if result.judged_notebooks else "")
        )
    ]
    if result.worker_deaths:
        lines.append(
            f"  {result.worker_deaths} judgings were cut short by a worker process dying; judged again"
        )
    for student, reason in sorted(result.failed.items()):
        lines.append(f"  failed: {student}: {reason} (a row of zeros with this reason is in the gradebook)")
    if result.interrupted:
        lines.append("  interrupted: what was graded is saved; run the same command again to grade the rest")
    lines.append(f"  gradebook: {gradebook}; log: {LOG_FILE}")
    return "\n".join(lines)
