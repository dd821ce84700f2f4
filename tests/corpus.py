"""A submission in a test corpus: cells that replace the reference's, and the points they lose."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from nbformat import NotebookNode

from autograder import assignments
from autograder.classroom import repo_root

# The tampering trick stock nbgrader falls for: an input transformer that turns every later cell,
# the test cells included, into ``pass``. Appended to a solution cell by the corpora.
BLANK_LATER_CELLS = "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n"


def autograde_points(assignment: str) -> dict[str, float]:
    """Full autograded points per graded cell, read from the source notebook (points live only there)."""
    return assignments.get(repo_root(), assignment).autograde_points()


@dataclass
class Submission:
    cells: dict[str, str]
    # The share of a graded cell's points it loses (1.0: all of them; 0.25: one of four equal checks).
    # Shares, not points: the points live only in the source notebook, so changing them changes no corpus.
    lost: dict[str, float] = field(default_factory=dict)
    why: str = ""
    feedback: str = ""  # a phrase the feedback of ``feedback_cell`` must contain (reference: none)
    feedback_cell: str = ""  # default: the first cell in ``lost``
    edit: Callable[[NotebookNode], None] | None = None  # changes to the notebook's structure
    rename_to: str = ""  # hand the notebook in under this file name instead
    files: dict[str, bytes | None] = field(default_factory=dict)  # raw files put in (None: removed)
    # (solution cell, phrase its autograded output must show; "a|b" accepts either)
    cell_output: tuple[str, str] = ("", "")
    slow: bool = False  # trains for minutes: graded only by the slow suite (``bin/test --slow``)

    def expected(self, full: dict[str, float]) -> dict[str, float]:
        """Scores per graded cell (and the total) given each cell's full points."""
        scores = {cell: points * (1 - self.lost.get(cell, 0.0)) for cell, points in full.items()}
        scores["total"] = sum(scores.values())
        return scores
