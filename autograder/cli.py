"""``autograder``: the project's commands where nbgrader has no verb of its own."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

NBGRADER_OPTION = re.compile(r"--[A-Za-z_][\w]*\.[A-Za-z_]\w*=.*")


def autograde_command(
    parser: argparse.ArgumentParser, args: argparse.Namespace, overrides: tuple[str, ...]
) -> None:
    from autograder.batch import Batch, BatchError, summary

    try:
        batch = Batch(
            args.course,
            args.assignment,
            students=args.student,
            jobs=args.jobs,
            engine="dask" if args.dask else "processes",
            scheduler=args.scheduler,
            worker_course=args.worker_course,
            force=args.force,
            cache=not args.no_cache,
            overrides=overrides,
        )
        result = batch.run()
    except BatchError as error:
        parser.exit(2, f"autograder autograde: {error}\n")
    print(summary(result, batch.coursedir.db_url))
    sys.stdout.flush()
    parser.exit(result.exit_status)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="grade a small demo class end to end and print the results")
    demo.add_argument("--dir", type=Path, default=Path("demo-class"), help="where to build it (replaced)")
    demo.add_argument(
        "--assignment", default="", help="an assignment with a demo scenario, solutions/<assignment>/demo.py"
    )
    new = commands.add_parser(
        "new",
        help="start a new assignment: its source notebook, solutions/ folder and corpus, ready to grade",
    )
    new.add_argument("name", help="the assignment's name (lower case, a Python name)")
    new.add_argument("--course", type=Path, default=Path("."), help="the course directory (default: here)")
    data = commands.add_parser("data", help="link the offline data sets where Keras and SciPy look for them")
    data.add_argument("--ascent", help="path to ascent.dat (default: ../shared/data/ascent.dat)")
    autograde = commands.add_parser(
        "autograde",
        help="grade an assignment's submissions in parallel (resumable, with a content cache)",
        description="Grade the submissions in submitted/*/ASSIGNMENT as `nbgrader autograde` does (same judge, "
        "same gradebook rows and autograded notebooks), in parallel worker processes or on a Dask cluster. "
        "Students graded before from the same files by the same judge are skipped unless --force. "
        "nbgrader options such as --JudgeExecute.timeout=60 are passed on. Exit status: 0 all graded, "
        "1 some failed (each has a row of zeros with the reason), 2 nothing could start, 130 interrupted.",
    )
    autograde.add_argument("assignment", metavar="ASSIGNMENT")
    autograde.add_argument("--student", action="append", help="grade only this student (repeatable)")
    autograde.add_argument(
        "--jobs",
        "-j",
        type=int,
        help="notebooks judged at once (default: this machine's cores; with --scheduler, the cluster's "
        "worker threads when the run starts)",
    )
    engine = autograde.add_mutually_exclusive_group()
    engine.add_argument("--dask", action="store_true", help="judge on a local Dask cluster of --jobs workers")
    engine.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="judge on this Dask cluster's workers")
    autograde.add_argument(
        "--worker-course",
        metavar="DIR",
        help="where the workers find the course files (default: the same path)",
    )
    autograde.add_argument(
        "--force", action="store_true", help="grade again the students that are up to date"
    )
    autograde.add_argument("--no-cache", action="store_true", help="judge every notebook, even a duplicate")
    autograde.add_argument(
        "--course", type=Path, default=Path("."), help="the course directory (default: here)"
    )
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
    args, extra = parser.parse_known_args(argv)
    unknown = [arg for arg in extra if not (args.command == "autograde" and NBGRADER_OPTION.fullmatch(arg))]
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command == "autograde":
        autograde_command(parser, args, tuple(extra))
    elif args.command == "demo":
        from autograder import demo as demo_module

        demo_module.run(args.dir.resolve(), args.assignment)
    elif args.command == "new":
        from autograder import scaffold

        try:
            written = scaffold.new_assignment(args.course.resolve(), args.name)
        except ValueError as error:
            parser.exit(2, f"autograder new: {error}\n")
        for path in written:
            print(path)
        print(f"next: nbgrader generate_assignment {args.name}  (then see docs/authors.md)")
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
