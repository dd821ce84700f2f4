"""What a verdict depends on, and a store of judged notebooks keyed by it.

The judge is deterministic, so a notebook's verdict is a function of the notebook as the
judge receives it (sanitized by nbgrader: outputs cleared, locked cells restored) and of
everything on the grader's side: the hidden checks and reference of the assignment, the
released notebooks, this package's code, the judge's and the sandbox's settings, and the
versions of the packages that run it. ``judge_fingerprint`` hashes the grader's side,
``notebook_key`` adds the notebook. Two submissions with the same key get the same verdict,
which is what lets ``autograder autograde`` judge duplicates once (the content cache) and
hand work to other processes or machines.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from autograder.assignments import is_name

# Packages whose version can change how a notebook runs or is checked.
JUDGE_PACKAGES = (
    "tensorflow", "keras", "numpy", "scipy", "matplotlib", "hypothesis", "pytest",
    "nbgrader", "nbclient", "ipykernel", "jupyter_client", "nbformat",
)  # fmt: skip
# Settings of the judge and the sandbox that can change a verdict (limits, languages).
JUDGE_SETTINGS = ("JudgeExecute", "SandboxedKernelManager")


def _hash_tree(digest: hashlib._Hash, root: Path, label: str, skip: frozenset[Path] = frozenset()) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc" and path not in skip:
            digest.update(f"{label}/{path.relative_to(root)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def _versions() -> dict[str, str]:
    found = {}
    for name in JUDGE_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "-"
    return found


def judge_fingerprint(course_root: Path, assignment: str, settings: dict[str, Any]) -> str:
    """A hash of everything on the grader's side that a verdict of ``assignment`` depends on: its own
    folders, the engine, the configuration and the packages; not the other assignments (changing one
    of their texts or checks re-judges nothing here).

    ``settings``: the loaded configuration's sections named in ``JUDGE_SETTINGS``.
    """
    digest = hashlib.sha256()
    course_root = Path(course_root)
    engine = Path(__file__).resolve().parent
    others = frozenset(
        engine / "visible" / f"{name}.py" for name in _assignment_names(course_root) if name != assignment
    )
    for label, folder in (
        ("solutions", course_root / "solutions" / assignment),
        ("source", course_root / "source" / assignment),
        ("release", course_root / "release" / assignment),
        ("autograder", engine),
    ):
        if folder.is_dir():
            _hash_tree(digest, folder, label, skip=others)
    for shared in sorted((course_root / "solutions").glob("*.py")):
        digest.update(f"solutions/{shared.name}\0".encode() + shared.read_bytes())
    facts = {
        "python": sys.version,
        "packages": _versions(),
        "settings": {
            name: {k: str(v) for k, v in sorted(settings.get(name, {}).items())} for name in JUDGE_SETTINGS
        },
    }
    digest.update(json.dumps(facts, sort_keys=True).encode())
    return digest.hexdigest()


def _assignment_names(course_root: Path) -> list[str]:
    """The course's assignments as far as a worker can see them (it may have solutions/ but no source/)."""
    solutions = course_root / "solutions"
    return (
        sorted(p.name for p in solutions.iterdir() if p.is_dir() and is_name(p.name))
        if solutions.is_dir()
        else []
    )


def notebook_key(fingerprint: str, nb: NotebookNode) -> str:
    """The verdict's key: the grader's fingerprint and the sanitized notebook, outputs aside."""
    cells = [{"type": cell.cell_type, "source": cell.source, "metadata": cell.metadata} for cell in nb.cells]
    text = json.dumps({"cells": cells, "metadata": nb.metadata}, sort_keys=True, default=str)
    return hashlib.sha256(f"{fingerprint}\0{text}".encode()).hexdigest()


def submission_digest(folder: Path) -> str:
    """A hash of every file a student handed in for an assignment (names and bytes)."""
    digest = hashlib.sha256()
    folder = Path(folder)
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                digest.update(f"{path.relative_to(folder)}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class JudgedStore:
    """Judged notebooks (or the reason judging failed) in a folder, one JSON file per key.

    Writes go through a temporary file and a rename, so a crash never leaves half a result.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def put(self, key: str, nb: NotebookNode) -> None:
        self._write(key, {"notebook": nb})

    def put_failure(self, key: str, reason: str) -> None:
        self._write(key, {"failure": reason})

    def get(self, key: str) -> NotebookNode | str | None:
        """The judged notebook, the failure reason (a string), or None when nothing is stored."""
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        if "failure" in entry:
            return str(entry["failure"])
        return nbformat.from_dict(entry["notebook"])

    def _write(self, key: str, entry: dict[str, Any]) -> None:
        path = self._path(key)
        # Private to the grader: a verdict holds a student's whole notebook (mkstemp files are 0600).
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entry, out)
        os.replace(temporary, path)
