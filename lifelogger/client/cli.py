"""The ``lifelogger`` command: run your day from the terminal.

Exit codes: 0 success, 1 the server refused the request, 2 bad usage,
3 not logged in or token invalid, 4 server unreachable, 5 server error.
"""
from __future__ import annotations

import json
import socket
import sys
from datetime import datetime

import click

from lifelogger.client import credentials
from lifelogger.client.api import EXIT_AUTH, Api, ClientError
from lifelogger.client.timerange import hours_minutes, local_now, local_text, parse_when, preset, utc_iso

BAR_WIDTH = 40


def _api() -> Api:
    stored = credentials.load()
    if not stored.get("url") or not stored.get("token"):
        raise ClientError(
            "Not logged in. Run 'lifelogger login --url https://your-server' "
            "(or set LIFELOGGER_URL and LIFELOGGER_TOKEN).",
            EXIT_AUTH,
        )
    return Api(stored["url"], stored["token"])


def _emit_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _range(from_: str | None, to: str | None, preset_name: str | None) -> tuple[str, str]:
    if preset_name:
        start, end = preset(preset_name)
    else:
        start = parse_when(from_) if from_ else preset("today")[0]
        end = parse_when(to, end_of_day=True) if to else preset("today")[1]
    return utc_iso(start), utc_iso(end)


class Group(click.Group):
    """Turns ClientError into a clear message on stderr and its exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ClientError as exc:
            click.echo(f"lifelogger: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=Group)
@click.version_option(package_name="lifelogger")
def main() -> None:
    """Life Logger from the terminal: start, stop, log, stats, export, import."""


@main.command()
@click.option("--url", envvar="LIFELOGGER_URL", required=True, help="The server, e.g. https://logger.example.com")
@click.option("--username", prompt=True)
@click.option("--password", prompt=True, hide_input=True)
@click.option("--read-only", is_flag=True, help="Store a read-scoped token (cannot change data).")
def login(url: str, username: str, password: str, read_only: bool) -> None:
    """Log in once and store a personal access token (0600) for later commands."""
    anonymous = Api(url)
    session = anonymous.post("/auth/login", body={"username": username, "password": password})
    with_session = Api(url, session["token"])
    scope = "read" if read_only else "write"
    name = f"lifelogger CLI on {socket.gethostname()}"[:64]
    created = with_session.post("/tokens", body={"name": name, "scope": scope, "password": password})
    with_session.post("/auth/logout")
    path = credentials.save(url, created["token"], created["id"])
    click.echo(f"Logged in to {url} as {username} ({scope} token saved to {path}).")


@main.command()
def logout() -> None:
    """Forget the stored token (revoke it in the app's 'Query your data' page)."""
    if credentials.forget():
        click.echo("Forgot the stored token. Revoke it in the app if it may have leaked.")
    else:
        click.echo("No stored token.")


@main.command()
@click.argument("label")
@click.option("--json", "as_json", is_flag=True, help="Print the event as JSON.")
def start(label: str, as_json: bool) -> None:
    """Start LABEL now (stopping what is running)."""
    event = _api().post("/events/start", body={"label": label})
    _emit_json(event) if as_json else click.echo(f"Started {event['label']} at {local_text(event['started_at'])}.")


@main.command()
@click.option("--json", "as_json", is_flag=True)
def stop(as_json: bool) -> None:
    """Stop the running event."""
    event = _api().post("/events/stop")
    _emit_json(event) if as_json else click.echo(f"Stopped {event['label']} at {local_text(event['ended_at'])}.")


@main.command()
@click.option("--json", "as_json", is_flag=True)
def status(as_json: bool) -> None:
    """What is running, and for how long."""
    event = _api().get("/events/current")["event"]
    if as_json:
        return _emit_json({"event": event})
    if event is None:
        click.echo("Nothing is running.")
        return
    started = datetime.fromisoformat(event["started_at"])
    elapsed = (local_now() - started).total_seconds() / 60
    click.echo(f"{event['label']} since {local_text(event['started_at'])} ({hours_minutes(elapsed)}).")


@main.command()
@click.option("--json", "as_json", is_flag=True)
def labels(as_json: bool) -> None:
    """Your label set."""
    names = _api().get("/labels")["labels"]
    _emit_json({"labels": names}) if as_json else click.echo("\n".join(names) or "No labels yet.")


@main.command()
@click.option("--from", "from_", metavar="DATE", help="YYYY-MM-DD (local) or an ISO instant; default today.")
@click.option("--to", metavar="DATE", help="YYYY-MM-DD (inclusive, local) or an ISO instant.")
@click.option("--json", "as_json", is_flag=True)
def log(from_: str | None, to: str | None, as_json: bool) -> None:
    """Events in a range, in local time."""
    start_, end = _range(from_, to, None)
    events = _api().get("/events", query={"start": start_, "end": end})["events"]
    if as_json:
        return _emit_json({"events": events})
    if not events:
        click.echo("No events in this range.")
    for event in events:
        click.echo(f"{event['id']:>7}  {local_text(event['started_at'])}  {local_text(event['ended_at']):<16}  {event['label']}")


@main.command()
@click.option("--today", "preset_name", flag_value="today", help="Today (the default).")
@click.option("--week", "preset_name", flag_value="week", help="This week, from Monday.")
@click.option("--month", "preset_name", flag_value="month", help="This month.")
@click.option("--from", "from_", metavar="DATE")
@click.option("--to", metavar="DATE")
@click.option("--json", "as_json", is_flag=True)
def stats(preset_name: str | None, from_: str | None, to: str | None, as_json: bool) -> None:
    """Where the time went: minutes and shares per label, with bars."""
    start_, end = _range(from_, to, preset_name if not (from_ or to) else None)
    result = _api().get("/stats", query={"start": start_, "end": end})
    if as_json:
        return _emit_json(result)
    if not result["minutes"]:
        click.echo("No time logged in this range.")
        return
    width = max(len(name) for name in result["minutes"])
    for name, minutes in result["minutes"].items():
        share = result["percentages"][name]
        bar = "█" * max(1, round(share / 100 * BAR_WIDTH))
        click.echo(f"{name:<{width}}  {hours_minutes(minutes):>7}  {share:6.2f}%  {bar}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--from", "from_", metavar="DATE")
@click.option("--to", metavar="DATE")
def export(fmt: str, from_: str | None, to: str | None) -> None:
    """Write all your data (or a range) to standard output."""
    query = {"format": fmt}
    if from_ or to:
        query["start"], query["end"] = _range(from_, to, None)
    text = _api().get("/export", query=query, accept_text=True)
    sys.stdout.write(text if isinstance(text, str) else json.dumps(text, ensure_ascii=False))


@main.command(name="import")
@click.argument("file", type=click.File("rb"))
# The server names the formats it reads in its 422 (and in its OpenAPI document):
# the client does not keep a copy of the list.
@click.option("--format", "fmt", required=True, help="One of the server's import formats, e.g. toggl-csv (see the README).")
@click.option("--timezone", "tz", help="IANA zone of local times in the file (Toggl, Clockify), e.g. Europe/Berlin.")
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.option("--json", "as_json", is_flag=True)
def import_(file, fmt: str, tz: str | None, dry_run: bool, as_json: bool) -> None:
    """Import events from another tracker's export (all or nothing)."""
    query = {"format": fmt, "timezone": tz, "dry_run": "true" if dry_run else None}
    try:
        report = _api().post("/import", query=query, raw=file.read(), content_type="text/csv" if fmt.endswith("csv") else "application/json")
    except ClientError as exc:
        if as_json and exc.body:
            _emit_json(exc.body)
        for error in exc.body.get("errors", []) if isinstance(exc.body.get("errors"), list) else []:
            click.echo(f"  row {error['row']}: {error['message']}", err=True)
        raise
    if as_json:
        return _emit_json(report)
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {report['imported']} events; {report['skipped_duplicates']} duplicates skipped.")
    for error in report["errors"]:
        click.echo(f"  row {error['row']}: {error['message']}", err=True)
    if report["errors"]:
        sys.exit(1)
