"""Writing the benchmark's results: the measured part of docs/performance.md and its plot.

Only the text between the BEGIN/END markers is replaced, so the hand-written
discussion around it survives every run.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

BEGIN = "<!-- bench:begin (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"


def write(markdown: Path, results, *, machine: str, command: str, revision: str, elapsed: float) -> None:
    """Replace the measured section of ``markdown`` and draw the plot beside it."""
    plot_path = markdown.with_suffix(".png")
    markdown.parent.mkdir(parents=True, exist_ok=True)
    plot(plot_path, results)
    section = render(results, machine=machine, command=command, revision=revision, elapsed=elapsed, plot_name=plot_path.name)
    if markdown.exists() and BEGIN in markdown.read_text() and END in markdown.read_text():
        text = markdown.read_text()
        head, rest = text.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        markdown.write_text(f"{head}{BEGIN}\n{section}\n{END}{tail}")
    else:
        markdown.write_text(f"# Performance\n\n{BEGIN}\n{section}\n{END}\n")


def _cell(value, unit: str) -> str:
    from bench.run import Sample

    if value is None:
        return ""
    if isinstance(value, Sample):
        return f"{value.median_ms:.2f} / {value.p95_ms:.2f}"
    return f"{value:.1f} {unit}" if unit == "s" else f"{value:,.0f} {unit}"


def render(results, *, machine: str, command: str, revision: str, elapsed: float, plot_name: str) -> str:
    data = results.dataset
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    others = [user for user in data.users if user not in (data.heavy, data.tiny)]
    lines = [
        f"- **Command:** `{command}` (took {elapsed:.0f} s, generation included)",
        f"- **Date:** {date}; code at `{revision}`",
        f"- **Machine:** {machine}. Load average (1 min) {results.load_before[0]:.1f} before the run and "
        f"{results.load_after[0]:.1f} after it, on {os.cpu_count()} cores: the machine was shared with other jobs, "
        "so compare ratios (each measured interleaved with its floor), not absolute times.",
        f"- **Data:** seed {data.seed}; {data.total_events:,} events in one SQLite database: "
        f"the heavy user's {data.heavy.days:,} days ({data.heavy.events:,} events), "
        f"{len(others)} other users × {others[0].days if others else 0} days each "
        f"(fewer than ten years each, to keep generation under {max(5, round(data.seconds) + 1)} s), "
        f"and a user with a single day. 15–25 events a day over 12 labels, one running event per user.",
        f"- **Load client:** {results.load_client} on loopback, {results.load_seconds:g} s per endpoint and worker count "
        f"in alternating 1 s rounds, 4 connections per worker; gunicorn with the repository's `gunicorn.conf.py`. "
        "A throughput ratio is the median over those rounds of the endpoint's req/s ÷ the bare endpoint's in the same turn.",
        "- Latencies are in-process (Flask's test client, the full app) as **median / p95 in ms**, "
        "interleaved with their floor; ratio = median ÷ floor median.",
        "",
        "| | measurement | events | result | floor | ratio |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in results.rows:
        ratio = row.ratio()
        floor = _cell(row.floor, row.unit)
        if floor and row.floor_name:
            floor = f"{floor} ({row.floor_name})"
        lines.append(
            f"| {row.group} | {row.name} | {'' if row.events is None else f'{row.events:,}'} | "
            f"{_cell(row.value, row.unit)} | {floor} | {'' if ratio is None else f'{ratio:.2f}×'} |"
        )
    lines += ["", "### Targets", "", "| target | result | measured |", "|---|---|---|"]
    for target in results.targets:
        lines.append(f"| {target.name} | **{'PASS' if target.passed else 'FAIL'}** | {target.detail} |")
    lines += [
        "",
        f"![GET /stats latency against the number of events in the range and in the user's log]({plot_name})",
    ]
    return "\n".join(lines)


def plot(path: Path, results) -> None:
    """Two panels: latency vs events in the range; one day's latency vs the log's size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_range = results.plot_points.get("stats_by_range", [])
    by_size = results.plot_points.get("stats_day_by_log_size", [])
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)

    if by_range:
        events = [max(1, p[0]) for p in by_range]
        left.loglog(events, [p[1] for p in by_range], "o-", label="GET /stats (app, in-process)")
        left.loglog(events, [p[2] for p in by_range], "s--", label="raw SQL floor (sqlite3)")
        for x, y, _floor, label in ((max(1, p[0]), p[1], p[2], p[3]) for p in by_range):
            left.annotate(label, (x, y), textcoords="offset points", xytext=(4, 6), fontsize=8)
        # Slope-1 guide through the largest floor point: linear in the events in range.
        last_x, last_floor = events[-1], by_range[-1][2]
        guide = [last_floor * x / last_x for x in events if last_floor * x / last_x > 0.005]
        left.loglog(events[-len(guide):], guide, ":", color="grey", label="linear in events in range")
        left.set_xlabel(f"events inside the range (the heavy user's {results.dataset.heavy.days / 365:.0f}-year log)")
        left.set_ylabel("median latency (ms)")
        left.set_title("Linear in the events inside the range")
        left.legend(fontsize=8)
        left.grid(True, which="both", alpha=0.3)

    if by_size:
        sizes = [p[0] for p in by_size]
        left_values = [p[1] for p in by_size]
        right.semilogx(sizes, left_values, "o-")
        for size, value, name in by_size:
            right.annotate(name, (size, value), textcoords="offset points", xytext=(4, 6), fontsize=8)
        top = max(left_values) * 1.6
        right.set_ylim(0, top)
        right.set_xlabel("events in the user's whole log")
        right.set_ylabel("median latency (ms)")
        right.set_title(f"One day's stats: flat in the log size ({results.dataset.total_events:,} events in the DB)")
        right.grid(True, which="both", alpha=0.3)

    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
