"""Turn bench/measure.py's JSON into the measured section of docs/performance.md.

    python -m bench.report [docs/performance.json] [--output docs/performance.md]

Only the text between the BEGIN/END markers is replaced, so the hand-written
discussion around it (what each figure means) survives every run.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- bench:begin (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"
RESULTS = ROOT / "docs" / "performance.json"
MARKDOWN = ROOT / "docs" / "performance.md"

IN_PROCESS_ROWS = [
    ("me", "`GET /api/v1/me`"),
    ("stats_year", "`GET /api/v1/stats`, a year"),
    ("stats_ten_years", "`GET /api/v1/stats`, ten years"),
    ("events_year", "`GET /api/v1/events`, a year"),
    ("switch", "`POST /api/v1/events/start` (a switch)"),
]
HTTP_ROWS = [
    ("stats_year", "stats for a year"),
    ("events_year", "a year's events"),
    ("events_day", "a day's events"),
]


def verdict(passed) -> str:
    return "not measured" if passed is None else "**PASS**" if passed else "**FAIL**"


def render(results: dict) -> str:
    """The measured section, in markdown."""
    run, data = results["run"], results["dataset"]
    lines = [
        f"- **Command:** `{run['command']}` (took {run['seconds']} s); {run['date']}; code at `{run['revision']}`",
        f"- **Machine:** {run['machine']}; 1-minute load average {run['load_average_before']} before and "
        f"{run['load_average_after']} after the run (the machine is shared: absolute times drift between runs).",
        f"- **Data:** seed {data['seed']}; {data['events']:,} events for {data['users']} users in one SQLite file: "
        f"the heavy user's {data['heavy_days']:,} days ({data['heavy_events']:,} events), "
        f"{data['other_users']} users × {data['other_days']} days, one user with a single day.",
        "",
        "### Budgets",
        "",
        "| budget | result | measured | limit |",
        "|---|---|---|---|",
    ]
    lines += [f"| {b['name']} | {verdict(b['passed'])} | {b['value']} | {b['limit']} |" for b in results["budgets"]]
    lines += [
        "",
        "### In-process (Flask's test client, the whole app in one process)",
        "",
        "| request | repetitions | median ms | p95 ms |",
        "|---|---:|---:|---:|",
    ]
    for key, title in IN_PROCESS_ROWS:
        row = results["in_process"][key]
        lines.append(f"| {title} | {row['n']} | {row['median_ms']:.2f} | {row['p95_ms']:.2f} |")
    http = results["http"]
    systems = list(http)
    lines += [
        "",
        f"### Over HTTP, against the peers (bench/client.py on loopback; one request at a time, then "
        f"{run['connections']} connections for {run['concurrent_seconds']:g} s)",
        "",
        "| question | " + " | ".join(systems) + " |",
        "|---|" + "---:|" * len(systems),
    ]
    for key, title in HTTP_ROWS:
        cells = [f"{http[s][key]['median_ms']:.2f} ms (p95 {http[s][key]['p95_ms']:.2f}, n={http[s][key]['n']})" for s in systems]
        lines.append(f"| {title}, median | " + " | ".join(cells) + " |")
    cells = []
    for s in systems:
        load = http[s]["concurrent_day_reads"]
        cells.append(f"{load['rps']:,.0f} req/s ({load['requests']:,} requests, {load['errors']} errors)")
    lines.append("| a day's events, concurrent | " + " | ".join(cells) + " |")
    if results["peers"]:
        lines += ["", "Peers: " + "; ".join(
            f"{name} {about['version']} (its {about['events']:,} events loaded through its API in {about['load_seconds']} s)"
            for name, about in results["peers"].items()) + "."]
    else:
        lines += ["", "Peers not run: `make bench-peers` (or `make bench BENCH_ARGS=--peers`) installs and measures them."]
    return "\n".join(lines)


def write(results: dict, markdown: Path) -> None:
    """Replace the measured section of ``markdown`` (or create the page)."""
    section = render(results)
    text = markdown.read_text() if markdown.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        markdown.write_text(f"{head}{BEGIN}\n{section}\n{END}{tail}")
    else:
        markdown.write_text(f"# Performance\n\n{BEGIN}\n{section}\n{END}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, nargs="?", default=RESULTS)
    parser.add_argument("--output", type=Path, default=MARKDOWN)
    args = parser.parse_args(argv)
    write(json.loads(args.results.read_text()), args.output)
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
