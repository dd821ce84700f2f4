"""The judging that ``autograder autograde`` hands to worker processes or Dask workers.

A worker needs the course files (``nbgrader_config.py``, ``solutions/``) and this
environment, never the gradebook: it gets one sanitized notebook, runs the same
``JudgeExecute`` that ``nbgrader autograde`` runs (sandboxed kernel, hidden checks in the
grader's process) and sends the judged notebook back as JSON.
"""

from __future__ import annotations

import functools
import os
import socket
import time
from pathlib import Path

import nbformat
from traitlets.config import Config
from traitlets.config.loader import KVArgParseConfigLoader, PyFileConfigLoader


@functools.cache
def course_config(course_root: str, overrides: tuple[str, ...] = ()) -> Config:
    """The course's nbgrader configuration, with nbgrader-style ``--Class.trait=value`` overrides."""
    config = PyFileConfigLoader("nbgrader_config.py", path=course_root).load_config()
    if overrides:
        config.merge(KVArgParseConfigLoader(argv=list(overrides)).load_config())
    return config


def judge_notebook(
    course_root: str,
    assignment: str,
    student: str,
    notebook: str,
    nb_json: str,
    overrides: tuple[str, ...] = (),
) -> dict:
    """Judge one sanitized notebook; {"notebook": judged JSON, "seconds", "worker"}.

    Exceptions propagate: the coordinator records them as this notebook's failure.
    """
    from autograder.preprocessors.judge import JudgeExecute  # after the config is loaded

    started = time.monotonic()
    if not (Path(course_root) / "nbgrader_config.py").is_file():
        raise FileNotFoundError(
            f"worker {socket.gethostname()} has no course files at {course_root} (see --worker-course)"
        )
    config = course_config(course_root, tuple(overrides))
    nb = nbformat.reads(nb_json, as_version=4)
    judge = JudgeExecute(config=config)
    resources = {
        "nbgrader": {"student": student, "assignment": assignment, "notebook": notebook},
        "metadata": {"path": str(Path(course_root))},
    }
    previous = os.environ.get("NBGRADER_EXECUTION")
    os.environ["NBGRADER_EXECUTION"] = "autograde"  # as nbgrader sets it for its Execute step
    try:
        judged, _ = judge.preprocess(nb, resources)
    finally:
        if previous is None:
            os.environ.pop("NBGRADER_EXECUTION", None)
        else:
            os.environ["NBGRADER_EXECUTION"] = previous
    return {
        "notebook": nbformat.writes(judged),
        "seconds": round(time.monotonic() - started, 2),
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
