"""Command-line administration: ``flask --app wsgi users ...``."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from marshmallow import ValidationError
from sqlalchemy import func, select

from lifelogger.extensions import db
from lifelogger.models import Event, User

users = AppGroup("users", help="Manage accounts (works even when registration is closed).")


@users.command("create")
@click.argument("username")
@click.option("--display-name", default=None, help="Shown in the app; defaults to the username.")
@click.password_option(help="Prompted for (twice) when not given.")
def create_user_command(username: str, display_name: str | None, password: str) -> None:
    """Create an account with a password prompted for."""
    from lifelogger.blueprints.auth.schemas import RegisterSchema
    from lifelogger.blueprints.auth.service import create_user

    try:
        account = RegisterSchema().load({"username": username, "password": password, "display_name": display_name or username})
    except ValidationError as exc:
        for field, messages in exc.messages.items():
            click.echo(f"{field}: {' '.join(messages)}", err=True)
        raise SystemExit(1) from None
    if db.session.scalar(select(User).where(User.username == account["username"].lower())):
        raise click.ClickException(f"the username '{account['username'].lower()}' is taken")
    user = create_user(**account)
    click.echo(f"Created user '{user.username}' (id {user.id}).")


@users.command("list")
def list_users_command() -> None:
    """List accounts with their number of events."""
    rows = db.session.execute(
        select(User.id, User.username, User.display_name, func.count(Event.id))
        .outerjoin(Event, Event.user_id == User.id)
        .group_by(User.id)
        .order_by(User.username)
    )
    for user_id, username, display_name, events in rows:
        click.echo(f"{user_id:>5}  {username:<32}  {display_name}  ({events} events)")


def init_app(app: Flask) -> None:
    """Register the CLI command groups."""
    app.cli.add_command(users)
