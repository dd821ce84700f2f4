"""Runs one notebook's hidden checks in a fresh process forked from a warm one.

Starting ``python -m pytest`` for every notebook paid about a second each time importing
pytest, hypothesis, numpy and the judge's plugin again. Here a small fork server per grading
process (``python -m autograder.check_runner``) imports them once and never runs a check
itself; each notebook's checks run in a child forked from it: a process of their own as
before, with none of another notebook's state, killed when they run past their time.
TensorFlow is never imported in the server (it does not survive a fork): a check that runs
a saved model does so in a process of its own (:mod:`autograder.model_host`).

The server and the grader speak JSON lines over the server's stdin and stdout, one check
run at a time: the grader sends a request, the server answers with the child's pid and,
when the child ends, with its exit code.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import traceback
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


@dataclass(frozen=True)
class CheckRun:
    """How one run of the checks ended: pytest's exit code (None if it ran past its time or was
    killed) and the end of what it printed."""

    exit_code: int | None
    output: str


class CheckServer:
    """The grader's side: starts the server on first use, and again if it has died."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._owner = os.getpid()  # a forked copy of the grader must not share the parent's pipes
        self._lock = threading.Lock()

    def run(self, arguments: list[str], cwd: Path, environment: dict[str, str], timeout: float) -> CheckRun:
        """``pytest arguments`` in a forked child, in ``cwd`` with ``environment`` added to its
        ``os.environ`` (PYTHONPATH entries also go first on its ``sys.path``); killed after
        ``timeout`` seconds."""
        log = cwd / "checks.log"
        request = {"arguments": arguments, "cwd": str(cwd), "environment": environment, "log": str(log)}
        with self._lock:
            exit_code = self._ask(request, timeout)
        output = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        return CheckRun(exit_code, output)

    def _ask(self, request: dict, timeout: float) -> int | None:
        server = self._server()
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(json.dumps(request) + "\n")
        server.stdin.flush()
        started = json.loads(server.stdout.readline() or "{}")
        if "pid" not in started:
            self.close()
            raise RuntimeError(f"the check server did not start the checks: {started}")
        timer = threading.Timer(timeout, _kill, (started["pid"],))
        timer.start()
        try:
            ended = json.loads(server.stdout.readline() or "{}")
        finally:
            timer.cancel()
        if "exit_code" not in ended:
            self.close()
            raise RuntimeError("the check server stopped while the checks ran")
        code = ended["exit_code"]
        return code if code is not None and code >= 0 else None

    def _server(self) -> subprocess.Popen:
        if self._owner != os.getpid():
            self._process, self._owner = None, os.getpid()
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "autograder.check_runner"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd="/",
            )
        return self._process

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


_SERVER = CheckServer()


def run_checks(arguments: list[str], cwd: Path, environment: dict[str, str], timeout: float) -> CheckRun:
    """Run the checks with this process's server (see :meth:`CheckServer.run`)."""
    return _SERVER.run(arguments, cwd, environment, timeout)


# -- the server's side ------------------------------------------------------------------------
def serve() -> None:
    """Preload, then fork one child per request read from stdin; answer on the original stdout."""
    replies = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything a preloaded module prints must not garble the replies
    for module in PRELOADED:
        importlib.import_module(module)
    gc.freeze()  # what is preloaded is never collected: a child's collections skip it
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            os._exit(_child(request))
        replies.write(json.dumps({"pid": pid}) + "\n")
        replies.flush()
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        replies.write(json.dumps({"exit_code": code}) + "\n")
        replies.flush()


def _child(request: dict) -> int:
    """Run pytest as ``python -m pytest`` would; any code but pytest's 0 or 1 is the grader's error."""
    try:
        import pytest

        stdin = os.open(os.devnull, os.O_RDONLY)
        os.dup2(stdin, 0)
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.chdir(request["cwd"])
        environment = request["environment"]
        os.environ.update(environment)
        entries = [entry for entry in environment.get("PYTHONPATH", "").split(os.pathsep) if entry]
        sys.path[:0] = entries
        sys.dont_write_bytecode = environment.get("PYTHONDONTWRITEBYTECODE") == "1"
        code = int(pytest.main(request["arguments"]))
        atexit._run_exitfuncs()  # as a process ending normally does (model processes are cleaned up)
        sys.stdout.flush()
        sys.stderr.flush()
        return code
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
        return 3


if __name__ == "__main__":
    serve()
