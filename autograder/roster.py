"""Put a class roster into nbgrader's gradebook: ``autograder roster import``.

A roster is a Canvas gradebook export (its SIS Login ID is the nbgrader student id and
its user ID is stored as ``lms_user_id``, so ``CanvasExporter`` then needs no roster file)
or the CSV ``nbgrader db student import`` reads: ``id`` and any of ``first_name``,
``last_name``, ``email``, ``lms_user_id``.

Students are written with nbgrader's ``Gradebook.update_or_create_student``, the call
``nbgrader db student import`` makes, but not through that command: it stores an empty
cell as None (a file without emails erases every known email), lets the last of two rows
with one id win without a word, and flags no row. Here an empty cell changes nothing,
the first row with an id wins, and the report names every row not imported by its number
as a spreadsheet shows it (the header is row 1), so a TA can fix the file and import it
again: importing is idempotent, and no student is ever deleted.
"""

from __future__ import annotations

import csv
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, Student

from autograder.export.canvas import parse_export, sortable_name
from autograder.gradebook import course_gradebook, missing_sqlite_file

# The student fields nbgrader's importer takes besides ``id``, in its order.
FIELDS = tuple(column.name for column in Student.__table__.c if column.name != "id")
KINDS = {"canvas": "Canvas gradebook export", "csv": "plain CSV"}
ID_COLUMN = {"canvas": "SIS Login ID", "csv": "id"}
WIDTH = 110


class RosterError(Exception):
    """The roster or the course cannot be read; nothing was imported."""


@dataclass
class Entry:
    """A student row of the roster: its id ("" when missing) and the fields its filled cells give."""

    row: int
    id: str
    name: str
    fields: dict[str, str]


@dataclass
class RosterFile:
    """A roster file's student rows, the rows that are not students and the columns not imported."""

    path: Path
    kind: str
    entries: list[Entry]
    not_students: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


Change = dict[str, tuple[str | None, str]]  # field -> (value in the gradebook, value in the file)


@dataclass
class Report:
    """What an import did, or in a dry run would do, and every row it could not use."""

    roster: RosterFile
    db_url: str
    dry_run: bool
    added: list[str] = field(default_factory=list)
    updated: dict[str, Change] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    duplicates: dict[str, list[Entry]] = field(default_factory=dict)  # id -> its rows, the imported first
    conflicts: dict[int, Change] = field(default_factory=dict)  # later row -> how it differs from the first
    missing: list[Entry] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # in the gradebook, not in the file
    writes: dict[str, dict[str, str]] = field(default_factory=dict)  # student id -> fields to set

    @property
    def skipped(self) -> list[int]:
        """Rows whose data is not in the gradebook: no id, or a later row of an id that differs."""
        return sorted([entry.row for entry in self.missing] + list(self.conflicts))

    @property
    def exit_status(self) -> int:
        return 1 if self.skipped else 0

    def text(self) -> str:
        """The report a TA reads: counts, then every row and student that needs a look."""
        roster = self.roster
        duplicates = sorted(self.duplicates.items(), key=lambda item: item[1][0].row)
        lines = ["DRY RUN: nothing is written to the gradebook."] if self.dry_run else []
        lines += [
            f"Roster:    {roster.path} ({KINDS[roster.kind]}, {len(roster.entries)} student rows)",
            f"Gradebook: {self.db_url}",
            f"Added ({len(self.added)})" + (":" if self.added else ""),
            *_wrap(", ".join(self.added)),
            f"Updated ({len(self.updated)})" + (":" if self.updated else ""),
            *(f"  {student}: {_changes(change)}" for student, change in self.updated.items()),
            f"Unchanged ({len(self.unchanged)})",
            f"Duplicate ids ({len(self.duplicates)})" + (", the first row wins:" if self.duplicates else ""),
            *(f"  {student}: {self._duplicate(entries)}" for student, entries in duplicates),
            f"Missing ids ({len(self.missing)})" + (", not imported:" if self.missing else ""),
            *(f"  row {e.row}: {e.name or '(no name)'} (no {ID_COLUMN[roster.kind]})" for e in self.missing),
            f"In the gradebook but not in the file ({len(self.absent)})" + (", kept:" if self.absent else ""),
            *_wrap(", ".join(self.absent)),
        ]
        if roster.not_students:
            skipped = ", ".join(f"row {row} ({name})" for row, name in roster.not_students)
            lines += ["Not students, skipped:", *_wrap(skipped)]
        if roster.ignored_columns:
            lines += ["Columns not imported:", *_wrap(", ".join(roster.ignored_columns))]
        if self.skipped:
            rows = ", ".join(map(str, self.skipped))
            word = "row" if len(self.skipped) == 1 else "rows"
            lines.append(f"NOT IMPORTED: {word} {rows}. Fix the file and import it again.")
        else:
            lines.append(f"Every student row {'would be' if self.dry_run else 'is'} imported.")
        return "\n".join(lines)

    def _duplicate(self, entries: list[Entry]) -> str:
        first, *later = entries
        notes = []
        for entry in later:
            change = self.conflicts.get(entry.row)
            if change:
                differs = ", ".join(
                    f"{name} {new!r} where row {first.row} has {_shown(old)}"
                    for name, (old, new) in change.items()
                )
                notes.append(f"row {entry.row} not imported ({differs})")
            else:
                notes.append(f"row {entry.row} repeats row {first.row}")
        return f"rows {', '.join(str(e.row) for e in entries)}; " + "; ".join(notes)


def import_roster(path: Path, course: Path, kind: str | None = None, dry_run: bool = False) -> Report:
    """Read ``path`` and add or update its students in ``course``'s gradebook (not when ``dry_run``)."""
    roster = read(path, kind)
    try:
        db_url, course_id = course_gradebook(course)
    except FileNotFoundError as error:
        raise RosterError(str(error)) from None
    if dry_run and missing_sqlite_file(db_url):
        return plan(roster, {}, db_url, dry_run)
    # In a dry run, course id "" keeps Gradebook from adding the course's row.
    with Gradebook(db_url, "" if dry_run else course_id) as gb:
        known = {s.id: {name: getattr(s, name) for name in FIELDS} for s in gb.students}
        report = plan(roster, known, db_url, dry_run)
        if not dry_run:
            for student, fields in report.writes.items():
                gb.update_or_create_student(student, **fields)
    return report


def plan(roster: RosterFile, known: dict[str, dict[str, str | None]], db_url: str, dry_run: bool) -> Report:
    """Compare the roster with the gradebook's students: what to add, what changes, what to skip."""
    report = Report(roster, db_url, dry_run)
    first: dict[str, Entry] = {}
    for entry in roster.entries:
        if not entry.id:
            report.missing.append(entry)
        elif entry.id in first:
            earlier = first[entry.id]
            report.duplicates.setdefault(entry.id, [earlier]).append(entry)
            change = _difference(earlier.fields, entry.fields)
            if change:
                report.conflicts[entry.row] = change
        else:
            first[entry.id] = entry
    for student, entry in first.items():
        if student not in known:
            report.added.append(student)
            report.writes[student] = entry.fields
            continue
        change = _difference(known[student], entry.fields)
        if change:
            report.updated[student] = change
            report.writes[student] = {name: new for name, (_, new) in change.items()}
        else:
            report.unchanged.append(student)
    report.absent = sorted(set(known) - set(first))
    return report


def read(path: Path, kind: str | None = None) -> RosterFile:
    """Parse a roster file; its kind ("canvas" or "csv") is told from the header unless given."""
    rows = _read_rows(path)
    header = [cell.strip() for cell in rows[0]]
    kind = kind or _detect(path, header)
    if kind == "canvas":
        try:
            export = parse_export(rows)
        except ValueError as error:
            raise RosterError(f"{path}: {error}") from None
        entries = [
            Entry(
                row.number,
                row.login,
                row.name,
                _filled(first_name=row.first_name, last_name=row.last_name, lms_user_id=row.user.id),
            )
            for row in export.students
        ]
        return RosterFile(path, kind, entries, export.not_students)
    if "id" not in header:
        raise RosterError(
            f"{path}: no 'id' column (a plain CSV roster has id and optionally {', '.join(FIELDS)})"
        )
    entries = []
    for number, cells in enumerate(rows[1:], start=2):
        row = dict(zip(header, (cell.strip() for cell in cells)))
        if any(row.values()):
            fields = _filled(**{name: row.get(name, "") for name in FIELDS})
            name = sortable_name(fields.get("last_name"), fields.get("first_name")) or fields.get("email", "")
            entries.append(Entry(number, row.get("id", ""), name, fields))
    ignored = [column for column in header if column and column != "id" and column not in FIELDS]
    return RosterFile(path, kind, entries, ignored_columns=ignored)


def _read_rows(path: Path) -> list[list[str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError:
        raise RosterError(f"{path} is not UTF-8 text: save it as CSV UTF-8 and import it again") from None
    except (OSError, csv.Error) as error:
        raise RosterError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise RosterError(f"{path} has no header row (its first row is empty)")
    return rows


def _detect(path: Path, header: list[str]) -> str:
    if "SIS Login ID" in header:
        return "canvas"
    if "id" in header:
        return "csv"
    shown = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
    raise RosterError(
        f"{path}: unknown roster format (header: {shown}); a Canvas gradebook export has a "
        "'SIS Login ID' column, a plain CSV an 'id' column (or pass --format canvas|csv)"
    )


def _filled(**fields: str) -> dict[str, str]:
    """Only the fields with a value: an empty cell never blanks what the gradebook knows."""
    return {name: value for name, value in fields.items() if value}


def _difference(old: dict[str, str | None], new: dict[str, str]) -> Change:
    """The fields ``new`` sets to something other than ``old`` has."""
    return {name: (old.get(name), value) for name, value in new.items() if old.get(name) != value}


def _changes(change: Change) -> str:
    return "; ".join(f"{name} {_shown(old)} -> {new!r}" for name, (old, new) in change.items())


def _shown(value: str | None) -> str:
    return repr(value) if value else "(none)"


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)
