"""The main job, ``autograder demo`` (what ``bin/demo`` runs), end to end."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from corpus import autograde_points


def test_demo_grades_the_class_and_writes_everything_staff_take_away(outside_tmp):
    full = f"{sum(autograde_points('activations').values()):g}"  # the demo grades activations
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
    assert canvas == {"": full, "ada": full, "ben": "0", "chen": "9.25", "dana": "4"}  # "" is Points Possible
    with open(directory / "moodle_grades.csv", newline="") as fh:
        moodle = {row["ID number"]: row["activations"] for row in csv.DictReader(fh)}
    assert moodle == {"ada": full, "ben": "0", "chen": "9.25", "dana": "4"}
    results = json.loads((directory / "gradescope" / "activations" / "chen" / "results.json").read_text())
    assert (results["score"], results["max_score"], len(results["tests"])) == (9.25, float(full), 8)
    assert "Failing checks" in (directory / "reports" / "report.html").read_text()
    assert (directory / "feedback" / "dana" / "activations" / "activations.html").exists()
