"""release/ is exactly what nbgrader generates from source/, and leaks nothing."""

from __future__ import annotations

import ast
import importlib
import inspect
import json

import nbformat
import pytest

from autograder import assignments
from autograder.classroom import Classroom, repo_root

REPO = repo_root()
ASSIGNMENTS = list(assignments.find(REPO))


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Classroom:
    classroom = Classroom(tmp_path_factory.mktemp("release"))
    for assignment in ASSIGNMENTS:
        classroom.nbgrader("generate_assignment", assignment, "--force")
    return classroom


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_generate_assignment_reproduces_the_committed_release(regenerated, assignment):
    committed = sorted(
        p.relative_to(REPO / "release") for p in (REPO / "release" / assignment).rglob("*") if p.is_file()
    )
    generated = sorted(
        p.relative_to(regenerated.root / "release")
        for p in (regenerated.root / "release" / assignment).rglob("*")
        if p.is_file()
    )
    assert committed == generated
    for path in committed:
        if path.suffix == ".ipynb":
            ours = json.loads((REPO / "release" / path).read_text())
            theirs = json.loads((regenerated.root / "release" / path).read_text())
            assert ours == theirs, (
                f"release/{path} is stale: run nbgrader generate_assignment {assignment} --force"
            )


def reference_module(assignment: str):
    return importlib.import_module(f"solutions.{assignment}.reference")


def _reference_lines(assignment: str) -> set[str]:
    """Distinctive lines of a reference solution (not signatures, docstrings or trivia)."""
    lines = set()
    for _, function in inspect.getmembers(reference_module(assignment), inspect.isfunction):
        body = ast.parse(inspect.getsource(function)).body[0].body[1:]  # skip the docstring
        for statement in body:
            text = ast.unparse(statement)
            if text not in ("x = np.asarray(x)",) and not text.startswith("if x.dtype.kind"):
                lines.add(text)
    return lines


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_contains_no_solution_and_no_hidden_check_text(assignment):
    released = "\n".join(p.read_text() for p in (REPO / "release" / assignment).rglob("*.ipynb"))
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "from solutions", "import solutions"):
        assert marker not in released
    leaked = [line for line in _reference_lines(assignment) if line in released]
    assert leaked == []


# Assignments whose reference module holds the notebook's own solution functions (the losses and
# layers references are NumPy arithmetic that the Keras solutions are compared with, not the same code;
# the callbacks reference is the stopping rule in plain Python).
MIRRORED = ["activations", "convolution"]


@pytest.mark.parametrize("assignment", MIRRORED)
def test_every_source_solution_cell_is_the_reference_function(assignment):
    reference = reference_module(assignment)
    source = nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            code = "\n".join(line for line in cell.source.splitlines() if "### " not in line)
            expected = inspect.getsource(getattr(reference, meta["grade_id"]))
            assert ast.dump(ast.parse(code)) == ast.dump(ast.parse(expected)), meta["grade_id"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_points_and_every_solution_cell_is_a_stub_in_release(assignment):
    notebook = nbformat.read(REPO / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    graded = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    points = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in graded}
    assert points == assignments.get(REPO, assignment).points()  # the release promises the source's points
    stubs = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert stubs
    for cell in stubs:
        stub = "raise NotImplementedError()" if cell.cell_type == "code" else "YOUR ANSWER HERE"
        assert stub in cell.source
