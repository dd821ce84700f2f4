"""A throw-away copy of the course with students and submissions, for the demo and the tests.

It drives the real ``nbgrader`` command line (generate_assignment, autograde,
generate_feedback, export) in a temporary course directory, and reads grades back
from nbgrader's gradebook, exactly as a TA's run would leave them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

COPIED = ("nbgrader_config.py", "source", "solutions")
SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.MULTILINE)


def repo_root() -> Path:
    """The course repository this package was loaded from (holds source/ and solutions/)."""
    return Path(__file__).resolve().parents[1]


def reference_cells(source_notebook: Path) -> dict[str, str]:
    """A source notebook's solution cells by grade_id, solution markers removed."""
    source = nbformat.read(source_notebook, as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: SOLUTION_MARKERS.sub("", cell.source)
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


class Classroom:
    """A course directory in ``root``, copied from the course repository."""

    def __init__(self, root: Path, course: Path | None = None) -> None:
        self.root = Path(root)
        self.course = Path(course or repo_root())
        self.root.mkdir(parents=True, exist_ok=True)
        for name in COPIED:
            source = self.course / name
            target = self.root / name
            if source.is_dir():
                shutil.copytree(
                    source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
                )
            else:
                shutil.copy2(source, target)

    # -- running nbgrader -----------------------------------------------------------
    def env(self) -> dict[str, str]:
        """nbgrader needs the venv's bin/ on PATH (it runs ``alembic``) and the course data cache."""
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        env.setdefault("AUTOGRADER_DATA_DIR", str(self.course / ".cache"))
        return env

    def nbgrader(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run ``nbgrader ARGS`` in the course directory; raise with its log if it fails."""
        command = [str(Path(sys.executable).parent / "nbgrader"), *args]
        run = subprocess.run(
            command, cwd=self.root, env=self.env(), capture_output=True, text=True, check=False
        )
        if check and run.returncode != 0:
            raise RuntimeError(
                f"nbgrader {' '.join(args)} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}"
            )
        return run

    # -- notebooks ------------------------------------------------------------------
    def release_notebook(self, assignment: str, notebook: str | None = None) -> Path:
        notebook = notebook or assignment
        return self.root / "release" / assignment / f"{notebook}.ipynb"

    def reference_cells(self, assignment: str, notebook: str | None = None) -> dict[str, str]:
        """The source notebook's solution cells, markers removed: what a perfect student writes."""
        source = nbformat.read(
            self.root / "source" / assignment / f"{notebook or assignment}.ipynb", as_version=4
        )
        return {
            cell.metadata["nbgrader"]["grade_id"]: SOLUTION_MARKERS.sub("", cell.source)
            for cell in source.cells
            if cell.metadata.get("nbgrader", {}).get("solution")
        }

    def submit(
        self,
        student: str,
        assignment: str,
        cells: dict[str, str] | None = None,
        notebook: str | None = None,
        edit: Callable[[nbformat.NotebookNode], None] | None = None,
    ) -> Path:
        """Put a submission in submitted/: the release notebook with ``cells`` replaced by grade_id,
        then changed by ``edit`` (for submissions that tamper with the notebook's structure)."""
        notebook = notebook or assignment
        target = self.root / "submitted" / student / assignment / f"{notebook}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nb = nbformat.read(self.release_notebook(assignment, notebook), as_version=4)
        unknown = set(cells or {}) - {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
        if unknown:
            raise KeyError(f"no cells with grade_id {sorted(unknown)} in {assignment}")
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cells and grade_id in cells:
                cell.source = cells[grade_id]
        if edit is not None:
            edit(nb)
        nbformat.write(nb, target)
        return target

    # -- results --------------------------------------------------------------------
    def scores(self, assignment: str) -> dict[str, dict[str, float]]:
        """{student: {graded cell: score}} from the gradebook, plus each student's total."""
        table: dict[str, dict[str, float]] = {}
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            for submission in gradebook.assignment_submissions(assignment):
                row = {}
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        row[grade.name] = float(grade.score)
                row["total"] = float(submission.score)
                table[submission.student_id] = row
        return table

    def autograded_notebook(
        self, student: str, assignment: str, notebook: str | None = None
    ) -> nbformat.NotebookNode:
        path = self.root / "autograded" / student / assignment / f"{notebook or assignment}.ipynb"
        return nbformat.read(path, as_version=4)
