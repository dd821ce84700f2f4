"""``autograder roster import`` on real files and a real nbgrader gradebook (sqlite in tmp_path).

No grading and no kernel: each test writes a roster file, imports it and reads the
students back through nbgrader's own ``Gradebook``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import postgres
import pytest
from nbgrader.api import Gradebook

from autograder import cli
from autograder.roster import import_roster

COURSE_ID = "roster-test"
VENV_PATH = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
# Rows as a spreadsheet numbers them: 1 header, 2 Canvas's manual-posting note, 3 points,
# 4 ada, 5 ben, 6 Jane (no SIS Login ID), 7 and 8 blank, 9 gabo, 10 cher, 11 the test student.
CANVAS = (
    "Student,ID,SIS User ID,SIS Login ID,Section,activations (1234),Current Score\n"
    ",,,,,Manual Posting,\n"
    "    Points Possible,,,,,12,(read only)\n"
    '"Lovelace, Ada",501,S-0001,ada,Lab A,12,100\n'
    '"Bitdiddle, Ben",502,S-0002,ben,Lab B,,80\n'
    '"Doe, Jane",503,S-0003,,Lab A,,\n'
    ",,,,,,\n"
    "\n"
    '"García Márquez, Gabriel",504,S-0004,gabo,Lab B,,\n'
    "Cher,505,,cher,Lab A,,\n"
    '"Student, Test",599,,test-student-1,,,\n'
)


@pytest.fixture(autouse=True)
def venv_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """nbgrader's Gradebook runs ``alembic`` from PATH when it creates a gradebook."""
    monkeypatch.setenv("PATH", VENV_PATH)


@pytest.fixture(scope="session")
def blank_gradebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty gradebook of the course, made once by nbgrader (its alembic call takes seconds)."""
    path = tmp_path_factory.mktemp("blank") / "gradebook.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", VENV_PATH)
        Gradebook(db_url(path.parent), COURSE_ID).close()
    return path


@pytest.fixture
def make_course(blank_gradebook: Path) -> Callable[..., Path]:
    """``make_course(root, config="", students=None, gradebook=True)``: a course directory with an
    nbgrader_config.py and, unless ``gradebook`` is false, a gradebook holding ``students``."""

    def make(
        root: Path, config: str = "", students: dict[str, dict] | None = None, gradebook: bool = True
    ) -> Path:
        root.mkdir(parents=True)
        (root / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.CourseDirectory.course_id = {COURSE_ID!r}\n{config}", encoding="utf-8"
        )
        if gradebook:
            shutil.copy(blank_gradebook, root / "gradebook.db")
            with Gradebook(db_url(root), COURSE_ID) as gb:
                for student, fields in (students or {}).items():
                    gb.update_or_create_student(student, **fields)
        return root

    return make


def db_url(root: Path) -> str:
    """The gradebook nbgrader uses in course directory ``root`` by default."""
    return f"sqlite:///{root / 'gradebook.db'}"


def gradebook(url: str) -> dict[str, dict[str, str | None]]:
    """Every student in the gradebook with the fields nbgrader keeps."""
    with Gradebook(url, "") as gb:
        return {
            s.id: {
                "first_name": s.first_name,
                "last_name": s.last_name,
                "email": s.email,
                "lms_user_id": s.lms_user_id,
            }
            for s in gb.students
        }


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_canvas_export_skips_non_students_splits_names_and_stores_canvas_ids(
    tmp_path: Path, make_course: Callable[..., Path]
) -> None:
    course = make_course(tmp_path / "course")
    report = import_roster(write(tmp_path / "canvas.csv", CANVAS), course)

    assert gradebook(db_url(course)) == {
        "ada": {"first_name": "Ada", "last_name": "Lovelace", "email": None, "lms_user_id": "501"},
        "ben": {"first_name": "Ben", "last_name": "Bitdiddle", "email": None, "lms_user_id": "502"},
        "gabo": {"first_name": "Gabriel", "last_name": "García Márquez", "email": None, "lms_user_id": "504"},
        "cher": {"first_name": None, "last_name": "Cher", "email": None, "lms_user_id": "505"},
    }
    assert report.roster.kind == "canvas"
    assert report.added == ["ada", "ben", "gabo", "cher"]
    assert report.roster.not_students == [(3, "Points Possible"), (11, "Student, Test")]
    assert [(e.row, e.name) for e in report.missing] == [(6, "Doe, Jane")]
    assert report.exit_status == 1
    text = report.text()
    assert "  row 6: Doe, Jane (no SIS Login ID)" in text
    assert "row 3 (Points Possible), row 11 (Student, Test)" in text
    assert text.endswith("NOT IMPORTED: row 6. Fix the file and import it again.")


def test_canvas_export_with_last_and_first_name_columns(
    tmp_path: Path, make_course: Callable[..., Path]
) -> None:
    """Canvas can export the name as LastName, FirstName instead of one Student column."""
    course = make_course(tmp_path / "course")
    export = (
        "LastName,FirstName,ID,SIS Login ID,Section,Quiz (7)\n"
        "    Points Possible,,,,,5\n"
        "Lovelace,Ada,501,ada,Lab A,5\n"
        "Student,Test,599,test-student-1,,\n"
    )
    report = import_roster(write(tmp_path / "canvas.csv", export), course)
    assert report.exit_status == 0
    assert gradebook(db_url(course))["ada"] == {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": None,
        "lms_user_id": "501",
    }
    assert set(gradebook(db_url(course))) == {"ada"}


def test_plain_csv_with_nbgrader_columns(tmp_path: Path, make_course: Callable[..., Path]) -> None:
    course = make_course(tmp_path / "course")
    roster = write(
        tmp_path / "students.csv",
        " id ,first_name,last_name,email,lms_user_id,phone\n"
        "s001,Wei,Li,li.wei@example.edu,9001,555\n"
        "s002 ,,Zhang,,,\n",
        encoding="utf-8-sig",  # Excel's "CSV UTF-8" starts with a BOM
    )
    report = import_roster(roster, course)
    assert report.roster.kind == "csv"
    assert report.exit_status == 0
    assert report.roster.ignored_columns == ["phone"]
    assert gradebook(db_url(course)) == {
        "s001": {
            "first_name": "Wei",
            "last_name": "Li",
            "email": "li.wei@example.edu",
            "lms_user_id": "9001",
        },
        "s002": {"first_name": None, "last_name": "Zhang", "email": None, "lms_user_id": None},
    }
    assert report.text().endswith("Every student row is imported.")


def test_update_changes_fields_but_never_erases_known_ones(
    tmp_path: Path, make_course: Callable[..., Path]
) -> None:
    known = {
        "ada": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.edu",
            "lms_user_id": "501",
        },
        "ben": {"first_name": "Ben", "last_name": "Bitdiddle", "email": "ben@example.edu"},
        "zoe": {"first_name": "Zoe", "last_name": "Washburne"},
    }
    course = make_course(tmp_path / "course", students=known)
    roster = write(
        tmp_path / "students.csv",
        "id,first_name,last_name,email\n"
        "ada,Augusta Ada,,\n"  # a new first name; empty last name and email must not erase anything
        "ben,Ben,Bitdiddle,ben@example.edu\n",
    )
    report = import_roster(roster, course)

    after = gradebook(db_url(course))
    assert after["ada"] == {**known["ada"], "first_name": "Augusta Ada"}
    assert after["ben"] == {**known["ben"], "lms_user_id": None}
    assert after["zoe"] == {**known["zoe"], "email": None, "lms_user_id": None}  # not in the file: kept
    assert report.updated == {"ada": {"first_name": ("Ada", "Augusta Ada")}}
    assert report.unchanged == ["ben"]
    assert report.added == []
    assert report.absent == ["zoe"]
    assert report.exit_status == 0
    text = report.text()
    assert "  ada: first_name 'Ada' -> 'Augusta Ada'" in text
    assert "In the gradebook but not in the file (1), kept:\n  zoe" in text


def test_nbgrader_own_import_would_erase_a_known_email(
    tmp_path: Path, make_course: Callable[..., Path]
) -> None:
    """Why ``roster import`` does not run ``nbgrader db student import``: its empty cell erases an email."""
    course = make_course(tmp_path / "course", students={"ada": {"email": "ada@example.edu"}})
    roster = write(tmp_path / "students.csv", "id,first_name,email\nada,Ada,\n")
    run = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), "db", "student", "import", str(roster)],
        cwd=course,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert gradebook(db_url(course))["ada"]["email"] is None

    ours = make_course(tmp_path / "ours", students={"ada": {"email": "ada@example.edu"}})
    import_roster(roster, ours)
    assert gradebook(db_url(ours))["ada"] == {
        "first_name": "Ada",
        "last_name": None,
        "email": "ada@example.edu",
        "lms_user_id": None,
    }


def test_duplicate_ids_first_row_wins_and_differing_rows_are_named(
    tmp_path: Path, make_course: Callable[..., Path]
) -> None:
    course = make_course(tmp_path / "course")
    roster = write(
        tmp_path / "students.csv",
        "id,first_name,last_name,email\n"
        "ada,Ada,Lovelace,ada@example.edu\n"  # row 2: imported
        "ben,Ben,Bitdiddle,\n"  # row 3
        "ada,Adah,Lovelace,\n"  # row 4: differs from row 2, not imported
        "ada,,,ada@example.edu\n",  # row 5: adds nothing to row 2, harmless
    )
    report = import_roster(roster, course)

    assert gradebook(db_url(course))["ada"]["first_name"] == "Ada"
    assert [e.row for e in report.duplicates["ada"]] == [2, 4, 5]
    assert report.conflicts == {4: {"first_name": ("Ada", "Adah")}}
    assert report.skipped == [4]
    assert report.exit_status == 1
    assert (
        "  ada: rows 2, 4, 5; row 4 not imported (first_name 'Adah' where row 2 has 'Ada'); row 5 repeats row 2"
        in report.text()
    )


def test_repeated_identical_rows_import_everything(tmp_path: Path, make_course: Callable[..., Path]) -> None:
    course = make_course(tmp_path / "course")
    roster = write(tmp_path / "students.csv", "id,first_name\nada,Ada\nada,Ada\n")
    report = import_roster(roster, course)
    assert report.exit_status == 0
    assert report.skipped == []
    assert "  ada: rows 2, 3; row 3 repeats row 2" in report.text()


def test_rows_without_id_are_named_and_the_rest_imported(
    tmp_path: Path, make_course: Callable[..., Path]
) -> None:
    course = make_course(tmp_path / "course")
    roster = write(
        tmp_path / "students.csv",
        "id,first_name,last_name,email\n"
        "s001,Wei,Li,\n"
        ",Jane,Doe,jane@example.edu\n"
        " ,,,nobody@example.edu\n"
        ",,,\n"  # blank: not a student row at all
        "s002,Min,Zhang,\n",
    )
    report = import_roster(roster, course)
    assert set(gradebook(db_url(course))) == {"s001", "s002"}
    assert [(e.row, e.name) for e in report.missing] == [(3, "Doe, Jane"), (4, "nobody@example.edu")]
    assert report.skipped == [3, 4]
    assert report.exit_status == 1
    text = report.text()
    assert (
        "Missing ids (2), not imported:\n  row 3: Doe, Jane (no id)\n  row 4: nobody@example.edu (no id)"
        in text
    )
    assert text.endswith("NOT IMPORTED: rows 3, 4. Fix the file and import it again.")


def test_dry_run_writes_nothing_and_reports_the_same(
    tmp_path: Path, make_course: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    course = make_course(tmp_path / "course", students={"ada": {"first_name": "A"}, "zoe": {}})
    roster = write(tmp_path / "canvas.csv", CANVAS)
    database = course / "gradebook.db"
    before = hashlib.sha256(database.read_bytes()).hexdigest()

    def run(*extra: str) -> str:
        with pytest.raises(SystemExit) as exited:
            cli.main(["roster", "import", str(roster), "--course", str(course), *extra])
        assert exited.value.code == 1  # Jane has no SIS Login ID
        return capsys.readouterr().out

    dry = run("--dry-run")
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert set(gradebook(db_url(course))) == {"ada", "zoe"}
    assert (
        "Updated (1):\n  ada: first_name 'A' -> 'Ada'; last_name (none) -> 'Lovelace'; lms_user_id (none) -> '501'\n"
        in dry
    )
    assert "Added (3):\n  ben, gabo, cher\n" in dry

    real = run()
    assert dry == "DRY RUN: nothing is written to the gradebook.\n" + real
    assert set(gradebook(db_url(course))) == {"ada", "zoe", "ben", "gabo", "cher"}

    fresh = make_course(tmp_path / "fresh", gradebook=False)
    assert import_roster(roster, fresh, dry_run=True).added == ["ada", "ben", "gabo", "cher"]
    assert not (fresh / "gradebook.db").exists()


def test_config_db_url_and_root_are_honoured(tmp_path: Path, make_course: Callable[..., Path]) -> None:
    elsewhere = make_course(tmp_path / "elsewhere")  # holds the gradebook the next course names
    config = f"c.CourseDirectory.db_url = {db_url(elsewhere)!r}\n"
    course = make_course(tmp_path / "course", config, gradebook=False)
    report = import_roster(write(tmp_path / "students.csv", "id\ns001\n"), course)
    assert report.db_url == db_url(elsewhere)
    assert set(gradebook(db_url(elsewhere))) == {"s001"}
    assert not (course / "gradebook.db").exists()

    # A relative root is relative to the course directory, where nbgrader runs.
    rooted = make_course(tmp_path / "rooted", "c.CourseDirectory.root = 'graded'\n", gradebook=False)
    make_course(rooted / "graded")
    report = import_roster(tmp_path / "students.csv", rooted)
    assert report.db_url == db_url(rooted / "graded")
    assert set(gradebook(report.db_url)) == {"s001"}


def test_a_postgresql_gradebook_is_imported_into(tmp_path: Path, make_course: Callable[..., Path]) -> None:
    """A course whose nbgrader_config.py names a real PostgreSQL server gets its students there."""
    with postgres.server() as url:
        course = make_course(tmp_path / "course", f"c.CourseDirectory.db_url = {url!r}\n", gradebook=False)
        report = import_roster(write(tmp_path / "students.csv", "id,email\ns001,a@example.org\n"), course)
        assert report.db_url == url
        assert gradebook(url) == {
            "s001": {"first_name": None, "last_name": None, "email": "a@example.org", "lms_user_id": None}
        }
    assert not (course / "gradebook.db").exists()


@pytest.mark.parametrize(
    ("name", "content", "extra", "message"),
    [
        ("absent.csv", None, [], "cannot read {path}: No such file or directory"),
        ("grades.csv", "name,mail\nx,y\n", [], "{path}: unknown roster format (header: name, mail)"),
        ("gbk.csv", "id,last_name\ns001,李\n", [], "{path} is not UTF-8 text: save it as CSV UTF-8"),
        ("empty.csv", "", [], "{path} has no header row"),
        (
            "plain.csv",
            "id\ns001\n",
            ["--format", "canvas"],
            "not a Canvas gradebook export: no 'ID', 'SIS Login ID', 'Student' columns",
        ),
        ("canvas.csv", CANVAS, ["--format", "csv"], "{path}: no 'id' column"),
    ],
    ids=["missing", "unknown-header", "not-utf8", "empty", "not-canvas", "not-plain"],
)
def test_unreadable_roster_exits_2_with_a_message(
    tmp_path: Path,
    make_course: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | None,
    extra: list[str],
    message: str,
) -> None:
    course = make_course(tmp_path / "course", gradebook=False)
    path = tmp_path / name
    if content is not None:
        write(path, content, encoding="gbk" if name == "gbk.csv" else "utf-8")
    with pytest.raises(SystemExit) as exited:
        cli.main(["roster", "import", str(path), "--course", str(course), *extra])
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert err.startswith("autograder roster import: ")
    assert message.format(path=path) in err
    assert out == ""
    assert not (course / "gradebook.db").exists()


def test_cli_end_to_end(tmp_path: Path, make_course: Callable[..., Path]) -> None:
    """The command a TA types in the course directory; then again once the file is fixed."""
    course = make_course(tmp_path / "course", students={"zoe": {"first_name": "Zoe"}})
    write(course / "canvas.csv", CANVAS)
    command = [sys.executable, "-m", "autograder.cli", "roster", "import", "canvas.csv"]

    first = subprocess.run(command, cwd=course, capture_output=True, text=True, check=False)
    assert first.returncode == 1, first.stderr
    assert first.stdout == (
        "Roster:    canvas.csv (Canvas gradebook export, 5 student rows)\n"
        f"Gradebook: {db_url(course)}\n"
        "Added (4):\n"
        "  ada, ben, gabo, cher\n"
        "Updated (0)\n"
        "Unchanged (0)\n"
        "Duplicate ids (0)\n"
        "Missing ids (1), not imported:\n"
        "  row 6: Doe, Jane (no SIS Login ID)\n"
        "In the gradebook but not in the file (1), kept:\n"
        "  zoe\n"
        "Not students, skipped:\n"
        "  row 3 (Points Possible), row 11 (Student, Test)\n"
        "NOT IMPORTED: row 6. Fix the file and import it again.\n"
    )
    assert set(gradebook(db_url(course))) == {"zoe", "ada", "ben", "gabo", "cher"}

    write(course / "canvas.csv", CANVAS.replace('"Doe, Jane",503,S-0003,,', '"Doe, Jane",503,S-0003,jane,'))
    second = subprocess.run(command, cwd=course, capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Added (1):\n  jane\nUpdated (0)\nUnchanged (4)\n" in second.stdout
    assert second.stdout.endswith("Every student row is imported.\n")
    assert gradebook(db_url(course))["jane"]["lms_user_id"] == "503"
