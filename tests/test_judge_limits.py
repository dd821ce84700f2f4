"""The per-notebook time limit: cells past it do not run, and what they define scores 0."""

from __future__ import annotations

from autograder.classroom import Classroom
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
