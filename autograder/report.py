"""A class report after grading: score spread, the hidden checks students fail, grading time, problems.

``build`` computes one ``ClassReport`` from the gradebook (scores, so manual overrides and
late penalties count) and the autograded notebooks (the judge's verdict in each graded
cell, ``autograder.verdict.read_verdict``, and its grading facts in the notebook metadata,
``nb.metadata["autograder"]``). ``write`` renders that same data as ``report.html`` (one
self-contained page, figures embedded as PNG) and ``scores.csv``, ``checks.csv`` and
``grading.csv``. Nothing in the output depends on the time it was made.
"""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.api import Gradebook

from autograder.assignments import texts_for
from autograder.chinese_font import use_chinese_font
from autograder.export.common import final_score, points, submission
from autograder.feedback import ENGINE_TEXTS, Texts
from autograder.gradebook import course_gradebook, missing_sqlite_file
from autograder.spreadsheet import SafeWriter
from autograder.verdict import read_verdict

# Failure keys that mean the grading itself went wrong, not the student's answer.
PROBLEM_KEYS = ("grader_error", "timed_out", "kernel_gone", "not_finished")
TOP_INPUTS = 3
INPUT_CHARS = 120


@dataclass
class ScoreRow:
    student: str
    assignment: str
    score: float
    max: float


@dataclass
class CheckStats:
    """How one hidden check fared over an assignment's submissions that ran it."""

    assignment: str
    cell: str
    check: str
    title: str
    submissions: int = 0
    failures: int = 0
    inputs: Counter[str] = field(default_factory=Counter)
    texts: Texts = field(default=ENGINE_TEXTS, repr=False, compare=False)  # the assignment's

    @property
    def failure_rate(self) -> float:
        return round(self.failures / self.submissions, 4) if self.submissions else 0.0

    @property
    def label(self) -> str:
        return f"{self.cell}: {self.texts.title(self.title, ['en'])}"

    def common_inputs(self, n: int = TOP_INPUTS) -> list[tuple[str, int]]:
        """The most frequent failing inputs, ties broken by the input text so the order is stable."""
        return sorted(self.inputs.items(), key=lambda item: (-item[1], item[0]))[:n]


@dataclass
class GradingRow:
    """The judge's grading facts for one autograded notebook."""

    student: str
    assignment: str
    notebook: str
    seconds: float
    seconds_cells: float
    seconds_checks: float
    restarts: int
    problem: str


@dataclass
class ProblemRow:
    student: str
    assignment: str
    notebook: str
    reasons: list[str]


@dataclass
class AssignmentReport:
    name: str
    max_score: float
    scores: list[ScoreRow] = field(default_factory=list)
    checks: list[CheckStats] = field(default_factory=list)
    texts: Texts = field(default=ENGINE_TEXTS, repr=False, compare=False)  # its check titles and messages
    grading: list[GradingRow] = field(default_factory=list)
    problems: list[ProblemRow] = field(default_factory=list)

    def checks_by_failure(self) -> list[CheckStats]:
        """Worst first; ties in notebook order of cell then check id."""
        return sorted(self.checks, key=lambda c: (-c.failure_rate, c.cell, c.check))


@dataclass
class ClassReport:
    course: str
    assignments: list[AssignmentReport]


def short(text: str, limit: int = INPUT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reason(texts: Texts, key: str, fields: dict[str, Any]) -> str:
    try:
        return texts.message(key, ["en"], **fields)
    except (KeyError, IndexError, ValueError):
        return f"{key} {fields}" if fields else key


def build(course: Path, wanted: Sequence[str] = ()) -> ClassReport:
    """Everything the report shows, for ``wanted`` assignments (all in the gradebook when empty)."""
    db_url, _ = course_gradebook(course)
    missing = missing_sqlite_file(db_url)
    if missing:
        raise FileNotFoundError(f"no gradebook at {missing}")
    # course_id "" reads every course's rows and writes nothing to the gradebook.
    with Gradebook(db_url, course_id="") as gb:
        known = [a.name for a in gb.assignments]
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise ValueError(f"not in the gradebook: {', '.join(unknown)} (it has: {', '.join(known)})")
        names = [name for name in known if not wanted or name in wanted]
        students = sorted(s.id for s in gb.students)
        reports = []
        for name in names:
            assignment = gb.find_assignment(name)
            report = AssignmentReport(name, float(assignment.max_score), texts=texts_for(course, name))
            notebooks = sorted(nb.name for nb in assignment.notebooks)
            for student in students:
                submitted = submission(gb, name, student)
                if submitted is None:
                    continue
                report.scores.append(ScoreRow(student, name, final_score(submitted), report.max_score))
                for notebook in notebooks:
                    path = course / "autograded" / student / name / f"{notebook}.ipynb"
                    _read_notebook(report, student, notebook, path)
            reports.append(report)
    return ClassReport(course.name, reports)


def _read_notebook(report: AssignmentReport, student: str, notebook: str, path: Path) -> None:
    """Add one autograded notebook's check outcomes, grading facts and problems to ``report``."""
    if not path.exists():
        report.problems.append(ProblemRow(student, report.name, notebook, ["no autograded notebook"]))
        return
    nb = nbformat.read(path, as_version=4)
    reasons: list[str] = []
    stats = {(c.cell, c.check): c for c in report.checks}
    for cell in nb.cells:
        verdict = read_verdict(cell)
        if verdict is None:
            continue
        for check in verdict.get("checks", []):
            key = (check["cell"], check["check"])
            if key not in stats:
                stats[key] = CheckStats(
                    report.name, check["cell"], check["check"], check["title"], texts=report.texts
                )
                report.checks.append(stats[key])
            entry = stats[key]
            entry.submissions += 1
            if check["passed"]:
                continue
            entry.failures += 1
            failure = check.get("failure") or {}
            if failure.get("input"):
                entry.inputs[str(failure["input"])] += 1
            if failure.get("key") in PROBLEM_KEYS:
                why = _reason(report.texts, failure["key"], failure.get("fields", {}))
                reasons.append(f"{entry.label}: {failure['key']}: {why}")
    facts = nb.metadata.get("autograder")
    if facts is not None:
        row = GradingRow(
            student,
            report.name,
            notebook,
            float(facts.get("seconds", 0.0)),
            float(facts.get("seconds_cells", 0.0)),
            float(facts.get("seconds_checks", 0.0)),
            int(facts.get("restarts", 0)),
            str(facts.get("problem") or ""),
        )
        report.grading.append(row)
        if row.problem:
            reasons.insert(0, f"problem: {row.problem}")
        if row.restarts > 0:
            reasons.insert(1 if row.problem else 0, f"kernel restarts: {row.restarts}")
    if reasons:
        report.problems.append(ProblemRow(student, report.name, notebook, reasons))


# ---------------------------------------------------------------- CSV


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = SafeWriter(out)
        writer.writerow(header)
        writer.writerows(rows)


def write_csvs(report: ClassReport, out: Path) -> None:
    parts = report.assignments
    _write_csv(
        out / "scores.csv",
        ["student", "assignment", "score", "max"],
        [[r.student, r.assignment, points(r.score), points(r.max)] for a in parts for r in a.scores],
    )
    _write_csv(
        out / "checks.csv",
        ["assignment", "cell", "check", "submissions", "failures", "failure_rate", "most_common_input"],
        [
            [
                c.assignment,
                c.cell,
                c.check,
                c.submissions,
                c.failures,
                f"{c.failure_rate:g}",
                (c.common_inputs(1) or [("", 0)])[0][0],
            ]
            for a in parts
            for c in a.checks_by_failure()
        ],
    )
    _write_csv(
        out / "grading.csv",
        ["student", "assignment", "seconds", "seconds_cells", "seconds_checks", "restarts", "problem"],
        [
            [g.student, g.assignment, f"{g.seconds:g}", f"{g.seconds_cells:g}", f"{g.seconds_checks:g}"]
            + [g.restarts, g.problem]
            for a in parts
            for g in a.grading
        ],
    )


# ---------------------------------------------------------------- HTML


def _png(figure: Any) -> str:
    """The figure as an ``<img>`` with the PNG inline; the figure is closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


def _score_figure(a: AssignmentReport) -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    top = max([a.max_score, *(r.score for r in a.scores)]) or 1.0
    bins = min(20, max(1, math.ceil(top)))  # one bar per point up to 20 points
    scores = [r.score for r in a.scores]
    ax.hist(scores, bins=bins, range=(0, top), color="#4c72b0", edgecolor="white")
    ax.axvline(a.max_score, color="#c44e52", linestyle="--", label=f"max {points(a.max_score)}")
    ax.set_xlabel("total score")
    ax.set_ylabel("submissions")
    ax.set_title(f"{a.name}: score distribution")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend()
    return _png(fig)


def _checks_figure(a: AssignmentReport) -> str:
    import matplotlib.pyplot as plt

    checks = a.checks_by_failure()
    # Both languages, as students read them (the tables keep the English title).
    labels = [textwrap.fill(short(f"{c.cell}: {c.texts.title(c.title)}", 150), 50) for c in checks]
    lines = sum(label.count("\n") + 1 for label in labels)
    fig, ax = plt.subplots(figsize=(7, 0.3 * lines + 0.2 * len(checks) + 1.2))
    ax.barh(range(len(checks)), [c.failure_rate for c in checks], color="#dd8452")
    ax.set_yticks(range(len(checks)), labels)
    ax.invert_yaxis()  # worst at the top
    ax.set_xlim(0, 1)
    ax.set_xlabel("fraction of submissions failing")
    ax.set_title(f"{a.name}: failure rate per check")
    return _png(fig)


def _time_figure(a: AssignmentReport) -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(
        [g.seconds for g in a.grading],
        bins=min(20, max(5, len(a.grading))),
        color="#55a868",
        edgecolor="white",
    )
    ax.set_xlabel("seconds to grade one notebook")
    ax.set_ylabel("notebooks")
    ax.set_title(f"{a.name}: grading time")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _png(fig)


def _table(header: list[str], rows: list[list[str]]) -> str:
    """A table; every cell is given already escaped."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"<table>\n<tr>{head}</tr>\n{body}</table>"


STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #eee; }
code { white-space: pre-wrap; }
img { max-width: 100%; }
"""


def _assignment_html(a: AssignmentReport) -> list[str]:
    e = html.escape
    parts = [f'<h2 id="{e(a.name)}">Assignment {e(a.name)}</h2>']
    parts.append("<h3>Score distribution</h3>")
    if a.scores:
        mean = sum(r.score for r in a.scores) / len(a.scores)
        parts.append(
            f"<p>{len(a.scores)} submissions, max points {points(a.max_score)}, "
            f"mean score {points(round(mean, 2))}.</p>"
        )
        parts.append(_score_figure(a))
    else:
        parts.append("<p>No submissions.</p>")

    parts.append("<h3>Failing checks</h3>")
    if a.checks:
        parts.append(_checks_figure(a))
        rows = []
        for c in a.checks_by_failure():
            inputs = "<br>".join(
                f"<code>{e(short(text))}</code> ({count})" for text, count in c.common_inputs()
            )
            rows.append(
                [e(c.label), str(c.submissions), str(c.failures), f"{c.failure_rate:.0%}", inputs or "–"]
            )
        parts.append(
            _table(["check", "submissions", "failures", "failure rate", "most common failing inputs"], rows)
        )
    else:
        parts.append("<p>No check results recorded.</p>")

    parts.append("<h3>Grading time</h3>")
    if a.grading:
        seconds = [g.seconds for g in a.grading]
        parts.append(
            f"<p>{len(seconds)} notebooks: total {sum(seconds):.1f} s, "
            f"mean {sum(seconds) / len(seconds):.1f} s, max {max(seconds):.1f} s per notebook.</p>"
        )
        if len(seconds) > 1:
            parts.append(_time_figure(a))
    else:
        parts.append("<p>No grading times recorded.</p>")

    parts.append("<h3>Submissions with problems</h3>")
    if a.problems:
        rows = [
            [e(p.student), e(p.notebook), "<br>".join(e(short(r, 300)) for r in p.reasons)]
            for p in a.problems
        ]
        parts.append(_table(["student", "notebook", "reason"], rows))
    else:
        parts.append("<p>None.</p>")
    return parts


def render_html(report: ClassReport) -> str:
    import matplotlib

    matplotlib.use("Agg")
    use_chinese_font()
    e = html.escape
    title = f"Class report: {report.course}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(title)}</h1>",
    ]
    if report.assignments:
        links = ", ".join(f'<a href="#{e(a.name)}">{e(a.name)}</a>' for a in report.assignments)
        parts.append(f"<p>Assignments: {links}.</p>")
    else:
        parts.append("<p>No assignments in the gradebook.</p>")
    for a in report.assignments:
        parts += _assignment_html(a)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def write(report: ClassReport, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.html").write_text(render_html(report), encoding="utf-8")
    write_csvs(report, out)
    return [out / name for name in ("report.html", "scores.csv", "checks.csv", "grading.csv")]


def run(course: Path, assignments: Sequence[str] = (), out: Path | None = None) -> list[Path]:
    """Build the report for ``course`` and write it to ``out`` (default ``<course>/reports``)."""
    return write(build(course, assignments), out or course / "reports")
