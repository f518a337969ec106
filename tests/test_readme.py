"""The README's configuration table lists every setting, with its default."""
from pathlib import Path

import pytest

from lifelogger import config

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(config.SETTINGS))
def test_every_setting_is_in_the_readme(key):
    row = next((line for line in README.splitlines() if line.startswith(f"| `LIFELOGGER_{key}` |")), None)
    assert row is not None, f"LIFELOGGER_{key} is missing from the README's configuration table"
    default = config.SETTINGS[key][1]
    if isinstance(default, (int, str)) and not isinstance(default, bool) and default != "":
        assert f"`{default}`" in row
