"""How ``autograder.intake`` reads a submission folder, file by file (no grading here)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder import intake


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "submitted" / "ada" / "activations"
    path.mkdir(parents=True)
    return path


EXPECTED = {"activations": Path("release/activations/activations.ipynb")}


def write_notebook(path: Path, source: str = "x = 1") -> None:
    nbformat.write(new_notebook(cells=[new_code_cell(source)]), path)


def test_a_good_notebook_is_read_as_it_is(folder):
    write_notebook(folder / "activations.ipynb", "relu = 1")
    nb, note = intake.read_submission(folder / "activations.ipynb", EXPECTED)
    assert note == {} and nb.cells[0].source == "relu = 1"


@pytest.mark.parametrize(
    "content, key, detail",
    [
        (b"", "notebook_empty", None),
        (b"  \n", "notebook_empty", None),
        (b'{"cells": [', "notebook_unreadable", "JSON error at line 1, column 12"),
        (b"\xff\xfe\x00", "notebook_unreadable", "not UTF-8 text"),
        (json.dumps({"answer": 42}).encode(), "notebook_unreadable", "cells"),
        (
            json.dumps({"cells": 3, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode(),
            "notebook_unreadable",
            None,
        ),
    ],
)
def test_files_that_are_not_notebooks_get_a_reason(folder, content, key, detail):
    (folder / "activations.ipynb").write_bytes(content)
    nb, note = intake.read_submission(folder / "activations.ipynb", EXPECTED)
    problem = note["submission_problem"]
    assert nb is None and problem["key"] == key
    assert detail is None or detail in problem["fields"]["detail"]


def test_a_huge_file_is_not_read(folder, monkeypatch):
    monkeypatch.setattr(intake, "MAX_NOTEBOOK_BYTES", 100)
    write_notebook(folder / "activations.ipynb", "x" * 200)
    nb, note = intake.read_submission(folder / "activations.ipynb", EXPECTED)
    assert nb is None and note["submission_problem"]["key"] == "notebook_too_big"


def test_the_one_other_notebook_is_graded_in_place_of_a_missing_one(folder):
    write_notebook(folder / "Activations (1).ipynb", "relu = 2")
    nb, note = intake.read_submission(folder / "activations.ipynb", EXPECTED)
    assert nb.cells[0].source == "relu = 2"
    assert note == {"graded_instead": {"expected": "activations.ipynb", "found": "Activations (1).ipynb"}}


def test_with_several_other_notebooks_none_is_guessed(folder):
    write_notebook(folder / "a.ipynb")
    write_notebook(folder / "b.ipynb")
    nb, note = intake.read_submission(folder / "activations.ipynb", EXPECTED)
    assert nb is None
    assert note["submission_problem"] == {
        "key": "notebook_missing",
        "fields": {"expected": "activations.ipynb", "found": "a.ipynb, b.ipynb"},
    }


def test_the_hook_adds_expected_notebooks_that_were_not_handed_in(tmp_path, folder):
    release = tmp_path / "release" / "activations"
    release.mkdir(parents=True)
    for name in ("activations", "extra_part"):
        write_notebook(release / f"{name}.ipynb")
    write_notebook(folder / "activations.ipynb")
    notebooks = [str(folder / "activations.ipynb")]
    intake.add_missing_notebooks("activations", "ada", notebooks, course_root=str(tmp_path))
    assert notebooks == [str(folder / "activations.ipynb"), str(folder / "extra_part.ipynb")]


def test_links_folders_and_fifos_are_not_read(folder, tmp_path):
    secret = tmp_path / "source.ipynb"
    write_notebook(secret, "the instructor's solution")
    (folder / "activations.ipynb").symlink_to(secret)
    nb, note = intake.read_submission(folder / "activations.ipynb", EXPECTED)
    assert nb is None and "not a regular file" in note["submission_problem"]["fields"]["detail"]
    (folder / "activations.ipynb").unlink()
    os.mkfifo(folder / "activations.ipynb")  # would block a plain open() forever
    nb, note = intake.read_submission(folder / "activations.ipynb", EXPECTED)
    assert nb is None and "not a regular file" in note["submission_problem"]["fields"]["detail"]
    (folder / "activations.ipynb").unlink()
    (folder / "activations.ipynb").mkdir()
    nb, note = intake.read_submission(folder / "activations.ipynb", EXPECTED)
    assert nb is None and "not a regular file" in note["submission_problem"]["fields"]["detail"]


def test_a_notebook_that_breaks_the_schema_is_refused_here_not_in_nbgrader(folder):
    broken = new_notebook(cells=[new_code_cell("x = 1")])
    broken.cells[0]["source"] = 5
    (folder / "activations.ipynb").write_text(json.dumps(broken))
    nb, note = intake.read_submission(folder / "activations.ipynb", EXPECTED)
    assert nb is None and note["submission_problem"]["key"] == "notebook_unreadable"
