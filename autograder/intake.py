"""Taking in what a student handed in, even when it is not the notebook that was asked for.

Stock nbgrader stops on a submitted file that is empty or not valid notebook JSON, and on
a notebook saved under another name ("Activations (1).ipynb"): that student gets no
autograded notebook, no feedback and no reason. Here:

* ``add_missing_notebooks`` (``Autograde.pre_convert_hook``) puts every notebook of the
  assignment on nbgrader's list for the student, present or not;
* ``SubmissionExporter`` (``Autograde.exporter_class``) reads each one. A missing notebook
  is read from the single other notebook in the folder, if there is exactly one (and the
  feedback says so); otherwise, and for a file that cannot be read as a notebook, the
  released notebook stands in, marked with the problem, and the judge gives every graded
  cell 0 with that reason.

The submitted files themselves are never changed. Files a browser would run scripts in (``.html``,
``.svg``, ...) handed in beside the notebook are not copied on (``active_content_patterns``): the
formgrader serves a submission's files from the TA's Jupyter origin, by their names.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat import NotebookNode

MAX_NOTEBOOK_BYTES = 200 * 1024 * 1024  # a submission larger than this is not read
# Extensions a browser renders with scripts enabled (HTML, SVG, XML with XSLT, JavaScript, web archives).
ACTIVE_CONTENT = (
    "html",
    "htm",
    "shtml",
    "xhtml",
    "xht",
    "svg",
    "svgz",
    "xml",
    "xsl",
    "xslt",
    "js",
    "mjs",
    "mht",
    "mhtml",
)


def active_content_patterns() -> list[str]:
    """``CourseDirectory.ignore`` patterns for those files in any letter case (a browser takes NOTES.HTML
    for HTML too): nbgrader then copies none of them into autograded/ or feedback/, where the formgrader
    and the feedback folders would serve them."""
    return ["*." + "".join(f"[{c}{c.upper()}]" for c in extension) for extension in ACTIVE_CONTENT]


def release_notebooks(course_root: Path, assignment: str) -> dict[str, Path]:
    """The assignment's released notebooks by name (without ``.ipynb``)."""
    folder = course_root / "release" / assignment
    return {path.stem: path for path in sorted(folder.glob("*.ipynb"))}


def add_missing_notebooks(assignment: str, student: str, notebooks: list[str], course_root: str) -> None:
    """nbgrader pre-convert hook: add the paths of expected notebooks the student did not hand in.

    nbgrader passes its own list of the student's notebooks (the one it then converts), so
    appending to it is how the missing ones get converted, by ``SubmissionExporter``.
    Bind ``course_root`` with ``functools.partial`` in ``nbgrader_config.py``.
    """
    if not notebooks:
        return
    folder = os.path.dirname(notebooks[0])
    present = {Path(path).stem for path in notebooks}
    for name in release_notebooks(Path(course_root), Path(folder).name):
        if name not in present:
            notebooks.append(os.path.join(folder, f"{name}.ipynb"))


def read_regular_file(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path``, refusing links, folders, FIFOs and devices.

    Submissions are read as root; a link could point at the reference solution, a FIFO
    would block the batch.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError(0, "not a regular file")
    with os.fdopen(descriptor, "rb") as reader:
        return reader.read(limit + 1)


def _unreadable(path: Path, detail: str) -> dict[str, Any]:
    return {"key": "notebook_unreadable", "fields": {"name": path.name, "detail": detail}}


def read_notebook(path: Path) -> tuple[NotebookNode | None, dict[str, Any] | None]:
    """The notebook at ``path``, or None and the problem a student should be told about."""
    try:
        raw = read_regular_file(path, MAX_NOTEBOOK_BYTES)
    except OSError as error:
        return None, _unreadable(path, f"not a regular file ({error.strerror or error})")
    if len(raw) > MAX_NOTEBOOK_BYTES:
        return None, {"key": "notebook_too_big", "fields": {"name": path.name, "size": len(raw)}}
    if not raw.strip():
        return None, {"key": "notebook_empty", "fields": {"name": path.name}}
    try:
        json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, _unreadable(path, "not UTF-8 text")
    except json.JSONDecodeError as error:
        return None, _unreadable(
            path, f"JSON error at line {error.lineno}, column {error.colno}: {error.msg}"
        )
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise TypeError("it has no list of cells")
        nbformat.validate(nb, relax_add_props=True)  # what nbgrader would otherwise crash on later
    except Exception as error:  # noqa: BLE001 (any way JSON can fail to be a notebook)
        return None, _unreadable(path, str(error).strip().splitlines()[0][:200] or type(error).__name__)
    return nb, None


def read_submission(path: Path, expected: dict[str, Path]) -> tuple[NotebookNode | None, dict[str, Any]]:
    """Read a submitted notebook; the second item is what ``nb.metadata["autograder"]`` should note."""
    if os.path.lexists(path):
        nb, problem = read_notebook(path)
        return nb, ({"submission_problem": problem} if problem else {})
    others = sorted(p for p in path.parent.glob("*.ipynb") if p.stem not in expected)
    if len(others) == 1:
        nb, problem = read_notebook(others[0])
        if problem:
            return None, {"submission_problem": problem}
        return nb, {"graded_instead": {"expected": path.name, "found": others[0].name}}
    found = ", ".join(p.name for p in others) or "-"
    return None, {
        "submission_problem": {"key": "notebook_missing", "fields": {"expected": path.name, "found": found}}
    }


class SubmissionExporter(NotebookExporter):
    """nbgrader's notebook exporter, but a submission it cannot read still gets graded (0, with a reason)."""

    def from_filename(self, filename: str, resources: dict | None = None, **kw: Any):
        grading = (resources or {}).get("nbgrader", {})
        coursedir = getattr(self.parent, "coursedir", None)
        path = Path(os.path.abspath(filename))  # the file itself may be a link: never resolve it
        submitted = Path(coursedir.root, coursedir.submitted_directory).resolve() if coursedir else None
        if not grading or submitted is None or not path.parent.resolve().is_relative_to(submitted):
            return super().from_filename(filename, resources, **kw)  # e.g. nbgrader's sanitized copy
        expected = release_notebooks(Path(coursedir.root), grading["assignment"])
        nb, note = read_submission(path, expected)
        if nb is None:
            nb = nbformat.read(expected[grading["notebook"]], as_version=4)
        nb.metadata.pop("autograder", None)  # only the grader writes here
        if note:
            nb.metadata["autograder"] = note
        return self.from_notebook_node(nb, resources, **kw)
