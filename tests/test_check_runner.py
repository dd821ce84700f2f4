"""The warm check runner: each run is a process of its own that nothing of an earlier run reaches."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.check_runner import CheckServer, CheckServerUnavailable

ENVIRONMENT = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}


def checks(folder: Path, source: str) -> list[str]:
    (folder / "test_it.py").write_text(source)
    return [
        str(folder / "test_it.py"),
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-q",
        "--rootdir",
        str(folder),
    ]


def test_pytest_exit_codes_and_output_come_back(tmp_path):
    server = CheckServer()
    try:
        passed = server.run(
            checks(tmp_path, "def test_ok():\n    print('hello')\n"), tmp_path, ENVIRONMENT, 60
        )
        assert passed.exit_code == 0, passed.output
        failed = server.run(
            checks(tmp_path, "def test_no():\n    assert 1 == 2\n"), tmp_path, ENVIRONMENT, 60
        )
        assert failed.exit_code == 1 and "assert 1 == 2" in failed.output
        broken = server.run(checks(tmp_path, "import no_such_module\n"), tmp_path, ENVIRONMENT, 60)
        assert broken.exit_code not in (0, 1), broken.output  # the judge's error, never a verdict
    finally:
        server.close()


def test_a_run_past_its_time_is_killed_and_the_next_run_is_served(tmp_path):
    server = CheckServer()
    try:
        hung = server.run(
            checks(tmp_path, "import time\ndef test_hang():\n    time.sleep(600)\n"), tmp_path, ENVIRONMENT, 2
        )
        assert hung.exit_code is None and hung.timed_out
        after = server.run(checks(tmp_path, "def test_ok():\n    pass\n"), tmp_path, ENVIRONMENT, 60)
        assert after.exit_code == 0, after.output
    finally:
        server.close()


def test_nothing_a_run_changes_reaches_the_next(tmp_path):
    """State set in a preloaded module, the environment and the working directory stay in their run."""
    server = CheckServer()
    try:
        first = tmp_path / "first"
        first.mkdir()
        leave = (
            "import os, numpy, autograder.feedback\n"
            "def test_leave():\n"
            "    numpy.left_by_an_earlier_notebook = 1\n"
            "    autograder.feedback.left_by_an_earlier_notebook = 1\n"
            "    os.environ['LEFT_BY_AN_EARLIER_NOTEBOOK'] = '1'\n"
        )
        assert server.run(checks(first, leave), first, ENVIRONMENT, 60).exit_code == 0
        second = tmp_path / "second"
        second.mkdir()
        look = (
            "import os, numpy, autograder.feedback\n"
            "def test_clean():\n"
            "    assert not hasattr(numpy, 'left_by_an_earlier_notebook')\n"
            "    assert not hasattr(autograder.feedback, 'left_by_an_earlier_notebook')\n"
            "    assert 'LEFT_BY_AN_EARLIER_NOTEBOOK' not in os.environ\n"
            f"    assert os.getcwd() == {str(second)!r}\n"
        )
        clean = server.run(checks(second, look), second, ENVIRONMENT, 60)
        assert clean.exit_code == 0, clean.output
    finally:
        server.close()


def test_a_dead_server_is_started_again(tmp_path):
    server = CheckServer()
    try:
        assert (
            server.run(checks(tmp_path, "def test_ok():\n    pass\n"), tmp_path, ENVIRONMENT, 60).exit_code
            == 0
        )
        server._process.kill()
        server._process.wait()
        assert (
            server.run(checks(tmp_path, "def test_ok():\n    pass\n"), tmp_path, ENVIRONMENT, 60).exit_code
            == 0
        )
    finally:
        server.close()


def test_a_run_that_dies_is_not_a_time_out_and_a_server_that_dies_leaves_the_notebook_ungraded(tmp_path):
    server = CheckServer()
    try:
        killed = "import os, signal\ndef test_die():\n    os.kill(os.getpid(), signal.SIGKILL)\n"
        died = server.run(checks(tmp_path, killed), tmp_path, ENVIRONMENT, 60)
        assert died.exit_code is None and not died.timed_out and died.signal == 9
        # The checks kill the server itself (its pid is their parent's): no verdict, an exception.
        parent = "import os, signal, time\ndef test_kill_server():\n    os.kill(os.getppid(), signal.SIGKILL)\n    time.sleep(5)\n"
        with pytest.raises(CheckServerUnavailable):
            server.run(checks(tmp_path, parent), tmp_path, ENVIRONMENT, 60)
        after = server.run(checks(tmp_path, "def test_ok():\n    pass\n"), tmp_path, ENVIRONMENT, 60)
        assert after.exit_code == 0, after.output
    finally:
        server.close()
