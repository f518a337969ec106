"""The ``lifelogger`` command: run your day from the terminal.

Exit codes: 0 success, 1 the server refused the request, 2 bad usage,
3 not logged in or token invalid, 4 server unreachable, 5 server error.
"""
from __future__ import annotations

import json
import socket
import sys
import urllib.parse
from datetime import datetime, timedelta

import click

from lifelogger.client import credentials
from lifelogger.client.api import EXIT_AUTH, EXIT_USAGE, Api, ClientError
from lifelogger.client.arguments import SERVER_URL, WHEN, server_url
from lifelogger.client.timerange import hours_minutes, local_now, local_text, preset, utc_iso

BAR_WIDTH = 40


def _api() -> Api:
    stored = credentials.load()
    if not stored.get("url") or not stored.get("token"):
        raise ClientError(
            "Not logged in. Run 'lifelogger login --url https://your-server' "
            "(or set LIFELOGGER_URL and LIFELOGGER_TOKEN).",
            EXIT_AUTH,
        )
    try:
        url = server_url(stored["url"])
    except ValueError as exc:
        raise ClientError(f"{exc} (from LIFELOGGER_URL or the stored login)", EXIT_USAGE) from None
    return Api(url, stored["token"])


def _emit_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _range(from_, to, preset_name: str | None) -> tuple[str, str]:
    """The UTC instants of a range given as --from/--to (``WHEN`` values) or a preset."""
    if preset_name:
        start, end = preset(preset_name)
    else:
        start = from_[0] if from_ else preset("today")[0]
        if to is None:
            end = preset("today")[1]
        else:
            end, is_day = to
            if is_day:  # --to 2026-03-31 includes that whole day
                end = end + timedelta(days=1)
        if end <= start:
            raise click.UsageError(f"--to ({utc_iso(end)}) must be after --from ({utc_iso(start)}).")
    return utc_iso(start), utc_iso(end)


class Group(click.Group):
    """Errors as one line on stderr with their exit code: usage 2, the server's the documented ones.

    click's own usage errors print the usage and a hint over three lines; a
    script's log wants one line, and a person gets ``--help`` for the rest.
    """

    def main(self, args=None, prog_name=None, **kwargs):
        kwargs.pop("standalone_mode", None)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            click.echo(f"lifelogger: {exc.format_message()}{hint}", err=True)
            sys.exit(EXIT_USAGE)
        except click.ClickException as exc:
            click.echo(f"lifelogger: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

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
@click.option(
    "--url", envvar="LIFELOGGER_URL", required=True, type=SERVER_URL,
    help="The server, e.g. https://logger.example.com (the app's Base URL, with /api/v1, works too).",
)
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
    try:
        event = _api().post("/events/start", body={"label": label})
    except ClientError as exc:
        if exc.status == 422 and "label" in exc.body.get("errors", {}).get("json", {}):
            raise ClientError(
                f"'{label}' is not one of your labels. Add it with: lifelogger labels add '{label}'", exc.exit_code, exc.status
            ) from None
        raise
    _emit_json(event) if as_json else click.echo(f"Started {event['label']} at {local_text(event['started_at'])}.")


@main.command()
@click.option("--json", "as_json", is_flag=True)
def stop(as_json: bool) -> None:
    """Stop the running event."""
    try:
        event = _api().post("/events/stop")
    except ClientError as exc:
        if exc.status == 409:
            raise ClientError("Nothing is running. Start something with: lifelogger start LABEL", exc.exit_code, exc.status) from None
        raise
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


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def labels(ctx, as_json: bool) -> None:
    """Your label set: list it (the default), add, rename or delete labels."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_labels, as_json=as_json)


@labels.command(name="list")
@click.option("--json", "as_json", is_flag=True)
def list_labels(as_json: bool) -> None:
    """List your labels."""
    names = _api().get("/labels")["labels"]
    _emit_json({"labels": names}) if as_json else click.echo("\n".join(names) or "No labels yet.")


@labels.command(name="add")
@click.argument("name")
def add_label(name: str) -> None:
    """Add the label NAME."""
    label = _api().post("/labels", body={"name": name})
    click.echo(f"Added the label {label['name']}.")


@labels.command(name="rename")
@click.argument("old")
@click.argument("new")
def rename_label(old: str, new: str) -> None:
    """Rename the label OLD to NEW (its events follow)."""
    label = _api().request("PATCH", _label_path(old), body={"name": new})
    click.echo(f"Renamed {old} to {label['name']}.")


@labels.command(name="delete")
@click.argument("name")
def delete_label(name: str) -> None:
    """Delete the label NAME (only when no event uses it)."""
    _api().request("DELETE", _label_path(name))
    click.echo(f"Deleted the label {name}.")


def _label_path(name: str) -> str:
    # A name may contain '/' or '?': the whole name is one path segment.
    return "/labels/" + urllib.parse.quote(name, safe="")


@main.command()
@click.option("--from", "from_", type=WHEN, help="YYYY-MM-DD, today, yesterday (local) or an ISO instant; default today.")
@click.option("--to", type=WHEN, help="YYYY-MM-DD (inclusive, local), today, yesterday or an ISO instant.")
@click.option("--json", "as_json", is_flag=True)
def log(from_, to, as_json: bool) -> None:
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
@click.option("--from", "from_", type=WHEN, help="YYYY-MM-DD, today, yesterday (local) or an ISO instant.")
@click.option("--to", type=WHEN, help="YYYY-MM-DD (inclusive, local), today, yesterday or an ISO instant.")
@click.option("--json", "as_json", is_flag=True)
def stats(preset_name: str | None, from_, to, as_json: bool) -> None:
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
@click.option("--from", "from_", type=WHEN, help="YYYY-MM-DD, today, yesterday (local) or an ISO instant.")
@click.option("--to", type=WHEN, help="YYYY-MM-DD (inclusive, local), today, yesterday or an ISO instant.")
def export(fmt: str, from_, to) -> None:
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
@click.option("--format", "fmt", help="One of the server's import formats, e.g. toggl-csv (see the README); detected when left out.")
@click.option("--timezone", "tz", help="IANA zone of local times in the file (Toggl, Clockify, TimeTagger Local), e.g. Europe/Berlin.")
@click.option("--date-format", type=click.Choice(["DMY", "MDY", "YMD"], case_sensitive=False), help="Order of numeric dates like 03/04/2024.")
@click.option("--overlaps", type=click.Choice(["refuse", "trim"]), help="Rows overlapping earlier ones: refuse the file (default) or trim them.")
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.option("--json", "as_json", is_flag=True)
def import_(file, fmt: str | None, tz: str | None, date_format: str | None, overlaps: str | None, dry_run: bool, as_json: bool) -> None:
    """Import events from another tracker's export (all or nothing)."""
    query = {
        "format": fmt,
        "timezone": tz,
        "date_format": date_format.upper() if date_format else None,
        "overlaps": overlaps,
        "dry_run": "true" if dry_run else None,
    }
    data = file.read()
    content_type = "application/json" if (fmt or "").endswith("json") or data.lstrip()[:1] in (b"{", b"[") else "text/csv"
    try:
        report = _api().post("/import", query=query, raw=data, content_type=content_type)
    except ClientError as exc:
        if as_json and exc.body:
            _emit_json(exc.body)
        _echo_row_errors(exc.body)
        if (hint := _trim_hint(exc.body)) is not None:
            click.echo(hint, err=True)
        raise
    if as_json:
        return _emit_json(report)
    click.echo(_import_summary(report, dry_run))
    _echo_row_errors(report)
    if report["errors"]:
        sys.exit(1)


def _import_summary(report: dict, dry_run: bool) -> str:
    """One line of what the import did (or would do), then what the policies changed."""
    parts = [f"{'Would import' if dry_run else 'Imported'} {report['imported']} events", f"{report['skipped_duplicates']} duplicates skipped"]
    if report.get("skipped_empty"):
        parts.append(f"{report['skipped_empty']} zero-length rows skipped")
    if report.get("trimmed_total"):
        lost = [row["seconds"] for row in report.get("trimmed", [])]
        parts.append(f"{report['trimmed_total']} rows trimmed" + (f" ({min(lost)}–{max(lost)} s)" if lost else ""))
    if report.get("running_started"):
        parts.append(f"row {report['running_started']} is now running")
    for skipped in report.get("skipped_running") or []:
        parts.append(f"row {skipped['row']} skipped: {skipped['message']}")
    line = "; ".join(parts) + "."
    hint = _trim_hint(report)
    return line if hint is None else f"{line}\n{hint}"


def _trim_hint(report: dict) -> str | None:
    """What --overlaps trim would do, when the file was checked under refuse and trimming would help."""
    preview = report.get("trim_preview") if isinstance(report, dict) else None
    if report.get("overlaps") != "refuse" or not isinstance(preview, dict) or not preview.get("rows"):
        return None
    return f"{preview['rows']} rows overlap earlier ones by {preview['min_seconds']}–{preview['max_seconds']} s: --overlaps trim would shorten them."


def _echo_row_errors(body: dict) -> None:
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return
    for error in errors:
        click.echo(f"  row {error.get('row')}: {error.get('message')}", err=True)
    total = body.get("errors_total")
    if isinstance(total, int) and total > len(errors):
        click.echo(f"  ... and {total - len(errors)} more.", err=True)
