"""The README's tables list every setting (with its default) and every import format."""
import re
from pathlib import Path

import pytest

from lifelogger import config
from lifelogger.blueprints.transfer.formats import FORMATS
from lifelogger.blueprints.transfer.schemas import ImportQuerySchema

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(config.SETTINGS))
def test_every_setting_is_in_the_readme(key):
    row = next((line for line in README.splitlines() if line.startswith(f"| `LIFELOGGER_{key}` |")), None)
    assert row is not None, f"LIFELOGGER_{key} is missing from the README's configuration table"
    default = config.SETTINGS[key][1]
    if isinstance(default, (int, str)) and not isinstance(default, bool) and default != "":
        assert f"`{default}`" in row


def _format_rows() -> dict[str, str]:
    rows = [line for line in README.splitlines() if line.startswith("| `") and line.count("|") == 6]
    return {row.split("`")[1]: row for row in rows if "-csv`" in row or "-json`" in row}


def test_the_import_table_lists_exactly_the_formats_the_importer_reads():
    assert list(_format_rows()) == list(FORMATS)


@pytest.mark.parametrize("name", list(FORMATS))
def test_the_import_table_names_each_formats_options(name):
    options_cell = _format_rows()[name].rstrip(" |").rsplit("|", 1)[1]
    assert re.findall(r"`([a-z_]+)`", options_cell) == list(FORMATS[name].options)


def test_every_import_option_is_explained():
    explained = {line.split("`")[1] for line in README.splitlines() if re.match(r"^\| `[a-z_]+` \| ", line)}
    # The query schema's own list: an option added to POST /import must be explained here.
    assert set(ImportQuerySchema().fields) - {"format"} <= explained
    assert {"timezone", "date_format", "overlaps", "dry_run"} <= explained
