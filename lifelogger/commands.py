"""Command-line administration: ``flask --app wsgi users|sessions|backup|restore|export|import ...``."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from marshmallow import ValidationError
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from lifelogger.blueprints.auth.schemas import RegisterSchema
from lifelogger.blueprints.auth.service import create_user, taken, user_named
from lifelogger.blueprints.profile.schemas import ProfileUpdateSchema
from lifelogger.blueprints.profile.service import update_profile
from lifelogger.blueprints.transfer.accounts import export_user, import_user
from lifelogger.db import backup, db
from lifelogger.db.models import Event, User, normalize_username
from lifelogger.db.types import bytewise
from lifelogger.security.sessions import purge_expired_sessions

users = AppGroup("users", help="Manage accounts (works even when registration is closed).")


@users.command("create")
@click.argument("username")
@click.option("--display-name", default=None, help="Shown in the app; defaults to the username.")
@click.option("--timezone", default=None, metavar="AREA/CITY", help="IANA time zone the user's days are cut in, e.g. Europe/Berlin; default UTC.")
@click.option("--day-starts-at", default=None, metavar="HH:MM", help="Local time the user's day starts, e.g. 04:00; default 00:00.")
@click.password_option(help="Prompted for (twice) when not given.")
def create_user_command(
    username: str, display_name: str | None, timezone: str | None, day_starts_at: str | None, password: str
) -> None:
    """Create an account (with its time zone and day start) and a password prompted for."""
    # The API's own schemas check every value, so an account made here obeys
    # the same rules as one made by signing up and editing Account → Your days.
    given = {"username": username, "password": password, "display_name": display_name or username}
    if timezone is not None:
        given["timezone"] = timezone
    days = {"day_starts_at": day_starts_at} if day_starts_at is not None else {}
    try:
        account = RegisterSchema().load(given)
        profile = ProfileUpdateSchema().load(days)
    except ValidationError as exc:
        for field, messages in exc.messages.items():
            click.echo(f"{field.replace('_', '-')}: {' '.join(messages)}", err=True)
        raise SystemExit(2) from None
    if user_named(account["username"]) is not None:
        raise click.ClickException(taken(account["username"]))
    user = create_user(**account)
    if profile:
        update_profile(user, **profile)
    starts = f"{user.day_starts_at // 60:02d}:{user.day_starts_at % 60:02d}"
    click.echo(f"Created user '{user.username}' (id {user.id}; time zone {user.timezone}, days start at {starts}).")


@users.command("list")
def list_users_command() -> None:
    """List accounts with their number of events."""
    rows = db.session.execute(
        select(User.id, User.username, User.display_name, func.count(Event.id))
        .outerjoin(Event, Event.user_id == User.id)
        .group_by(User.id)
        .order_by(bytewise(User.username))
    )
    for user_id, username, display_name, events in rows:
        click.echo(f"{user_id:>5}  {username:<32}  {display_name}  ({events} events)")


# --- Backups and moving a user's data between instances ---------------------


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the whole database to PATH, while the server runs.

    SQLite: a complete database file (SQLite's online backup API). PostgreSQL:
    a pg_dump archive (custom format; needs PostgreSQL's client tools).
    """
    try:
        backup.backup(db.engine, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {path} ({path.stat().st_size} bytes).", err=True)


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(path: Path) -> None:
    """Load a backup made by `flask backup` into this (empty) database."""
    try:
        revision = backup.restore(db.engine, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Restored {path} (schema revision {revision}). Run `flask --app wsgi db upgrade` "
        "before starting the server if this version of Life Logger is newer than the backup.",
        err=True,
    )


@click.command("export")
@click.option("--user", "username", required=True, help="The account to export.")
@with_appcontext
def export_command(username: str) -> None:
    """Print one user's profile, labels and events as JSON (see lifelogger/blueprints/transfer/accounts.py)."""
    user = user_named(username)
    if user is None:
        raise click.ClickException(f"There is no user '{normalize_username(username)}'.")
    click.echo(json.dumps(export_user(user), ensure_ascii=False, indent=1))


@click.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--user", "username", default=None, help="Create the account under this name instead of the exported one.")
@with_appcontext
def import_command(file, username: str | None) -> None:
    """Create a user, with labels and events, from a `flask export` file (- for stdin)."""
    try:
        data = json.load(file)
    except ValueError as error:
        raise click.ClickException(f"{file.name} is not JSON: {error}") from None
    try:
        user = import_user(data, username=username)
    except HTTPException as error:
        details = getattr(error, "data", {})
        for problem in details.get("errors") if isinstance(details.get("errors"), list) else []:
            click.echo(f"event {problem['row']}: {problem['message']}", err=True)
        raise click.ClickException(details.get("message") or error.description) from None
    click.echo(f"Imported user '{user.username}' (id {user.id}).", err=True)


sessions = AppGroup("sessions", help="Manage log-in sessions.")


@sessions.command("purge")
def purge_sessions_command() -> None:
    """Delete expired sessions (idle too long or past the maximum age)."""
    removed = purge_expired_sessions()
    db.session.commit()
    click.echo(f"Removed {removed} expired session{'' if removed == 1 else 's'}.")


def init_app(app: Flask) -> None:
    """Register the CLI commands."""
    app.cli.add_command(users)
    for command in (backup_command, restore_command, export_command, import_command):
        app.cli.add_command(command)
    app.cli.add_command(sessions)
