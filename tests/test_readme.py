"""The README's tables list every setting (with its default) and every import format."""
from pathlib import Path

import pytest

from lifelogger import config
from lifelogger.blueprints.transfer.formats import FORMATS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(config.SETTINGS))
def test_every_setting_is_in_the_readme(key):
    row = next((line for line in README.splitlines() if line.startswith(f"| `LIFELOGGER_{key}` |")), None)
    assert row is not None, f"LIFELOGGER_{key} is missing from the README's configuration table"
    default = config.SETTINGS[key][1]
    if isinstance(default, (int, str)) and not isinstance(default, bool) and default != "":
        assert f"`{default}`" in row


def test_the_import_table_lists_exactly_the_formats_the_importer_reads():
    rows = [line for line in README.splitlines() if line.startswith("| `") and line.count("|") == 5]
    listed = [row.split("`")[1] for row in rows if "-csv`" in row or "-json`" in row]
    assert listed == list(FORMATS)
