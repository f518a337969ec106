"""Whole-database backups while the server runs, and restores into an empty database.

SQLite: the sqlite3 online backup API, copying every page in one step inside
one read transaction, so the copy is one consistent snapshot even while
workers keep writing (WAL lets them). PostgreSQL: ``pg_dump`` (custom format),
which reads one snapshot too, and ``pg_restore``. The backends differ here
because the tools do; everything else is the same.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def backup(engine: Engine, path: Path) -> None:
    """Write a consistent copy of the whole database to ``path`` (which must not exist)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name (backups are never overwritten).")
    if not path.parent.is_dir():
        raise BackupError(f"The directory {path.parent} does not exist.")
    partial = path.with_name(f".{path.name}.partial")
    try:
        if engine.dialect.name == "sqlite":
            _backup_sqlite(engine, partial)
        elif engine.dialect.name == "postgresql":
            _run_pg_tool("pg_dump", engine.url, ["--format=custom", f"--file={partial}"], target=path)
        else:
            raise BackupError(f"No backup method for {engine.dialect.name}.")
        _fsync(partial)
        os.replace(partial, path)
        _fsync(path.parent)
    finally:
        partial.unlink(missing_ok=True)


def restore(engine: Engine, path: Path) -> str | None:
    """Load a backup made by :func:`backup` into the (empty) database; return its migration revision."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    tables = inspect(engine).get_table_names()
    if tables:
        raise BackupError(
            f"The database {engine.url.render_as_string(hide_password=True)} is not empty "
            f"(it has the tables {', '.join(sorted(tables))}). Restore only into an empty database: "
            "point LIFELOGGER_DATABASE_URL at a new SQLite file or a newly created PostgreSQL database."
        )
    if engine.dialect.name == "sqlite":
        _restore_sqlite(engine, path)
    elif engine.dialect.name == "postgresql":
        _run_pg_tool(
            "pg_restore",
            engine.url,
            ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", str(path)],
            target=path,
        )
    else:
        raise BackupError(f"No restore method for {engine.dialect.name}.")
    engine.dispose()  # pooled connections predate the restored schema
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _backup_sqlite(engine: Engine, target: Path) -> None:
    pooled = engine.raw_connection()
    try:
        copy = sqlite3.connect(target)
        try:
            # pages=-1 (the default): all pages in one step, under one read lock.
            pooled.driver_connection.backup(copy)
            # One self-contained file: no -wal beside it when it is copied away.
            copy.execute("PRAGMA journal_mode=DELETE")
            _check_sqlite_integrity(copy, target)
        finally:
            copy.close()
    finally:
        pooled.close()


def _restore_sqlite(engine: Engine, source_path: Path) -> None:
    try:
        source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"Cannot open {source_path}: {error}") from None
    try:
        _check_sqlite_integrity(source, source_path)
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            raise BackupError(f"{source_path} is an SQLite database but not a Life Logger backup.")
        pooled = engine.raw_connection()
        try:
            source.backup(pooled.driver_connection)
        finally:
            pooled.close()
    finally:
        source.close()


def _check_sqlite_integrity(conn: sqlite3.Connection, path: Path) -> None:
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a usable SQLite database: {error}") from None
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}")


def libpq_url(url: URL) -> tuple[str, dict]:
    """The libpq connection URI for a SQLAlchemy URL, and the environment carrying its password."""
    env = {"PGPASSWORD": url.password} if url.password else {}
    # URL.set(password=None) would keep the password: replace the field itself.
    plain = url._replace(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run_pg_tool(tool: str, url: URL, arguments: list[str], target: Path) -> None:
    """Run pg_dump or pg_restore against the database; a BackupError saying how to do it by hand if it fails."""
    uri, password_env = libpq_url(url)
    executable = shutil.which(tool)
    by_hand = f"{tool} --dbname='{uri}' {' '.join(a for a in arguments if not a.startswith('--file='))}"
    if tool == "pg_dump":
        by_hand += f" --file={target}"
    if executable is None:
        raise BackupError(
            f"{tool} is not installed. Install PostgreSQL's client tools (apt install postgresql-client, "
            f"the same major version as the server or newer), or run: {by_hand}"
        )
    result = subprocess.run(
        [executable, f"--dbname={uri}", *arguments],
        env={**os.environ, **password_env},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed ({result.returncode}): {result.stderr.strip()}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
