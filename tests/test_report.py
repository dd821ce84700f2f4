"""``autograder report``, run as the real command on a small hand-built class.

No kernel runs: the gradebook is filled through nbgrader's API and each autograded
notebook carries the verdicts the judge's own ``score_cell``/``write_outputs`` write, plus
the grading facts the judge stores in ``nb.metadata["autograder"]``.
"""

from __future__ import annotations

import base64
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import postgres
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.api import Gradebook

from autograder.assignments import texts_for
from autograder.classroom import repo_root
from autograder.verdict import CheckResult, score_cell, write_outputs

BIN = Path(sys.executable).parent
COURSE_ID = "report-test"
CELLS = {"activations": [("sigmoid", 6.0), ("relu", 4.0)], "convolution": [("conv2d", 10.0)]}
BIG = "x = np.array([1e4])"
LONG = "x = np.arange(" + "9" * 200 + ")"
SCRIPT = "<script>alert(1)</script>"
TIMED_OUT = {"key": "timed_out", "fields": {"name": "conv2d", "detail": "30 s"}}
UNFINISHED = {"key": "not_finished", "fields": {}}


def fail(text: str) -> dict:
    return {"key": "warned", "fields": {"warning": "RuntimeWarning: overflow"}, "input": text}


# (student, assignment) -> cell -> [(title, failure or None when passed)]
OUTCOMES = {
    ("ada", "activations"): {
        "sigmoid": [("values", None), ("extremes", None), ("shape_and_type", None)],
        "relu": [("values", None), ("no_mutation", None)],
    },
    ("ben", "activations"): {
        "sigmoid": [("values", None), ("extremes", fail(BIG)), ("shape_and_type", None)],
        "relu": [("values", fail(SCRIPT)), ("no_mutation", None)],
    },
    ("chen", "activations"): {
        "sigmoid": [("values", fail(LONG)), ("extremes", fail(BIG)), ("shape_and_type", None)],
        "relu": [("values", None), ("no_mutation", None)],
    },
    ("dana", "activations"): {
        "sigmoid": [("values", None), ("extremes", fail("x = np.array([-1e4])")), ("shape_and_type", None)],
        "relu": [("values", None), ("no_mutation", None)],
    },
    ("ada", "convolution"): {"conv2d": [("matches_reference", None), ("no_mutation", None)]},
    ("ben", "convolution"): {"conv2d": [("matches_reference", TIMED_OUT), ("no_mutation", UNFINISHED)]},
}
PROBLEM = "the hidden checks ran out of time"
# (student, assignment) -> the judge's grading facts
FACTS = {
    ("ada", "activations"): (12.5, 4.0, 8.5, 0, ""),
    ("ben", "activations"): (20.0, 5.0, 15.0, 0, ""),
    ("chen", "activations"): (30.25, 10.0, 20.25, 0, ""),
    ("dana", "activations"): (8.0, 3.0, 5.0, 0, ""),
    ("ada", "convolution"): (40.0, 10.0, 30.0, 0, ""),
    ("ben", "convolution"): (95.0, 5.0, 90.0, 1, PROBLEM),
}
# dana's notebook also has solution cells whose outputs imitate the judge's (forged_cells).
FORGING = ("dana", "activations")
# chen handed in convolution, but it was never autograded: no notebook on disk.
NOT_AUTOGRADED = ("chen", "convolution")


@pytest.fixture(autouse=True)
def venv_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def write_notebook(root: Path, student: str, assignment: str) -> dict[str, float]:
    """The autograded notebook as the judge leaves it; its cell scores by grade_id."""
    nb = new_notebook()
    scores = {}
    for grade_id, points in CELLS[assignment]:
        cell = new_code_cell(f"check_{grade_id}()", execution_count=1)
        cell.metadata["nbgrader"] = {
            "grade": True,
            "grade_id": grade_id,
            "points": points,
            "locked": True,
            "solution": False,
            "schema_version": 3,
        }
        results = [
            CheckResult(f"test_{grade_id}_{title}", grade_id, 1.0, title, failure is None, failure)
            for title, failure in OUTCOMES[(student, assignment)][grade_id]
        ]
        verdict = score_cell(grade_id, points, results, texts=texts_for(repo_root(), assignment))
        write_outputs(cell, verdict)
        scores[grade_id] = verdict.score
        nb.cells.append(cell)
    if (student, assignment) == FORGING:
        nb.cells += forged_cells()
    seconds, cells, checks, restarts, problem = FACTS[(student, assignment)]
    nb.metadata["autograder"] = {
        "seconds": seconds,
        "seconds_cells": cells,
        "seconds_checks": checks,
        "restarts": restarts,
        "problem": problem,
    }
    folder = root / "autograded" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    return scores


def forged_cells() -> list:
    """Solution cells whose outputs imitate the judge's verdict, as a student's object can make them
    (``_repr_mimebundle_`` sets an execute_result's metadata): one malformed, one well formed and
    counting a check 50 times with a formula for a title. Reports must count neither."""
    well_formed = CheckResult("test_sigmoid_values", "sigmoid", 1.0, "=HYPERLINK(\"x\")", False, fail("=1+1"))
    verdict = score_cell("sigmoid", 6.0, [well_formed] * 50)
    cells = []
    for metadata in ({"score": 1, "checks": [{"title": "x"}]}, None):
        cell = new_code_cell("show_off()", execution_count=2)
        cell.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "cheat", "locked": False}
        write_outputs(cell, verdict)
        if metadata is not None:
            cell.outputs[1]["metadata"]["autograder"] = metadata
        cells.append(cell)
    return cells


def make_course(root: Path, db_url: str | None = None) -> Path:
    """The course, its gradebook SQLite in the course or, with ``db_url``, where its nbgrader_config.py says."""
    root.mkdir(parents=True)
    for assignment in CELLS:  # the report titles each check from the assignment's texts
        (root / "solutions" / assignment).mkdir(parents=True)
        shutil.copy(repo_root() / "solutions" / assignment / "texts.py", root / "solutions" / assignment)
    if db_url:
        (root / "nbgrader_config.py").write_text(f"c = get_config()\nc.CourseDirectory.db_url = {db_url!r}\n")
    with Gradebook(db_url or f"sqlite:///{root / 'gradebook.db'}", COURSE_ID) as gb:
        for assignment, cells in CELLS.items():
            gb.update_or_create_assignment(assignment)
            gb.update_or_create_notebook(assignment, assignment)
            for grade_id, points in cells:
                gb.update_or_create_grade_cell(
                    grade_id, assignment, assignment, max_score=points, cell_type="code"
                )
        for student in ("ada", "ben", "chen", "dana", "eve"):  # eve hands nothing in
            gb.update_or_create_student(student, first_name=student.title(), last_name="X")
        for student, assignment in OUTCOMES:
            gb.add_submission(assignment, student)
            for grade_id, score in write_notebook(root, student, assignment).items():
                gb.find_grade(grade_id, assignment, assignment, student).auto_score = score
        gb.add_submission(NOT_AUTOGRADED[1], NOT_AUTOGRADED[0])
        gb.db.commit()
    return root


def report(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "autograder"), "report", *args], cwd=root, capture_output=True, text=True, check=False
    )


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:  # nbgrader's Gradebook runs ``alembic`` from PATH
        patch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
        root = make_course(tmp_path_factory.mktemp("report") / "course")
        run = report(root, "--course", str(root), "--out", str(root / "reports"))
    assert run.returncode == 0, run.stderr
    return root / "reports"


def test_scores_csv(built: Path) -> None:
    assert rows(built / "scores.csv") == [
        ["student", "assignment", "score", "max"],
        ["ada", "activations", "10", "10"],
        ["ben", "activations", "6", "10"],
        ["chen", "activations", "6", "10"],
        ["dana", "activations", "8", "10"],
        ["ada", "convolution", "10", "10"],
        ["ben", "convolution", "0", "10"],
        ["chen", "convolution", "0", "10"],
    ]


def test_checks_csv_failure_rates_worst_first(built: Path) -> None:
    assert rows(built / "checks.csv") == [
        ["assignment", "cell", "check", "submissions", "failures", "failure_rate", "most_common_input"],
        ["activations", "sigmoid", "test_sigmoid_extremes", "4", "3", "0.75", BIG],
        ["activations", "relu", "test_relu_values", "4", "1", "0.25", SCRIPT],
        ["activations", "sigmoid", "test_sigmoid_values", "4", "1", "0.25", LONG],
        ["activations", "relu", "test_relu_no_mutation", "4", "0", "0", ""],
        ["activations", "sigmoid", "test_sigmoid_shape_and_type", "4", "0", "0", ""],
        ["convolution", "conv2d", "test_conv2d_matches_reference", "2", "1", "0.5", ""],
        ["convolution", "conv2d", "test_conv2d_no_mutation", "2", "1", "0.5", ""],
    ]


def test_grading_csv(built: Path) -> None:
    assert rows(built / "grading.csv") == [
        ["student", "assignment", "seconds", "seconds_cells", "seconds_checks", "restarts", "problem"],
        ["ada", "activations", "12.5", "4", "8.5", "0", ""],
        ["ben", "activations", "20", "5", "15", "0", ""],
        ["chen", "activations", "30.25", "10", "20.25", "0", ""],
        ["dana", "activations", "8", "3", "5", "0", ""],
        ["ada", "convolution", "40", "10", "30", "0", ""],
        ["ben", "convolution", "95", "5", "90", "1", PROBLEM],
    ]


def section(page: str, assignment: str) -> str:
    start = page.index(f'<h2 id="{assignment}">')
    end = page.find("<h2 ", start + 1)
    return page[start : end if end != -1 else len(page)]


def test_html_sections_labels_and_problems(built: Path) -> None:
    page = (built / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>Class report: course</title>" in page
    for assignment in ("activations", "convolution"):
        part = section(page, assignment)
        for heading in ("Score distribution", "Failing checks", "Grading time", "Submissions with problems"):
            assert f"<h3>{heading}</h3>" in part, (assignment, heading)
    activations, convolution = section(page, "activations"), section(page, "convolution")
    assert "sigmoid: extreme inputs (|x| up to 1e4): no overflow warning, NaN or inf" in activations
    assert "relu: values on ordinary inputs" in activations
    assert "conv2d: matches the reference" in convolution
    # the most common failing inputs, counted, escaped and cut to 120 characters
    assert f"<code>{BIG}</code> (2)" in activations
    assert "<code>x = np.array([-1e4])</code> (1)" in activations
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code> (1)" in activations
    assert SCRIPT not in page
    assert f"<code>{LONG[:119]}…</code> (1)" in activations and LONG not in page
    # grading time: total, mean, max per notebook
    assert "4 notebooks: total 70.8 s, mean 17.7 s, max 30.2 s per notebook." in activations
    assert "2 notebooks: total 135.0 s, mean 67.5 s, max 95.0 s per notebook." in convolution
    # only convolution has problems: ben's run (problem, restart, time-out), chen's missing notebook
    assert "<h3>Submissions with problems</h3>\n<p>None.</p>" in activations
    problems = convolution[convolution.index("Submissions with problems") :]
    assert f"<td>ben</td><td>convolution</td><td>problem: {PROBLEM}<br>kernel restarts: 1<br>" in problems
    assert (
        "conv2d: matches the reference" in problems and "timed_out: `conv2d` took too long (30 s)" in problems
    )
    assert "not_finished" in problems
    assert "<td>chen</td><td>convolution</td><td>no autograded notebook</td>" in problems
    assert "ada" not in problems


def test_html_is_self_contained_with_figures(built: Path, tmp_path: Path) -> None:
    page = (built / "report.html").read_text(encoding="utf-8")
    images = re.findall(r'<img [^>]*src="([^"]*)"', page)
    # per assignment: scores, failure rates, grading time
    assert len(images) == 6
    assert page.count("data:image/png;base64,") == 6
    assert all(src.startswith("data:image/png;base64,") for src in images)
    for src in images:
        png = base64.b64decode(src.split(",", 1)[1], validate=True)
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", page), "reference to an outside file"
    assert "http" not in page and "<script" not in page and "<link" not in page
    if os.environ.get("REPORT_PNG_DIR"):  # to look at the figures
        out = Path(os.environ["REPORT_PNG_DIR"])
        out.mkdir(parents=True, exist_ok=True)
        for n, src in enumerate(images):
            (out / f"figure{n}.png").write_bytes(base64.b64decode(src.split(",", 1)[1]))


def test_report_is_deterministic_and_selects_assignments(built: Path, tmp_path: Path) -> None:
    root = built.parent
    again = tmp_path / "again"
    run = report(root, "convolution", "--out", str(again))  # --course defaults to the working directory
    assert run.returncode == 0, run.stderr
    assert [row[1] for row in rows(again / "scores.csv")[1:]] == ["convolution"] * 3
    page = (again / "report.html").read_text(encoding="utf-8")
    assert 'id="activations"' not in page and page.count("data:image/png;base64,") == 3
    assert section(page, "convolution") == section((built / "report.html").read_text("utf-8"), "convolution")
    run = report(root, "--out", str(again))
    assert run.returncode == 0, run.stderr
    for name in ("report.html", "scores.csv", "checks.csv", "grading.csv"):
        assert (again / name).read_bytes() == (built / name).read_bytes(), name


def test_report_refuses_unknown_assignment_and_missing_gradebook(built: Path, tmp_path: Path) -> None:
    run = report(built.parent, "nosuch", "--out", str(tmp_path / "x"))
    assert run.returncode == 1 and "not in the gradebook: nosuch" in run.stderr
    assert not (tmp_path / "x").exists()
    run = report(tmp_path, "--out", str(tmp_path / "x"))
    assert run.returncode == 1 and "no gradebook at" in run.stderr
    assert not (tmp_path / "gradebook.db").exists()


def test_a_postgresql_gradebook_gives_the_report_sqlite_gives(built: Path, tmp_path: Path) -> None:
    """The report reads the gradebook nbgrader is configured with (CourseDirectory.db_url), here a real
    PostgreSQL server, not a gradebook.db it assumes."""
    with postgres.server() as url:
        root = make_course(tmp_path / "course", db_url=url)
        run = report(root, "--out", str(root / "reports"))
    assert run.returncode == 0, run.stderr
    assert not (root / "gradebook.db").exists()
    for name in ("scores.csv", "checks.csv", "grading.csv"):
        assert (root / "reports" / name).read_bytes() == (built / name).read_bytes(), name
