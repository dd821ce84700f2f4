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


if __name__ == "__main__":
    main()
