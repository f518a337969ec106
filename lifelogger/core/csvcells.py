"""Text cells in the CSV files we write, made safe for spreadsheets, and read back.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is run as a formula by Excel, LibreOffice and Google Sheets ("CSV injection").
As OWASP recommends, such a cell is written with a leading apostrophe, which
a spreadsheet shows as text. So that an export imports back byte-identical,
a cell that already starts with apostrophes before such a character gets one
more, and ``restore`` takes exactly one away. Numbers (minutes) are not text
cells and are never passed through here.
"""
from __future__ import annotations

import re

_RUNS_AS_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet must see it: text, never a formula."""
    return "'" + cell if _RUNS_AS_FORMULA.match(cell) else cell


def restore(cell: str) -> str:
    """The text ``neutralise`` was given (for cells of a CSV file we wrote)."""
    if cell.startswith("'") and _RUNS_AS_FORMULA.match(cell, 1):
        return cell[1:]
    return cell
