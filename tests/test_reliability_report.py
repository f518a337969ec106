"""docs/reliability.md names real tests: every row's selectors point at a file and a test that exist."""
import re
from pathlib import Path

import pytest

from bench.reliability_report import ATTACKS, THREATS

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("selector", sorted({s for threat in THREATS + ATTACKS for s in threat.tests}))
def test_each_row_of_the_report_names_a_test_that_exists(selector):
    path, _, name = selector.partition("::")
    source = (REPO / path).read_text()
    if name:
        assert re.search(rf"^def {re.escape(name)}", source, re.MULTILINE), f"{selector}: no such test"
    else:
        assert re.search(r"^def test_", source, re.MULTILINE), f"{path}: no tests in it"


def test_no_test_is_listed_under_two_threats():
    selectors = [s for threat in THREATS + ATTACKS for s in threat.tests]
    assert sorted({s for s in selectors if selectors.count(s) > 1}) == []
