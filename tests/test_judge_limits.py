"""Grading limits: the per-notebook time limit (cells past it do not run, what they define scores 0), and
where each limit comes from (the assignment's grading.toml, unless the configuration sets it)."""

from __future__ import annotations

from nbformat.v4 import new_notebook
from traitlets.config import Config

from autograder.classroom import Classroom
from autograder.preprocessors import JudgeExecute
from autograder.sandbox import SandboxedKernelManager
from autograder.verdict import read_verdict


def test_cells_after_the_notebook_time_limit_are_not_run(outside_tmp):
    classroom = Classroom(outside_tmp / "time-limit-class")
    classroom.nbgrader("generate_assignment", "activations", "--force")
    classroom.submit("slowpoke", "activations", classroom.reference_cells("activations"))
    classroom.nbgrader("autograde", "activations", "--force", "--create", "--JudgeExecute.notebook_timeout=0")
    assert classroom.scores("activations")["slowpoke"]["total"] == 0
    notebook = classroom.autograded_notebook("slowpoke", "activations")
    code = [c for c in notebook.cells if c.cell_type == "code" and read_verdict(c) is None]
    assert all(c.outputs[0]["ename"] == "notebook_time_limit" for c in code)
    assert (
        "is not defined in your notebook"
        in next(c for c in notebook.cells if read_verdict(c)).outputs[0]["text"]
    )


def test_each_assignment_has_its_own_limits_and_the_configuration_wins(tmp_path):
    """solutions/<assignment>/grading.toml sets the limits of its notebooks; a value in nbgrader_config.py
    or on the command line wins for every assignment; one notebook's limits never leak to the next."""
    for name, toml in {
        "quick": '[JudgeExecute]\ntimeout = 15\ncall_timeout = 5\n[SandboxedKernelManager]\nmemory_limit = "2G"\n',
        "plain": "",
    }.items():
        (tmp_path / "solutions" / name).mkdir(parents=True)
        (tmp_path / "solutions" / name / "grading.toml").write_text(toml)
    default = JudgeExecute(course_root=str(tmp_path))
    judge = JudgeExecute(course_root=str(tmp_path))
    judge.nb = new_notebook()
    judge._use_assignment_limits("quick")
    assert (judge.timeout, judge.call_timeout, judge.checks_timeout) == (15, 5, default.checks_timeout)
    assert judge.create_kernel_manager().memory_limit == "2G"
    judge._use_assignment_limits("plain")
    assert (judge.timeout, judge.call_timeout) == (default.timeout, default.call_timeout)
    assert judge.create_kernel_manager().memory_limit == SandboxedKernelManager().memory_limit

    config = Config()
    config.JudgeExecute.timeout = 600  # as nbgrader_config.py or --JudgeExecute.timeout=600 sets it
    config.SandboxedKernelManager.memory_limit = "8G"
    config.ExecutePreprocessor.call_timeout = 99  # a base class's setting: hidden by the assignment's
    configured = JudgeExecute(course_root=str(tmp_path), config=config)
    configured.nb = new_notebook()
    configured._use_assignment_limits("quick")
    assert (configured.timeout, configured.call_timeout) == (600, 5)
    assert configured.create_kernel_manager().memory_limit == "8G"
