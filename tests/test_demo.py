"""The main job, ``autograder demo`` (what ``bin/demo`` runs), end to end."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from corpus import Submission, autograde_points

from autograder.classroom import reference_cells, repo_root


def expected_totals() -> dict[str, str]:
    """What the demo's students must get, from the corpus cases they are (shares of each cell lost) and
    the points in the notebook: chen's two bugs are two corpus submissions, dana is the input-transformer
    attack."""
    import activations_corpus

    full = autograde_points("activations")
    wrong = activations_corpus.WRONG
    chen = Submission(
        {}, lost={**wrong["naive_sigmoid_overflows"].lost, **wrong["relu_derivative_zero_at_zero"].lost}
    )
    reference = reference_cells(repo_root() / "source" / "activations" / "activations.ipynb")
    dana = activations_corpus.tampering(str(repo_root()), reference)["tamper_input_transformer"]
    totals = {"ada": sum(full.values()), "ben": 0.0, "chen": chen.expected(full)["total"]}
    totals["dana"] = dana.expected(full)["total"]
    return {student: f"{round(total, 4):g}" for student, total in totals.items()}


def test_demo_grades_the_class_and_writes_everything_staff_take_away(outside_tmp):
    full = f"{sum(autograde_points('activations').values()):g}"  # the demo grades activations
    totals = expected_totals()
    directory = outside_tmp / "demo-class"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "demo", "--dir", str(directory)],
        capture_output=True, text=True, env=env, check=False, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert "roster from canvas_export.csv: 4 students added" in run.stdout
    with open(directory / "canvas_grades.csv", newline="") as fh:
        canvas = {row["SIS Login ID"]: row["activations (1234)"] for row in csv.DictReader(fh)}
    assert canvas == {"": full, **totals}  # "" is Points Possible
    with open(directory / "moodle_grades.csv", newline="") as fh:
        moodle = {row["ID number"]: row["activations"] for row in csv.DictReader(fh)}
    assert moodle == totals
    results = json.loads((directory / "gradescope" / "activations" / "chen" / "results.json").read_text())
    graded_cells = len(autograde_points("activations"))
    assert (f"{results['score']:g}", results["max_score"], len(results["tests"])) == (
        totals["chen"],
        float(full),
        graded_cells,
    )
    assert "Failing checks" in (directory / "reports" / "report.html").read_text()
    assert (directory / "feedback" / "dana" / "activations" / "activations.html").exists()
