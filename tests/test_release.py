"""release/ is exactly what nbgrader generates from source/, and leaks nothing."""

from __future__ import annotations

import ast
import inspect
import json

import nbformat
import pytest

from autograder.classroom import Classroom, repo_root
from solutions.activations import reference

REPO = repo_root()
ASSIGNMENTS = sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())


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


def _reference_lines() -> set[str]:
    """Distinctive lines of the reference solutions (not signatures, docstrings or trivia)."""
    lines = set()
    for name, function in inspect.getmembers(reference, inspect.isfunction):
        body = ast.parse(inspect.getsource(function)).body[0].body[1:]  # skip the docstring
        for statement in body:
            text = ast.unparse(statement)
            if text not in ("x = np.asarray(x)",) and not text.startswith("if x.dtype.kind"):
                lines.add(text)
    return lines


def test_release_contains_no_solution_and_no_hidden_check_text():
    released = "\n".join(p.read_text() for p in (REPO / "release").rglob("*.ipynb"))
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "from solutions", "import solutions"):
        assert marker not in released
    leaked = [line for line in _reference_lines() if line in released]
    assert leaked == []


def test_every_source_solution_cell_is_the_reference_function():
    classroom_free = nbformat.read(REPO / "source" / "activations" / "activations.ipynb", as_version=4)
    for cell in classroom_free.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            code = "\n".join(l for l in cell.source.splitlines() if "### " not in l)
            expected = inspect.getsource(getattr(reference, meta["grade_id"]))
            assert ast.dump(ast.parse(code)) == ast.dump(ast.parse(expected)), meta["grade_id"]


def test_every_graded_cell_has_points_and_every_solution_cell_a_stub_in_release():
    notebook = nbformat.read(REPO / "release" / "activations" / "activations.ipynb", as_version=4)
    graded = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert sum(c.metadata["nbgrader"]["points"] for c in graded) == 12
    stubs = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert stubs and all("raise NotImplementedError()" in c.source for c in stubs)
