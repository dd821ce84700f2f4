"""CSV files for staff, safe to open in a spreadsheet.

Student ids, names, check titles and failing inputs all reach our CSV files, and a spreadsheet
runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before
one) as a formula: ``=HYPERLINK(...)`` in a student's name would be live on a TA's screen.
OWASP's rule: such a cell gets a leading ``'``, which spreadsheets show as text. Numbers
(``-0.5``, ``+3``, ``1e-3``) are left as they are, so scores still import as numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet will show it as text: a leading ``'`` if it could start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`neutralise`."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
