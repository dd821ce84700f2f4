"""The course's assignments, found rather than listed.

An assignment is a folder ``solutions/<name>/`` beside a source notebook ``source/<name>/<name>.ipynb``.
Everything private about it lives in that folder: the reference, the hidden checks, their texts
(``texts.py``) and its grading limits (``grading.toml``). Its points live only in the source notebook's
nbgrader metadata. Tests, the CLI, the judge, the cache key and the report find assignments here, so no
engine module names one.
"""

from __future__ import annotations

import functools
import importlib.util
import keyword
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from autograder.feedback import ENGINE_TEXTS, Texts

TEXTS_FILE = "texts.py"
GRADING_FILE = "grading.toml"
# An assignment's name is a folder, a Python package (solutions.<name>) and a module name
# (autograder/visible/<name>.py); the names of the visible package's shared modules are taken.
NAME = re.compile(r"[a-z][a-z0-9_]*")
RESERVED = frozenset({"messages", "report"})
# A dotted module name, as an assignment may ask its kernels to import while they start.
MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def is_module_name(name: object) -> bool:
    """``name`` is a dotted module name (no keyword among its parts)."""
    return (
        isinstance(name, str)
        and bool(MODULE_NAME.fullmatch(name))
        and not any(keyword.iskeyword(part) for part in name.split("."))
    )


def is_name(name: str) -> bool:
    """``name`` can be an assignment's: lower case, a Python name that is not a keyword or reserved."""
    return bool(NAME.fullmatch(name)) and not keyword.iskeyword(name) and name not in RESERVED


# What an assignment's grading.toml may set, by the configurable class it belongs to, with each setting's
# type. A value in nbgrader_config.py or on the command line wins over the assignment's (for every
# assignment), so a TA can still raise a limit for one slow machine without editing solutions/.
GRADING_SETTINGS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "JudgeExecute": {
        "timeout": int,  # seconds per student cell
        "notebook_timeout": int,  # seconds for all of a notebook's cells
        "checks_timeout": int,  # seconds for one notebook's hidden checks
        "call_timeout": (int, float),  # seconds per call from a check into the student's kernel
        "model_memory_limit": str,  # the process that runs the notebook's saved models
        "model_cpu_limit": int,
        "model_call_timeout": (int, float),
    },
    "SandboxedKernelManager": {
        "memory_limit": str,  # the student's kernel and its children together
        "cpu_limit": int,  # CPU seconds per kernel process
        "preload": list,  # modules the kernel imports as it starts (the notebook's heavy imports)
    },
}


class AssignmentError(ValueError):
    """An assignment's own files are not what the engine expects; the message says which and why."""


@dataclass(frozen=True)
class Assignment:
    """One assignment of the course in ``course_root``."""

    name: str
    course_root: Path

    def __post_init__(self) -> None:
        if not is_name(self.name):  # it becomes a path: nothing outside solutions/ may be named
            raise AssignmentError(f"{self.name!r} is not an assignment name (lower case, a Python name)")

    @property
    def folder(self) -> Path:
        """``solutions/<name>/``: reference, hidden checks, texts and grading limits (never released)."""
        return Path(self.course_root) / "solutions" / self.name

    @property
    def source_notebook(self) -> Path:
        return Path(self.course_root) / "source" / self.name / f"{self.name}.ipynb"

    def points(self) -> dict[str, float]:
        """Points per graded cell (grade_id), in notebook order, from the source notebook's metadata:
        the only place points are written."""
        notebook = nbformat.read(self.source_notebook, as_version=4)
        return {
            cell.metadata["nbgrader"]["grade_id"]: float(cell.metadata["nbgrader"]["points"])
            for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get("grade")
        }

    def autograde_points(self) -> dict[str, float]:
        """What autograding alone gives a perfect notebook, per graded cell: a hand-graded answer scores
        0 until a TA grades it in the formgrader."""
        notebook = nbformat.read(self.source_notebook, as_version=4)
        return {
            cell.metadata["nbgrader"]["grade_id"]: (
                0.0
                if cell.metadata["nbgrader"].get("solution")
                else float(cell.metadata["nbgrader"]["points"])
            )
            for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get("grade")
        }

    def grading(self) -> dict[str, dict[str, Any]]:
        """The assignment's grading limits by configurable class (empty where it sets none)."""
        return _grading(self.folder / GRADING_FILE)

    def texts(self) -> Texts:
        """The engine's texts and this assignment's check titles and messages."""
        return _texts(self.folder / TEXTS_FILE)


def find(course_root: Path) -> dict[str, Assignment]:
    """Every assignment in the course, by name, sorted."""
    solutions = Path(course_root) / "solutions"
    found = {}
    for folder in sorted(solutions.iterdir()) if solutions.is_dir() else ():
        if folder.is_dir() and is_name(folder.name):
            assignment = Assignment(folder.name, Path(course_root))
            if assignment.source_notebook.is_file():
                found[folder.name] = assignment
    return found


def get(course_root: Path, name: str) -> Assignment:
    """The assignment ``name``; a clear error when the course has none by that name."""
    found = find(course_root)
    if not is_name(name) or name not in found:
        known = ", ".join(found) or "none"
        raise AssignmentError(
            f"no assignment {name!r} in {course_root}: it needs solutions/{name}/ and "
            f"source/{name}/{name}.ipynb (assignments found: {known})"
        )
    return found[name]


def texts_for(course_root: Path, name: str) -> Texts:
    """The texts feedback about ``name`` is written with; the engine's alone, with a warning, where the
    assignment's cannot be read (a gradebook can hold an assignment whose folder is gone; after a
    grading run as root, solutions/ is readable by root only)."""
    path = Path(course_root) / "solutions" / name / TEXTS_FILE
    try:
        if is_name(name) and path.is_file():
            return _texts(path)
        problem = "no such file"
    except OSError as error:
        problem = str(error)
    logging.getLogger(__name__).warning("check titles shown as their keys: %s: %s", path, problem)
    return ENGINE_TEXTS


def _grading(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        return {}
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise AssignmentError(f"{path}: {error}") from error
    for section, values in tables.items():
        allowed = GRADING_SETTINGS.get(section)
        if allowed is None or not isinstance(values, dict):
            raise AssignmentError(
                f"{path}: [{section}] is not a grading table ({', '.join(GRADING_SETTINGS)})"
            )
        for key, value in values.items():
            if key not in allowed:
                raise AssignmentError(f"{path}: [{section}] {key} cannot be set per assignment")
            if not isinstance(value, allowed[key]) or isinstance(value, bool):
                raise AssignmentError(f"{path}: [{section}] {key} = {value!r} has the wrong type")
            if key == "preload" and not all(is_module_name(item) for item in value):
                raise AssignmentError(f"{path}: [{section}] {key} = {value!r} must list module names")
    return tables


def _texts(path: Path) -> Texts:
    return _load_texts(path, path.stat().st_mtime_ns)


@functools.cache
def _load_texts(path: Path, _mtime_ns: int) -> Texts:
    spec = importlib.util.spec_from_file_location(f"_assignment_texts_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        texts = module.TEXTS
    except Exception as error:
        raise AssignmentError(f"{path}: {error}") from error
    if not isinstance(texts, Texts):
        raise AssignmentError(f"{path}: TEXTS must be ENGINE_TEXTS.extended(MESSAGES, TITLES)")
    return texts
