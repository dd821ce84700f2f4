"""``autograder``: the project's commands where nbgrader has no verb of its own."""

from __future__ import annotations

import argparse
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="grade a small demo class end to end and print the results")
    demo.add_argument("--dir", type=Path, default=Path("demo-class"), help="where to build it (replaced)")
    data = commands.add_parser("data", help="link the offline data sets where Keras and SciPy look for them")
    data.add_argument("--ascent", help="path to ascent.dat (default: ../shared/data/ascent.dat)")
    report = commands.add_parser("report", help="write a class report (HTML and CSVs) from the gradebook")
    report.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
    report.add_argument("--course", type=Path, default=Path("."), help="the course directory (default: here)")
    report.add_argument("--out", type=Path, help="where to write it (default: COURSE/reports)")
    roster = commands.add_parser("roster", help="put students into the gradebook")
    roster_commands = roster.add_subparsers(dest="roster_command", required=True)
    roster_import = roster_commands.add_parser(
        "import",
        help="add or update students from a Canvas gradebook export or a CSV",
        description="Add or update students in the gradebook from a Canvas gradebook export or a CSV with "
        "the columns id, first_name, last_name, email, lms_user_id. Empty cells change nothing; no student "
        "is deleted. Exit status: 0 every row imported, 1 some rows skipped (named in the report), "
        "2 the file or course cannot be read.",
    )
    roster_import.add_argument("file", type=Path, metavar="FILE", help="the roster, a CSV file")
    roster_import.add_argument("--format", choices=["canvas", "csv"], help="default: told from the header")
    roster_import.add_argument(
        "--course", type=Path, default=Path("."), metavar="DIR", help="the course directory (default: here)"
    )
    roster_import.add_argument("--dry-run", action="store_true", help="print the report, write nothing")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from autograder import demo as demo_module

        demo_module.run(args.dir.resolve())
    elif args.command == "data":
        from autograder import datasets

        datasets.main(["--ascent", args.ascent] if args.ascent else [])
    elif args.command == "report":
        from autograder import report as report_module

        try:
            written = report_module.run(args.course.resolve(), args.assignments, args.out)
        except (FileNotFoundError, ValueError) as error:
            parser.exit(1, f"autograder report: {error}\n")
        for path in written:
            print(path)
    elif args.command == "roster":
        from autograder import roster as roster_module

        try:
            imported = roster_module.import_roster(
                args.file, args.course.resolve(), args.format, args.dry_run
            )
        except roster_module.RosterError as error:
            parser.exit(2, f"autograder roster import: {error}\n")
        print(imported.text())
        parser.exit(imported.exit_status)


if __name__ == "__main__":
    main()
