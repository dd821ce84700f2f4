"""The cache key: everything that can change a verdict changes the key, nothing else does."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder.batch import cacheable
from autograder.classroom import repo_root
from autograder.judged_store import JudgedStore, judge_fingerprint, notebook_key, submission_digest
from autograder.progress import Progress, duration
from autograder.verdict import CheckResult, score_cell, write_outputs

SETTINGS = {"JudgeExecute": {"timeout": 300}, "SandboxedKernelManager": {"memory_limit": "4G"}}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    for name in ("solutions", "source", "release"):
        for assignment in ("activations", "cnn"):
            shutil.copytree(repo_root() / name / assignment, tmp_path / name / assignment)
    shutil.copy(repo_root() / "solutions" / "__init__.py", tmp_path / "solutions" / "__init__.py")
    return tmp_path


def notebook(*sources: str) -> nbformat.NotebookNode:
    return new_notebook(cells=[new_code_cell(source) for source in sources])


def test_the_fingerprint_is_stable(course):
    assert judge_fingerprint(course, "activations", SETTINGS) == judge_fingerprint(
        course, "activations", SETTINGS
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (
            (root / "solutions/activations/test_activations.py").open("a").write("\n# a new check\n")
        ),
        lambda root: (root / "solutions/activations/reference.py").open("a").write("\n"),
        lambda root: (root / "solutions/__init__.py").open("a").write("\n"),
        lambda root: (root / "source/activations/activations.ipynb").open("a").write(" "),
        lambda root: (root / "release/activations/activations.ipynb").open("a").write(" "),
        lambda root: (root / "solutions/activations/texts.py").open("a").write("\n"),
        lambda root: (root / "solutions/activations/grading.toml").open("a").write("\n# more room\n"),
    ],
    ids=[
        "a check", "the reference", "shared solution code", "the source notebook", "the release",
        "its feedback texts", "its grading limits",
    ],
)  # fmt: skip
def test_the_fingerprint_changes_with_the_checks_and_the_reference(course, change):
    before = judge_fingerprint(course, "activations", SETTINGS)
    change(course)
    assert judge_fingerprint(course, "activations", SETTINGS) != before


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "solutions/cnn/texts.py").open("a").write("\n"),
        lambda root: (root / "solutions/cnn/test_cnn.py").open("a").write("\n# a new check\n"),
        lambda root: (root / "solutions/cnn/grading.toml").open("a").write("\n"),
        lambda root: (root / "source/cnn/cnn.ipynb").open("a").write(" "),
    ],
    ids=["its texts", "its checks", "its grading limits", "its notebook"],
)
def test_another_assignment_changes_nothing(course, change):
    """A typo fixed in the cnn texts must not re-judge a whole course of activations notebooks."""
    before = judge_fingerprint(course, "activations", SETTINGS)
    change(course)
    assert judge_fingerprint(course, "activations", SETTINGS) == before


def test_the_fingerprint_changes_with_the_judges_settings(course):
    looser = {**SETTINGS, "JudgeExecute": {"timeout": 600}}
    assert judge_fingerprint(course, "activations", looser) != judge_fingerprint(
        course, "activations", SETTINGS
    )


def test_the_key_changes_with_any_cell_and_ignores_outputs():
    nb = notebook("def relu(x):\n    return x", "relu(1)")
    key = notebook_key("f", nb)
    nb.cells[1].outputs = [new_output("stream", name="stdout", text="1")]
    assert notebook_key("f", nb) == key
    assert notebook_key("f", notebook("def relu(x):\n    return x ", "relu(1)")) != key
    assert notebook_key("other judge", nb) != key
    nb.metadata["autograder"] = {"submission_problem": {"key": "not_json"}}
    assert notebook_key("f", nb) != key


def test_the_submission_digest_covers_every_file(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    before = submission_digest(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    assert submission_digest(tmp_path) != before


def test_the_store_keeps_verdicts_and_failures(tmp_path):
    store = JudgedStore(tmp_path)
    assert store.get("ab" * 32) is None
    store.put("ab" * 32, notebook("x = 1"))
    assert store.get("ab" * 32).cells[0].source == "x = 1"
    store.put_failure("cd" * 32, "worker died")
    assert store.get("cd" * 32) == "worker died"
    assert not list(tmp_path.rglob("*.tmp"))


def test_only_verdicts_that_depend_on_the_notebook_alone_are_cached():
    """A classmate graded alongside can slow a kernel past a time limit or take its memory: such a
    verdict is judged again next time, not reused."""
    nb = notebook("x = 1")
    nb.metadata["autograder"] = {"problem": "", "restarts": 0}
    assert cacheable(nb)
    nb.metadata["autograder"]["restarts"] = 1  # an infinite loop stopped by the cell time limit
    assert not cacheable(nb)
    nb.metadata["autograder"] = {"problem": "the hidden checks ran past 900 s", "restarts": 0}
    assert not cacheable(nb)
    for ename in ("cell_time_limit", "kernel_out_of_memory", "notebook_time_limit"):
        stopped = notebook("x = 1")
        stopped.metadata["autograder"] = {"problem": "", "restarts": 0}
        stopped.cells[0].outputs = [new_output("error", ename=ename, evalue="", traceback=[])]
        assert not cacheable(stopped), ename
    failures = {
        "values_differ": True,  # the notebook's own answer: kept
        "timed_out": False,
        "kernel_gone": False,
        "grader_error": False,
        "model_not_loadable": False,
        "not_finished": False,
        "model_out_of_memory": False,
        "model_time_limit": False,
        "model_cpu_limit": False,
        "model_process_died": False,
    }
    for key, kept in failures.items():
        judged = notebook("x = 1")
        judged.metadata["autograder"] = {"problem": "", "restarts": 0}
        test = new_code_cell("check()")
        test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "test_f", "points": 1}
        failed = CheckResult("t", "test_f", 1.0, "values", False, {"key": key, "fields": {}})
        write_outputs(test, score_cell("test_f", 1.0, [failed]))
        judged.cells.append(test)
        assert cacheable(judged) is kept, key


def test_the_progress_line_says_done_cached_failed_running_and_eta():
    progress = Progress("activations", 40)
    progress.started -= 100
    line = progress.line(done=10, cached=3, failed=1, running=2)
    assert line.startswith("activations [######..................] 10/40, 3 from cache, 1 failed, 2 running")
    assert "ETA 5 min 00 s" in line
    assert duration(3725) == "1 h 02 min"


def test_stored_verdicts_are_private_to_the_grader(tmp_path):
    """A verdict holds a student's whole notebook: no student kernel (another uid) may read it."""
    JudgedStore(tmp_path).put("ef" * 32, notebook("answer = 42"))
    (stored,) = tmp_path.rglob("*.json")
    assert stored.stat().st_mode & 0o777 == 0o600
    assert stored.parent.stat().st_mode & 0o777 == 0o700
