"""pytest plugin: write every test's outcome and recorded properties to a JSON file.

    LIFELOGGER_OUTCOMES_JSON=out.json pytest -p bench.outcomes_plugin ...

gives ``{"<node id>": {"outcome": "passed|failed|skipped|error", "properties": {...}}}``
(properties from ``record_property``), which bench/reliability_report.py turns
into docs/reliability.md. Exact node ids and no need for xunit1 JUnit XML
(record_property warns under the default xunit2, an error with -W error).
"""
import json
import os

_results: dict = {}


def pytest_runtest_logreport(report):
    entry = _results.setdefault(report.nodeid, {"outcome": "passed", "properties": {}})
    entry["properties"].update(dict(report.user_properties))
    if report.failed:
        entry["outcome"] = "failed" if report.when == "call" else "error"
    elif report.skipped and entry["outcome"] == "passed":
        entry["outcome"] = "skipped"


def pytest_sessionfinish(session):
    path = os.environ.get("LIFELOGGER_OUTCOMES_JSON")
    if path:
        with open(path, "w") as handle:
            json.dump(_results, handle, indent=1)
