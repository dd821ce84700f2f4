"""nbgrader's pre-convert hook for autograde, set in ``nbgrader_config.py``.

It runs for each student before nbgrader writes anything for them, which makes it the
place to stop a batch that cannot be graded safely (no sandbox) before a half-made
autograded notebook is left behind, and to put missing notebooks on nbgrader's list.
"""

from __future__ import annotations

from traitlets.config import Application

from autograder.intake import add_missing_notebooks
from autograder.sandbox import SandboxUnavailable, sandbox_problem

_sandbox_checked = False


def check_sandbox(course_root: str) -> None:
    """Raise SandboxUnavailable (stopping nbgrader) when student kernels cannot be sandboxed, or
    could not see ``course_root``.

    Checked once per nbgrader process, with the running application's configuration, so
    ``--SandboxedKernelManager.sandbox=off`` on the command line counts.
    """
    global _sandbox_checked
    if _sandbox_checked:
        return
    config = Application.instance().config if Application.initialized() else None
    reason = sandbox_problem(config, course_root)
    if reason:
        if config is not None:
            Application.instance().log.critical("Grading stopped: %s", reason)
        raise SandboxUnavailable(reason)
    _sandbox_checked = True


def before_autograde(assignment: str, student: str, notebooks: list[str], course_root: str) -> None:
    """Bind ``course_root`` with ``functools.partial``; nbgrader passes the rest as keywords."""
    check_sandbox(course_root)
    add_missing_notebooks(assignment, student, notebooks, course_root)
