"""Runs one notebook's hidden checks in a fresh process forked from a warm one.

Starting ``python -m pytest`` for every notebook paid about a second each time importing
pytest, hypothesis, numpy and the judge's plugin again. Here a small fork server per grading
thread (``python -m autograder.check_runner``) imports them once and never runs a check
itself; each notebook's checks run in a child forked from it: a process of their own as
before, with none of another notebook's state, killed by the server (its parent, so the pid
cannot have been reused) when they run past their time. TensorFlow is never imported in the
server (it does not survive a fork): a check that runs a saved model does so in a process of
its own (:mod:`autograder.model_host`).

The server and the grader speak JSON lines over the server's stdin and stdout, one check
run at a time: a request carries an id, and its one reply (the child's exit code, whether it
was killed for time, the signal that ended it) carries the same id. A server that does not
answer in time, answers out of turn or dies is killed with everything it started, and the
notebook is left ungraded (:class:`CheckServerUnavailable`), never scored.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass
from pathlib import Path

# What every check run imports: loaded once, in the server.
PRELOADED = (
    "pytest",
    "hypothesis",
    "_hypothesis_pytestplugin",
    "hypothesis.extra.numpy",
    "numpy",
    "autograder.pytest_plugin",
    "autograder.models",
    "autograder.static",
    "autograder.feedback",
)
# How long past the checks' own limit the server may take to say how they ended.
SERVER_GRACE_SECONDS = 60.0


class CheckServerUnavailable(Exception):
    """The checks could not be run (the server died, hung or answered out of turn): nothing
    about the notebook is known, so it must be judged again, not scored."""


@dataclass(frozen=True)
class CheckRun:
    """How one run of the checks ended: pytest's exit code (None when it did not exit by
    itself), whether it was killed for running past its time, the signal that ended it, and
    the end of what it printed."""

    exit_code: int | None
    timed_out: bool
    signal: int | None
    output: str


class CheckServer:
    """The grader's side: starts the server on first use, and again after it failed."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._buffer = b""

    def run(self, arguments: list[str], cwd: Path, environment: dict[str, str], timeout: float) -> CheckRun:
        """``pytest arguments`` in a forked child, in ``cwd`` with ``environment`` added to its
        ``os.environ`` (PYTHONPATH entries also go first on its ``sys.path``); killed after
        ``timeout`` seconds."""
        log = cwd / "checks.log"
        request = {
            "id": uuid.uuid4().hex,
            "arguments": arguments,
            "cwd": str(cwd),
            "environment": environment,
            "log": str(log),
            "timeout": timeout,
        }
        try:
            reply = self._ask(request, time.monotonic() + timeout + SERVER_GRACE_SECONDS)
        except BaseException:
            self.close()  # whatever it was doing is abandoned: the next run gets a new server
            raise
        output = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        return CheckRun(reply["exit_code"], bool(reply["timed_out"]), reply["signal"], output)

    def _ask(self, request: dict, deadline: float) -> dict:
        server = self._server()
        assert server.stdin is not None
        server.stdin.write(json.dumps(request).encode() + b"\n")
        server.stdin.flush()
        line = self._read_line(server, deadline)
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict) or reply.get("id") != request["id"]:
            raise CheckServerUnavailable(f"the check server answered out of turn: {line[:200]!r}")
        return reply

    def _read_line(self, server: subprocess.Popen, deadline: float) -> bytes:
        assert server.stdout is not None
        descriptor = server.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CheckServerUnavailable("the check server did not answer in time")
            ready, _, _ = select.select([descriptor], [], [], remaining)
            if ready:
                chunk = os.read(descriptor, 65536)
                if not chunk:
                    raise CheckServerUnavailable(f"the check server stopped (exit {server.poll()})")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _server(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self.close()
            self._process = subprocess.Popen(
                [sys.executable, "-P", "-m", "autograder.check_runner"],  # -P: no "/" on sys.path
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd="/",
                start_new_session=True,  # so closing it kills the check run it may still be in
            )
        return self._process

    def close(self) -> None:
        """Kill the server and its check run, if any."""
        if self._process is not None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()
            self._process = None
        self._buffer = b""


_local = threading.local()  # one server per grading thread (and per process: see _server_here)


def _server_here() -> CheckServer:
    if getattr(_local, "owner", None) != os.getpid():  # a forked grader must not share the parent's pipes
        _local.owner, _local.server = os.getpid(), CheckServer()
    return _local.server


def run_checks(arguments: list[str], cwd: Path, environment: dict[str, str], timeout: float) -> CheckRun:
    """Run the checks with this thread's server (see :meth:`CheckServer.run`)."""
    return _server_here().run(arguments, cwd, environment, timeout)


# -- the server's side ------------------------------------------------------------------------
def serve() -> None:
    """Preload, then fork one child per request read from stdin; answer on the original stdout.

    When a run's checks started a model process, the child for the next request is forked as soon
    as the run ends (``_prepare``): it starts its model process (TensorFlow's import, seconds of
    CPU) while the next notebook's cells run, then waits for its request. It is a fork of the
    server like any other child, and nothing of a student reached it before its own request."""
    replies = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything a preloaded module prints must not garble the replies
    for module in PRELOADED:
        importlib.import_module(module)
    gc.freeze()  # what is preloaded is never collected: a child's collections skip it
    from autograder import models  # (preloaded above)

    prepared: tuple[int, int] | None = None  # (pid, the pipe its request goes to)
    for line in sys.stdin:
        request = json.loads(line)
        pid = _hand_over(prepared, line) if prepared is not None else None
        prepared = None
        if pid is None:
            pid = os.fork()
            if pid == 0:
                code = 3
                try:
                    os.close(replies.fileno())
                    code = _child(request)
                finally:  # never back into this loop: the server's stdin is the grader's requests
                    os._exit(code)
        timed_out = _wait(pid, float(request["timeout"]))
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        reply = {
            "id": request["id"],
            "exit_code": code if code >= 0 else None,
            "signal": -code if code < 0 else None,
            "timed_out": timed_out,
        }
        limits = _model_limits_json(request)  # (before the reply: the grader then removes the run's folder)
        used_models = limits is not None and (Path(request["cwd"]) / models.USED_A_MODEL_PROCESS).exists()
        replies.write(json.dumps(reply) + "\n")
        replies.flush()
        if used_models:
            prepared = _prepare(limits, replies.fileno())


def _model_limits_json(request: dict) -> str | None:
    """The ``--judge-model-limits`` a run was given (JSON, as the judge passes it), or None."""
    arguments = request["arguments"]
    if "--judge-model-limits" in arguments[:-1]:
        return arguments[arguments.index("--judge-model-limits") + 1]
    return None


def _prepare(limits: str, replies: int) -> tuple[int, int]:
    """Fork the next run's child now; it starts a model process with ``limits`` and waits for its
    request on a pipe. (pid, the pipe's write end)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            os.close(replies)
            os.close(write_end)
            code = _prepared_child(limits, read_end)
        finally:  # never back into the server's loop
            os._exit(code)
    os.close(read_end)
    return pid, write_end


def _hand_over(prepared: tuple[int, int], line: str) -> int | None:
    """Give the prepared child its request; its pid, or None when it is gone (it is reaped)."""
    pid, pipe = prepared
    data = line.encode() if line.endswith("\n") else (line + "\n").encode()
    try:
        while data:  # a request is a few kB: the pipe takes it whole unless the child is gone
            data = data[os.write(pipe, data) :]
        return pid
    except OSError:  # it died waiting (its model process's start failed it, or it was killed)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        return None
    finally:
        os.close(pipe)


def _prepared_child(limits: str, requests: int) -> int:
    """A child forked before its request: start a model process, then run the request that comes."""
    models = sys.modules["autograder.models"]  # preloaded
    _stdin_from_devnull()  # the server's stdin is the grader's requests: not this child's to hold
    try:
        models.start_model_host_ahead(models.ModelLimits.from_json(limits))
        with os.fdopen(requests, "rb") as pipe:
            line = pipe.readline()
        request = json.loads(line) if line else None
    except BaseException:  # noqa: BLE001 (anything: this child runs nothing, the server forks another)
        traceback.print_exc()
        request = None
    if request is None:  # the server is gone, stopped, or this child cannot run a request
        models.close_model_host_started_ahead()
        return 0
    return _child(request)


def _stdin_from_devnull() -> None:
    stdin = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    os.close(stdin)


def _wait(pid: int, timeout: float) -> bool:
    """Wait for the child ``pid`` to end; kill it after ``timeout`` seconds (True if it was)."""
    descriptor = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([descriptor], [], [], timeout)
        if ready:
            return False
        signal.pidfd_send_signal(descriptor, signal.SIGKILL)
        return True
    finally:
        os.close(descriptor)


def _child(request: dict) -> int:
    """Run pytest as ``python -m pytest`` would; any code but pytest's 0 or 1 is the grader's error."""
    try:
        import pytest

        _stdin_from_devnull()
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        os.chdir(request["cwd"])
        environment = request["environment"]
        os.environ.update(environment)
        entries = [entry for entry in environment.get("PYTHONPATH", "").split(os.pathsep) if entry]
        sys.path[:0] = entries
        sys.dont_write_bytecode = environment.get("PYTHONDONTWRITEBYTECODE") == "1"
        code = int(pytest.main(request["arguments"]))
        sys.stdout.flush()
        sys.stderr.flush()
        return code
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
        return 3
    finally:  # a model process started ahead that no check took (os._exit runs no finalizer)
        models = sys.modules.get("autograder.models")
        if models is not None:
            models.close_model_host_started_ahead()


if __name__ == "__main__":
    serve()
