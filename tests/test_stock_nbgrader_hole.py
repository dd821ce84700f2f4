"""Why the judge exists: stock nbgrader gives a tampering submission full marks.

The same notebook that the judge scores at what it really solved (see
test_grading) gets full marks from nbgrader's own Execute, because the input
transformer blanks every later cell, test cells included, and a graded cell without
output counts as passed. If this ever stops being true, the demo's claim must change.
"""

from __future__ import annotations

from corpus import autograde_points

from autograder.classroom import Classroom
from solutions.activations.demo import TAMPERING

STOCK_CONFIG = "c = get_config()\nc.CourseDirectory.root = __import__('os').path.dirname(__file__) or '.'\n"


def test_stock_nbgrader_gives_the_input_transformer_trick_full_marks(tmp_path):
    classroom = Classroom(tmp_path)
    (tmp_path / "nbgrader_config.py").write_text(STOCK_CONFIG)
    classroom.nbgrader("generate_assignment", "activations", "--force")
    reference = classroom.reference_cells("activations")
    classroom.submit("dana", "activations", {**reference, **TAMPERING})
    classroom.nbgrader("autograde", "activations", "--force", "--create")
    assert classroom.scores("activations")["dana"]["total"] == sum(autograde_points("activations").values())
