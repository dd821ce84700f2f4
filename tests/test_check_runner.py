"""The warm check runner: each run is a process of its own that nothing of an earlier run reaches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.check_runner import CheckRun, CheckServer, CheckServerUnavailable

ENVIRONMENT = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
PASSING = "def test_ok():\n    pass\n"


@pytest.fixture
def server() -> Iterator[CheckServer]:
    server = CheckServer()
    yield server
    server.close()


def run(server: CheckServer, folder: Path, source: str, timeout: float = 60) -> CheckRun:
    """``source`` as a test file in ``folder``, run by ``server`` as the judge runs its checks."""
    (folder / "test_it.py").write_text(source)
    arguments = [str(folder / "test_it.py"), "-p", "no:cacheprovider", "-o", "addopts=", "-q"]
    return server.run([*arguments, "--rootdir", str(folder)], folder, ENVIRONMENT, timeout)


def test_pytest_exit_codes_and_output_come_back(server, tmp_path):
    passed = run(server, tmp_path, "def test_ok():\n    print('hello')\n")
    assert passed.exit_code == 0, passed.output
    failed = run(server, tmp_path, "def test_sum():\n    assert sum([1, 1]) == 3\n")
    assert failed.exit_code == 1 and "assert 2 == 3" in failed.output  # pytest's own report, rewritten
    broken = run(server, tmp_path, "import no_such_module\n")
    assert broken.exit_code not in (0, 1), broken.output  # the judge's error, never a verdict


def test_a_run_past_its_time_is_killed_and_the_next_run_is_served(server, tmp_path):
    hung = run(server, tmp_path, "import time\ndef test_hang():\n    time.sleep(600)\n", timeout=2)
    assert hung.exit_code is None and hung.timed_out
    after = run(server, tmp_path, PASSING)
    assert after.exit_code == 0, after.output


def test_nothing_a_run_changes_reaches_the_next(server, tmp_path):
    """State set in a preloaded module, the environment and the working directory stay in their run."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    leave = (
        "import os, numpy, autograder.feedback\n"
        "def test_leave():\n"
        "    numpy.left_by_an_earlier_notebook = 1\n"
        "    autograder.feedback.left_by_an_earlier_notebook = 1\n"
        "    os.environ['LEFT_BY_AN_EARLIER_NOTEBOOK'] = '1'\n"
    )
    assert run(server, first, leave).exit_code == 0
    look = (
        "import os, numpy, autograder.feedback\n"
        "def test_clean():\n"
        "    assert not hasattr(numpy, 'left_by_an_earlier_notebook')\n"
        "    assert not hasattr(autograder.feedback, 'left_by_an_earlier_notebook')\n"
        "    assert 'LEFT_BY_AN_EARLIER_NOTEBOOK' not in os.environ\n"
        f"    assert os.getcwd() == {str(second)!r}\n"
    )
    clean = run(server, second, look)
    assert clean.exit_code == 0, clean.output


def test_a_dead_server_is_started_again(server, tmp_path):
    assert run(server, tmp_path, PASSING).exit_code == 0
    dead = server._process
    dead.kill()
    dead.wait()
    assert run(server, tmp_path, PASSING).exit_code == 0
    assert server._process is not dead and server._process.poll() is None


def test_a_run_that_dies_is_not_a_time_out_and_a_server_that_dies_leaves_the_notebook_ungraded(
    server, tmp_path
):
    killed = "import os, signal\ndef test_die():\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    died = run(server, tmp_path, killed)
    assert died.exit_code is None and not died.timed_out and died.signal == 9
    # The checks kill the server itself (their parent): no verdict at all, an exception.
    parent = (
        "import os, signal, time\n"
        "def test_kill_server():\n"
        "    os.kill(os.getppid(), signal.SIGKILL)\n"
        "    time.sleep(5)\n"
    )
    with pytest.raises(CheckServerUnavailable):
        run(server, tmp_path, parent)
    after = run(server, tmp_path, PASSING)
    assert after.exit_code == 0, after.output


def test_after_a_run_that_started_a_model_process_the_next_finds_one_started_ahead(server, tmp_path):
    """A notebook whose checks ran its saved models is most likely followed by one of the same
    assignment: the next run's child is forked when a run ends and starts its model process (seconds
    of TensorFlow import) while the next notebook's cells run. A run after one that started none finds
    none waiting, and a model process no check takes is closed with its run."""
    from autograder.model_host import ModelLimits

    limits = ModelLimits().to_json()
    judge = ["-p", "autograder.pytest_plugin", "--judge-connection", "unused", "--judge-model-limits", limits]

    def run_with_limits(name: str, source: str) -> CheckRun:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "test_it.py").write_text(source)
        arguments = [str(folder / "test_it.py"), "-p", "no:cacheprovider", "-o", "addopts=", "-q"]
        arguments += [*judge, "--judge-results", str(folder / "results.jsonl"), "--rootdir", str(folder)]
        return server.run(arguments, folder, ENVIRONMENT, 120)

    waiting = "from autograder import models\ndef test_waiting():\n    assert models._started_ahead {}\n"
    first = run_with_limits(
        "first", waiting.format("is None") + "    open(models.USED_A_MODEL_PROCESS, 'w')\n"
    )
    assert first.exit_code == 0, first.output
    waiting_pid = tmp_path / "waiting-pid"
    second = run_with_limits(
        "second",
        waiting.format("is not None and models._started_ahead.alive()")
        + f"    open({str(waiting_pid)!r}, 'w').write(str(models._started_ahead._process.popen.pid))\n",
    )
    assert second.exit_code == 0, second.output
    assert not Path(f"/proc/{waiting_pid.read_text()}").exists(), "the one no check took outlived its run"
    third = run_with_limits("third", waiting.format("is None"))  # the second started no model process
    assert third.exit_code == 0, third.output
