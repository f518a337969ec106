"""Spreadsheet-safe CSV cells (OWASP "CSV injection") and their exact reversal."""
import pytest

from lifelogger.core.csvcells import neutralise, restore

FORMULA_STARTS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://evil\")"]


@pytest.mark.parametrize("cell", FORMULA_STARTS)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Sleep", "", "a=b", "1-2", "'quoted", "Café"])
def test_ordinary_text_is_written_as_is(cell):
    assert neutralise(cell) == cell


@pytest.mark.parametrize("cell", FORMULA_STARTS + ["Sleep", "", "'", "'=x", "''=x", "'quoted", "'-"])
def test_restore_gives_back_exactly_what_was_neutralised(cell):
    assert restore(neutralise(cell)) == cell
