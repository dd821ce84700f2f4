"""``JudgeExecute``: nbgrader's ``Execute`` step, replaced by one a student cannot fake.

It runs the student's own cells in a sandboxed kernel (:mod:`autograder.sandbox`) but
*not* the graded test cells: instead, once the notebook has run, the hidden checks for
the assignment run as pytest in a process of the trusted grader's
(:mod:`autograder.check_runner`) and reach the kernel only through the probe's data channel. Every graded test cell then gets the
judge's verdict as its outputs (:mod:`autograder.verdict`), 0 whenever anything failed.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import multiprocessing.util
import os
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty
from typing import ClassVar

from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Float, Int, List, Unicode, default
from traitlets.config import Config, Configurable

from autograder import feedback
from autograder.assignments import GRADING_SETTINGS, Assignment, texts_for
from autograder.check_runner import CheckServerUnavailable, run_checks
from autograder.model_host import ModelLimits
from autograder.sandbox import (
    SandboxedKernelManager,
    package_checkout,
    parse_bytes,
    protect_course,
    running_as_root,
)
from autograder.verdict import (
    failure_lines,
    is_test_cell,
    read_results,
    score_cell,
    slowest_checks,
    write_outputs,
)


def _configured(config: Config, section: str, name: str, parent: Configurable | None = None) -> bool:
    """``name`` is set in the configuration's ``section`` itself (``c.JudgeExecute.timeout``, or nested
    under the parent, ``c.Autograde.JudgeExecute.timeout``), as nbgrader_config.py or the command line
    sets it. A setting for a base class (``c.ExecutePreprocessor.timeout``) does not count: it was always
    hidden by the course's own settings, and a batch worker does not load the global config files."""
    configs = [config, *([parent._find_my_config(config)] if parent is not None else [])]
    return any(c._has_section(section) and name in c[section] for c in configs)


class KernelUnavailable(Exception):
    """The student's kernel could not be started, or its checks could not be run: the notebook is not
    graded this time."""


class SubmissionUnusable(Exception):
    """The submitted file could not be read as the notebook; ``lines`` say why."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(" ".join(lines))
        self.lines = lines


class JudgeExecute(Execute):
    """Execute the student's cells sandboxed, then score graded cells with hidden checks."""

    course_root = Unicode(help="The course directory (holds solutions/).").tag(config=True)
    timeout = Int(
        300, help="Seconds one student cell may run before it is interrupted.", allow_none=True
    ).tag(config=True)
    notebook_timeout = Int(1800, help="Seconds all of a notebook's cells may run together.").tag(config=True)
    checks_timeout = Int(900, help="Seconds the hidden checks of one notebook may run together.").tag(
        config=True
    )
    call_timeout = Float(20.0, help="Seconds one call from a check into the student's kernel may take.").tag(
        config=True
    )
    max_examples = Int(
        25, help="Hypothesis examples per check (derandomized, so grading is deterministic)."
    ).tag(config=True)
    max_restarts = Int(3, help="Kernel restarts (after a crash or a hung cell) allowed per notebook.").tag(
        config=True
    )
    max_output_bytes = Int(
        2_000_000, help="Bytes of output kept per cell; the rest is dropped (errors are always kept)."
    ).tag(config=True)
    max_notebook_output_bytes = Int(
        20_000_000,
        help="Bytes of every message a notebook's kernel sends (output, display updates counted once per "
        "output they rewrite, errors, clear_output, comm), together; past it, every later one is dropped.",
    ).tag(config=True)
    max_notebook_bytes = Int(
        50_000_000,
        help="Hard cap on the autograded notebook: past it, the student's cells lose their outputs (the "
        "judge's verdicts stay).",
    ).tag(config=True)
    model_memory_limit = Unicode(
        "2G", help="Memory of the process that loads and runs a notebook's saved models (cgroup), all of it."
    ).tag(config=True)
    model_address_space_limit = Unicode(
        "4G", help="Address space of each process running saved models (prlimit --as; TensorFlow needs ~3G)."
    ).tag(config=True)
    model_cpu_limit = Int(600, help="CPU seconds the process running a notebook's saved models may use.").tag(
        config=True
    )
    model_call_timeout = Float(
        300.0, help="Seconds one load or predict of a saved model may take before its process is killed."
    ).tag(config=True)
    feedback_languages = List(Unicode(), ["zh", "en"], help="Languages of the feedback, in order.").tag(
        config=True
    )
    start_ahead = Bool(
        True,
        help="Start the next notebook's kernel while this one is graded, so the next does not wait for "
        "it: a fresh kernel (its own user id, directories and cgroup) that no student has used, taken "
        "by the next notebook if its assignment's kernel settings are the same, stopped otherwise.",
    ).tag(config=True)

    _course_protected = False
    _sandbox_checked: ClassVar[set[tuple]] = set()  # sandbox settings whose preflight passed in this process
    # The kernel started ahead, per grading thread (a Dask worker grades in several): the settings it
    # was started with and its manager. Stopped when the next notebook wants other settings, and at exit.
    _ahead: ClassVar[dict[int, tuple[str, SandboxedKernelManager]]] = {}
    _ahead_lock = threading.Lock()

    @default("store_widget_state")
    def _no_widget_state(self) -> bool:
        return False  # a student's widgets are not graded, and their state would grow without limit

    @default("shutdown_kernel")
    def _shutdown_immediately(self) -> str:
        return "immediate"  # nothing the student's kernel does after its checks is graded: kill, don't wait

    @default("course_root")
    def _course_root_default(self) -> str:
        return os.getcwd()

    def __init__(self, **kw):
        kw.setdefault("kernel_manager_class", SandboxedKernelManager)  # nbgrader's Execute sets its own
        super().__init__(**kw)
        self._configured_limits = {name: getattr(self, name) for name in GRADING_SETTINGS["JudgeExecute"]}
        self._kernel_limits: dict[str, object] = {}  # what the notebook's assignment sets for its kernel
        self._overrides_said: set[tuple[str, str]] = set()

    # -- the whole notebook ---------------------------------------------------------
    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        NotebookClient.__init__(self, nb, None)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        assignment = resources["nbgrader"]["assignment"]
        self._use_assignment_limits(assignment)
        texts = texts_for(Path(self.course_root), assignment)
        test_cells = {cell.metadata.nbgrader["grade_id"]: cell for cell in nb.cells if is_test_cell(cell)}
        intake = dict(nb.metadata.get("autograder", {}))  # what autograder.intake noted
        results, problem = [], ""
        self._restarts = 0
        self._output_bytes: dict[int, int] = {}
        self._notebook_output_bytes = 0
        started = time.monotonic()
        seconds = {"kernel_start": 0.0, "cells": 0.0, "checks": 0.0}
        self._kernel_was_ahead = False
        try:
            if "submission_problem" in intake:  # nothing of the student's to run
                raise SubmissionUnusable(failure_lines(intake["submission_problem"], self.feedback_languages))
            self._protect_course_once()
            with contextlib.ExitStack() as kernel:
                self._start_kernel(kernel)
                seconds["kernel_start"] = time.monotonic() - started
                if self.start_ahead:  # it starts while this notebook's cells and checks run
                    self._start_next_kernel()
                self._run_student_cells()
                seconds["cells"] = time.monotonic() - started
                results, problem = self._run_hidden_checks(assignment)
                seconds["checks"] = time.monotonic() - started - seconds["cells"]
        except SubmissionUnusable as unusable:
            problem = "\n".join(unusable.lines)
        except KernelUnavailable:
            raise  # not graded at all: nbgrader records a failure, and the next run judges it again
        except Exception as error:  # fail closed: every graded cell gets 0 with the reason
            self.log.exception("Judge failed on %s", resources.get("nbgrader", {}))
            problem = feedback.message("grader_error", self.feedback_languages, detail=str(error)[:500])
        self._cap_notebook(nb)
        for grade_id, cell in test_cells.items():
            points = float(cell.metadata.nbgrader.get("points", 0))
            verdict = score_cell(grade_id, points, results, problem, self.feedback_languages, texts)
            if "graded_instead" in intake:  # say which file was graded, above everything else
                renamed = {"key": "graded_instead", "fields": intake["graded_instead"]}
                verdict.lines[:0] = failure_lines(renamed, self.feedback_languages)
            write_outputs(cell, verdict, self.feedback_languages)
        # How grading went, for class reports: time spent, kernel restarts, a run-wide problem.
        nb.metadata["autograder"] = intake | {
            "seconds": round(time.monotonic() - started, 2),
            "seconds_kernel_start": round(seconds["kernel_start"], 2),  # part of seconds_cells
            "kernel_started_ahead": self._kernel_was_ahead,
            "seconds_cells": round(seconds["cells"], 2),
            "seconds_checks": round(seconds["checks"], 2),
            "seconds_checks_own": round(sum(result.seconds for result in results), 2),  # the rest: pytest
            "seconds_slowest_checks": slowest_checks(results),
            "restarts": self._restarts,
            "problem": problem,
        }
        return nb, resources

    def _use_assignment_limits(self, assignment: str) -> None:
        """The assignment's own limits (``solutions/<assignment>/grading.toml``) wherever the configuration
        (nbgrader_config.py, the command line) sets none: a course-wide setting wins for every assignment.
        The previous notebook's assignment leaves nothing behind."""
        grading = Assignment(assignment, Path(self.course_root)).grading()  # a worker may have no source/
        mine = grading.get("JudgeExecute", {})
        for name, configured in self._configured_limits.items():
            overridden = _configured(self.config, "JudgeExecute", name, self.parent)
            if name in mine and overridden:
                self._say_overridden(assignment, name, configured, mine[name])
            setattr(self, name, mine[name] if name in mine and not overridden else configured)
        self._kernel_limits = {}
        for name, value in grading.get("SandboxedKernelManager", {}).items():
            if _configured(self.config, "SandboxedKernelManager", name):
                self._say_overridden(assignment, name, self.config.SandboxedKernelManager[name], value)
            else:
                self._kernel_limits[name] = value

    def _say_overridden(self, assignment: str, name: str, configured: object, own: object) -> None:
        """Once per setting: a configured value hides the assignment's (an old nbgrader_config.py that
        still sets course-wide limits would otherwise hide every grading.toml without a word)."""
        if (assignment, name) not in self._overrides_said:
            self._overrides_said.add((assignment, name))
            self.log.info(
                "%s: %s = %r from the configuration, not %r from its grading.toml",
                assignment,
                name,
                configured,
                own,
            )

    def create_kernel_manager(self) -> SandboxedKernelManager:
        km = super().create_kernel_manager()
        for name, value in self._kernel_limits.items():
            setattr(km, name, value)
        return km

    def _start_kernel(self, stack: contextlib.ExitStack) -> None:
        """Start the student's kernel inside ``stack`` (or take the one started ahead for it), or
        raise KernelUnavailable.

        No student code has run yet, so a kernel that cannot start says nothing about the
        notebook (a busy id, the machine): zeros would look graded and a plain re-run would
        skip them. The notebook is left ungraded instead.
        """
        km = None
        try:
            if self._take_kernel_started_ahead(stack):
                km = self.km
                self._kernel_was_ahead = True
            else:
                self.km = km = self.create_kernel_manager()  # nbclient drops self.km when the start fails
                settings = (
                    self.km.sandboxed,
                    self.km.kernel_uid,
                    self.km.uid_pool_size,
                    self.km.memory_limit,
                )
                if settings not in JudgeExecute._sandbox_checked:  # a worker may not have run the batch hook
                    reason = self.km.preflight()
                    if reason:
                        raise RuntimeError(reason)
                    JudgeExecute._sandbox_checked.add(settings)
                stack.enter_context(self.setup_kernel())
            info = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info["content"]["language_info"]
            if isinstance(self.km, SandboxedKernelManager):
                self.km.started()  # what the kernel writes from now on is the student's
        except Exception as error:
            said = km.start_problem() if isinstance(km, SandboxedKernelManager) else ""
            last_lines = " | ".join(line.strip() for line in said.splitlines()[-2:])[-400:]
            reason = f"the student's kernel could not start: {error}" + (
                f"; it said: {last_lines}" if said else ""
            )
            raise KernelUnavailable(reason[:800]) from error

    # -- the kernel started ahead ------------------------------------------------------
    def _new_kernel_manager(self) -> SandboxedKernelManager:
        """A manager for this notebook's kernel, not started (nbclient's ``create_kernel_manager``
        also makes it ``self.km``, which stays what it was)."""
        current = self.km
        try:
            return self.create_kernel_manager()
        finally:
            self.km = current

    def _kernel_settings(self) -> str:
        """Everything a kernel for this notebook is started with: every configurable setting of its
        manager (the run's configuration, the assignment's limits, the kernel's name) and its
        arguments. A kernel started ahead serves only a notebook whose settings are the same."""
        km = self._new_kernel_manager()  # its own: reading every trait fixes defaults a start must set
        settings = {name: getattr(km, name) for name in sorted(km.trait_names(config=True))}
        return repr((type(km).__qualname__, km.kernel_name, settings, self._kernel_arguments()))

    def _start_next_kernel(self) -> None:
        """Start a kernel for the next notebook now, while this one is graded.

        It is like any kernel this judge starts (sandboxed, an id and directories of its own,
        the assignment's preload imported) but, until a notebook takes it, it only gets CPU that
        nothing else wants. No student's cell has run in it: the next notebook takes it
        (:meth:`_take_kernel_started_ahead`) or it is stopped. A kernel that cannot be started
        ahead costs nothing but a line in the log: the next notebook starts its own.
        """
        thread = threading.get_ident()
        with JudgeExecute._ahead_lock:
            if thread in JudgeExecute._ahead:
                return
        km = None
        try:
            settings = self._kernel_settings()
            km = self._new_kernel_manager()
            km.started_ahead = True
            run_sync(km.start_kernel)(extra_arguments=self._kernel_arguments())
        except Exception as error:  # noqa: BLE001 (whatever it was, the next notebook starts its own)
            self.log.info("No kernel started ahead (the next notebook starts its own): %s", error)
            if km is not None:
                _stop_kernel(km)
            return
        with JudgeExecute._ahead_lock:
            JudgeExecute._ahead[thread] = (settings, km)

    def _take_kernel_started_ahead(self, stack: contextlib.ExitStack) -> bool:
        """Make the kernel started ahead in this thread this notebook's, if it was started with this
        notebook's settings and answers; False (and it is stopped) otherwise."""
        with JudgeExecute._ahead_lock:
            ahead = JudgeExecute._ahead.pop(threading.get_ident(), None)
        if ahead is None:
            return False
        settings, km = ahead
        attempt = contextlib.ExitStack()
        try:
            if settings != self._kernel_settings():
                _stop_kernel(km)
                return False
            if not run_sync(km.is_alive)():
                self.log.warning("The kernel started ahead has died; starting another.")
                _stop_kernel(km)
                return False
            km.take()
            self.km, self.kc = km, None
            attempt.enter_context(self.setup_kernel())  # it has a kernel: only the client starts
        except Exception as error:  # noqa: BLE001 (whatever it was, a kernel of its own is started)
            self.log.warning("The kernel started ahead did not answer (%s); starting another.", error)
            attempt.close()
            _stop_kernel(km)
            self.km, self.kc = None, None
            return False
        except BaseException:  # interrupted: no kernel may be left without an owner
            attempt.close()
            _stop_kernel(km)
            raise
        stack.enter_context(attempt.pop_all())
        return True

    def _kernel_arguments(self) -> list[str]:
        """The kernel's command-line arguments, as nbclient gives them to a kernel it starts."""
        arguments = list(self.extra_arguments)
        if self.ipython_hist_file and not any(a.startswith("--HistoryManager.hist_file") for a in arguments):
            arguments.append(f"--HistoryManager.hist_file={self.ipython_hist_file}")
        return arguments

    def _protect_course_once(self) -> None:
        if running_as_root() and not JudgeExecute._course_protected:
            for root in {Path(self.course_root).resolve(), package_checkout()} - {None}:
                changed = protect_course(root)
                if changed:
                    self.log.info("Made private in %s (student kernels cannot read them): %s", root, changed)
            JudgeExecute._course_protected = True

    # -- the student's cells --------------------------------------------------------
    def process_message(self, msg: dict, cell: NotebookNode, cell_index: int) -> NotebookNode | None:
        """Count every message the kernel sends against the notebook's budget before nbclient keeps it.

        A display update rewrites every earlier output with its display_id, so it counts once per
        output it rewrites (one 1 MB update over 1,000 small displays would write 1,000 MB). Past
        the budget, messages are dropped (``status``, which ends a cell, never is) and the cell
        says so once.
        """
        content = msg["content"]
        count = content.get("execution_count")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
            content["execution_count"] = None  # nbclient copies it into the cell: any size, any markup
        if msg["msg_type"] not in ("status", "execute_input"):
            transient = msg["content"].get("transient")
            display_id = transient.get("display_id") if isinstance(transient, dict) else None
            rewritten = self._display_id_map.get(display_id, {}) if display_id else {}
            copies = 1 + sum(len(places) for places in rewritten.values())
            over_before = self._notebook_output_bytes > self.max_notebook_output_bytes
            self._notebook_output_bytes += len(json.dumps(msg["content"])) * copies
            if self._notebook_output_bytes > self.max_notebook_output_bytes:
                if not over_before:
                    limit = self.max_notebook_output_bytes
                    note = feedback.message(
                        "notebook_output_over_budget", self.feedback_languages, limit=limit
                    )
                    cell.outputs.append(new_output("stream", name="stderr", text=note + "\n"))
                return None
        return super().process_message(msg, cell, cell_index)

    def _cap_notebook(self, nb: NotebookNode) -> None:
        """Past ``max_notebook_bytes``, the student's cells lose their outputs; the judge's stay."""
        if len(json.dumps(nb)) <= self.max_notebook_bytes:
            return
        note = feedback.message("outputs_removed", self.feedback_languages, limit=self.max_notebook_bytes)
        for cell in nb.cells:
            if cell.cell_type == "code" and not is_test_cell(cell):
                cell.outputs = [new_output("stream", name="stderr", text=note + "\n")]

    def output(
        self, outs: list[NotebookNode], msg: dict, display_id: str | None, cell_index: int
    ) -> NotebookNode | None:
        """nbclient's output handler, with a cap on how much one cell's output may keep.

        A cell printing a gigabyte would otherwise end up in the autograded notebook,
        the feedback page and the grader's memory.
        """
        if msg["msg_type"] == "error":  # kept, but not at any size
            content = msg["content"]
            content["evalue"] = str(content.get("evalue", ""))[:2000]
            content["traceback"] = [str(line)[:2000] for line in content.get("traceback", [])[-50:]]
        elif msg["msg_type"] in ("stream", "display_data", "execute_result", "update_display_data"):
            size = len(json.dumps(msg["content"]))
            used = self._output_bytes.get(cell_index, 0)
            self._output_bytes[cell_index] = used + size
            if used + size > self.max_output_bytes:
                if used <= self.max_output_bytes:  # the first output over the cap: say so once
                    note = feedback.message(
                        "output_truncated", self.feedback_languages, limit=self.max_output_bytes
                    )
                    outs.append(new_output("stream", name="stderr", text=note + "\n"))
                return None
        return super().output(outs, msg, display_id, cell_index)

    def _error(self, key: str, **fields: object) -> NotebookNode:
        text = feedback.message(key, self.feedback_languages, **fields)
        return new_output("error", ename=key, evalue=text.splitlines()[-1], traceback=text.splitlines())

    def _run_student_cells(self) -> None:
        deadline = time.monotonic() + self.notebook_timeout
        survived: list[int] = []  # cells that ran without killing or hanging the kernel
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code" or is_test_cell(cell):
                continue
            if time.monotonic() > deadline or self._restarts >= self.max_restarts:
                cell.outputs = [self._error("notebook_time_limit", seconds=self.notebook_timeout)]
                continue
            out_of_memory_before = self.km.out_of_memory_kills()
            try:
                self.execute_cell(cell, index, store_history=True)
            except DeadKernelError:
                if self.km.out_of_memory_kills() > out_of_memory_before:
                    cell.outputs.append(self._error("kernel_out_of_memory", limit=self.km.memory_limit))
                else:
                    cell.outputs.append(self._error("kernel_died_in_cell"))
                self._restart_and_replay(survived)
                continue
            except CellTimeoutError:  # still busy after the interrupt: its output never finished
                cell.outputs.append(self._error("cell_time_limit", seconds=self.timeout))
            timed_out = any(
                o.output_type == "error" and o.ename in ("CellTimeoutError", "cell_time_limit")
                for o in cell.outputs
            )
            if timed_out and not self._responsive():
                cell.outputs.append(self._error("kernel_restarted_after_timeout"))
                self._restart_and_replay(survived)
            elif not timed_out:  # a cell that timed out once is not worth waiting for again
                survived.append(index)

    def _restart_and_replay(self, survived: list[int]) -> None:
        """Restart the kernel and re-run the cells that had run fine, as a student would."""
        self._restarts += 1
        run_sync(self.km.restart_kernel)(now=True)
        run_sync(self.kc.wait_for_ready)(timeout=120)
        for index in survived:
            try:
                self.execute_cell(copy.deepcopy(self.nb.cells[index]), index, store_history=True)
            except DeadKernelError:  # did not die the first time; give up replaying
                self._restarts += 1
                run_sync(self.km.restart_kernel)(now=True)
                run_sync(self.kc.wait_for_ready)(timeout=120)
                return

    def _responsive(self, seconds: float = 10.0) -> bool:
        """Whether the kernel answers a kernel_info request within ``seconds``."""

        async def ask() -> bool:
            msg_id = self.kc.kernel_info()
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                try:
                    reply = await self.kc.shell_channel.get_msg(timeout=max(0.1, deadline - time.monotonic()))
                except Empty:
                    return False
                if reply["parent_header"].get("msg_id") == msg_id:
                    return True
            return False

        return run_sync(ask)()

    # -- the hidden checks ------------------------------------------------------------
    def _checks_path(self, assignment: str) -> Path:
        return Path(self.course_root) / "solutions" / assignment

    def _model_limits(self) -> ModelLimits:
        """How the processes that run the student's saved models are confined (autograder.model_host):
        as the kernel is, with ids from the kernels' pool."""
        return ModelLimits(
            memory_bytes=parse_bytes(self.model_memory_limit),
            address_space_bytes=parse_bytes(self.model_address_space_limit),
            cpu_seconds=self.model_cpu_limit,
            load_seconds=self.model_call_timeout,
            call_seconds=self.model_call_timeout,
            sandboxed=self.km.sandboxed,
            isolate_network=self.km.isolate_network,
            first_uid=self.km.kernel_uid,
            first_gid=self.km.kernel_gid,
            pool_size=self.km.uid_pool_size,
            kernel_root=str(self.km.kernel_root),
        )

    def _run_hidden_checks(self, assignment: str) -> tuple[list, str]:
        """Run the assignment's hidden checks against the live kernel; (results, problem)."""
        checks = self._checks_path(assignment)
        if not checks.is_dir():
            return [], feedback.message(
                "grader_error", self.feedback_languages, detail=f"no hidden checks at {checks}"
            )
        pid = self.km.provisioner.process.pid if self.km.provisioner and self.km.provisioner.process else None
        with tempfile.TemporaryDirectory(prefix="autograder-checks-") as scratch:
            results_file = Path(scratch) / "results.jsonl"
            # The submitted code as the grader read it, for checks decided from source: a kernel can
            # report any source it likes for its functions, the notebook cannot change after submission.
            code_file = Path(scratch) / "code.json"
            code_file.write_text(
                json.dumps([c.source for c in self.nb.cells if c.cell_type == "code" and not is_test_cell(c)])
            )
            arguments = [
                str(checks),
                "-p", "autograder.pytest_plugin", "-p", "_hypothesis_pytestplugin", "-p", "no:cacheprovider",
                "-o", "addopts=", "-q", "--rootdir", str(self.course_root),
                "--judge-connection", self.km.connection_file,
                "--judge-results", str(results_file),
                "--judge-call-timeout", str(self.call_timeout),
                "--judge-max-examples", str(self.max_examples),
                "--judge-code", str(code_file),
                "--judge-workdir", str(self.km.work_dir),
                "--judge-model-limits", self._model_limits().to_json(),
                # The plugins are imported before pytest starts (autograder.check_runner): not rewritten.
                "-W", "ignore::pytest.PytestAssertRewriteWarning",
            ] + (["--judge-pid", str(pid)] if pid else [])  # fmt: skip
            # The course's solutions/ first; a PYTHONPATH the grader was started with stays after it, so
            # the checks (and the model processes they start) run the same autograder package as the grader.
            python_path = os.pathsep.join(filter(None, [str(self.course_root), os.environ.get("PYTHONPATH")]))
            # Plugins and options are the ones named above, not whatever else the environment has
            # installed or the grader's shell sets (a TA's PYTEST_ADDOPTS="-x" would stop the checks
            # at the first failure, and PYTEST_PLUGINS would load a plugin into every check run).
            environment = {
                "PYTHONPATH": python_path,
                "PYTHONDONTWRITEBYTECODE": "1",
                "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
                "PYTEST_ADDOPTS": "",
                "PYTEST_PLUGINS": "",
            }
            try:
                run = run_checks(arguments, Path(scratch), environment, self.checks_timeout)
            except CheckServerUnavailable as error:  # nothing is known about the notebook: judge it again
                raise KernelUnavailable(f"the hidden checks could not run: {error}"[:500]) from error
            problem = ""
            if run.timed_out:
                problem = feedback.message(
                    "grader_error",
                    self.feedback_languages,
                    detail=f"hidden checks ran past {self.checks_timeout} s",
                )
            elif run.exit_code not in (0, 1):
                how = f"signal {run.signal}" if run.signal else f"code {run.exit_code}"
                self.log.error("Hidden checks ended with %s:\n%s", how, run.output)
                problem = feedback.message(
                    "grader_error", self.feedback_languages, detail=f"checks ended with {how}"
                )
            return read_results(results_file), problem


def _stop_kernel(km: SandboxedKernelManager) -> None:
    """Stop a kernel no notebook took, and remove its directories, cgroup and id (best effort:
    what a kernel leaves behind is killed by its id when the id is next used)."""
    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
        else:
            run_sync(km.cleanup_resources)()
    except Exception:  # at exit, or a kernel already gone: say so, and clean up what can be
        logging.getLogger(__name__).warning("Stopping a kernel started ahead failed", exc_info=True)
        with contextlib.suppress(Exception):
            run_sync(km.cleanup_resources)()


def _stop_kernels_started_ahead() -> None:
    """Stop every kernel started ahead that no notebook took (at the process's exit)."""
    with JudgeExecute._ahead_lock:
        ahead = list(JudgeExecute._ahead.values())
        JudgeExecute._ahead.clear()
    for _, km in ahead:
        _stop_kernel(km)


# multiprocessing's exit handler runs this in the grader's process and in its pool workers, which end
# with os._exit (no atexit): a kernel started ahead for no one is stopped either way.
multiprocessing.util.Finalize(None, _stop_kernels_started_ahead, exitpriority=10)
