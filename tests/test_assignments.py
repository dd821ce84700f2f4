"""The assignment is the unit: each one is found, complete and self-described; the engine names none.

Cheap (no kernel, no root): an author who adds or changes an exercise learns here, in seconds, that a
graded cell has no check, a check names a cell that does not exist, a text lacks a language, or that an
assignment's name, text or limit slipped into the engine.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import assignments, feedback
from autograder.classroom import repo_root
from autograder.scaffold import new_assignment
from autograder.verdict import is_test_cell

REPO = repo_root()
FOUND = assignments.find(REPO)
ENGINE = REPO / "autograder"
# String literals the engine may use although an assignment has the same name: Keras's own words.
KERAS_WORDS = {("model_runner.py", "layers"), ("model_host.py", "layers")}


def test_every_folder_is_an_assignment_and_every_assignment_has_a_corpus():
    folders = {p.name for p in (REPO / "solutions").iterdir() if p.is_dir() and p.name != "__pycache__"}
    notebooks = {p.name for p in (REPO / "source").iterdir() if p.is_dir()}
    assert set(FOUND) == folders == notebooks
    for name in FOUND:
        corpus = importlib.import_module(f"{name}_corpus")
        assert callable(corpus.corpus), f"tests/{name}_corpus.py needs corpus(course_root, reference)"


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """Every hidden check as the judge's pytest plugin records it at collection, by assignment."""
    results = tmp_path_factory.mktemp("collect") / "results.jsonl"
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "autograder.pytest_plugin",
            "-p", "no:cacheprovider", "-o", "addopts=", "--rootdir", str(REPO),
            "--judge-connection", "unused", "--judge-results", str(results),
            *(str(a.folder) for a in FOUND.values()),
        ],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    by_assignment: dict[str, list[dict]] = {name: [] for name in FOUND}
    for line in results.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        by_assignment[entry["collected"].split("/")[1]].append(entry)
    return by_assignment


@pytest.mark.parametrize("name", FOUND)
def test_every_graded_cell_has_a_check_and_every_check_a_cell(collected, name):
    notebook = nbformat.read(FOUND[name].source_notebook, as_version=4)
    test_cells = {c.metadata.nbgrader["grade_id"] for c in notebook.cells if is_test_cell(c)}
    checked = {entry["cell"] for entry in collected[name]}
    assert test_cells - checked == set(), "graded cells no hidden check scores (they would get 0)"
    assert checked - test_cells == set(), "checks for cells the notebook does not have"


@pytest.mark.parametrize("name", FOUND)
def test_every_check_title_and_message_is_written_in_both_languages(collected, name):
    texts = FOUND[name].texts()
    own = assignments.Assignment(name, REPO)
    module = importlib.import_module(f"solutions.{name}.texts")
    for table in (module.MESSAGES, module.TITLES):
        for key, languages in table.items():
            assert all(languages.get(lang, "").strip() for lang in feedback.LANGUAGES), (name, key)
    titles = {entry["title"] for entry in collected[name]}
    assert titles - set(texts.titles) == set(), f"titles missing from solutions/{name}/texts.py"
    used = _message_keys(own.folder)
    assert used - set(texts.messages) == set(), f"message keys missing from solutions/{name}/texts.py"
    assert set(module.MESSAGES) - used == set(), "messages no check of this assignment uses"


def _message_keys(folder: Path) -> set[str]:
    """Keys the checks name: ``CheckFailed("key", ...)`` and ``TEXTS.message("key", ...)``."""
    keys = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                callee = (
                    node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                )
                if callee in ("CheckFailed", "message") and isinstance(node.args[0].value, str):
                    keys.add(node.args[0].value)
    return keys


def _engine_files() -> list[Path]:
    return [p for p in sorted(ENGINE.rglob("*.py")) if "visible" not in p.relative_to(ENGINE).parts]


def test_the_engine_names_no_assignment():
    """Outside autograder/visible/ no module names an assignment or reaches into its folder."""
    found = []
    for path in _engine_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            for name in FOUND:
                named = (
                    node.value == name
                    or f"solutions/{name}" in node.value
                    or f"solutions.{name}" in node.value
                )
                if named and (path.name, node.value) not in KERAS_WORDS:
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value!r}")
    assert found == []


def test_the_engine_keeps_only_messages_it_uses_itself():
    """An assignment's messages live with its checks: every engine message is used by the engine."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in _engine_files() if p.name != "feedback.py")
    unused = [key for key in feedback.MESSAGES if f'"{key}"' not in sources and f"'{key}'" not in sources]
    assert unused == []


def test_an_assignment_cannot_redefine_an_engine_message():
    with pytest.raises(ValueError, match="raised"):
        feedback.ENGINE_TEXTS.extended({"raised": {"zh": "x", "en": "x"}}, {})


def test_a_broken_grading_file_is_refused_with_its_name(tmp_path):
    folder = tmp_path / "solutions" / "demo"
    folder.mkdir(parents=True)
    (folder / "grading.toml").write_text("[JudgeExecute]\ntimeout = 'long'\n")
    with pytest.raises(assignments.AssignmentError, match="grading.toml.*timeout"):
        assignments.Assignment("demo", tmp_path).grading()
    (folder / "grading.toml").write_text("[JudgeExecute]\nmax_examples = 1000\n")
    with pytest.raises(assignments.AssignmentError, match="cannot be set per assignment"):
        assignments.Assignment("demo", tmp_path).grading()


def test_a_name_that_cannot_be_an_assignment_is_refused_and_nothing_is_written(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "taken_corpus.py").write_text("# another assignment's corpus\n")
    for name in ("class", "report", "messages", "Upper", "../escape", "", "taken"):
        with pytest.raises(ValueError):
            new_assignment(tmp_path, name)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "tests",
        "tests/taken_corpus.py",
    ]
    with pytest.raises(assignments.AssignmentError):
        assignments.Assignment("../../etc", tmp_path)
    assert assignments.texts_for(tmp_path, "../../etc") is feedback.ENGINE_TEXTS
