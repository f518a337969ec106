"""Databases of the suite's kind: emptying the suite's one, making scratch ones.

Backups, imports and migrations need a second database: an SQLite file, or,
when the suite runs on PostgreSQL, a database on the same server.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import MetaData, create_engine, make_url, text


def reset_schema(url: str) -> None:
    """Drop every table (including Alembic's) so the migrations start from nothing."""
    engine = create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            existing = MetaData()
            existing.reflect(bind=conn)
            existing.drop_all(bind=conn)
    engine.dispose()


@contextmanager
def scratch_database(database_url: str, tmp_path, name: str, postgresql_options: str = "") -> Iterator[str]:
    """A new, empty database of the suite's kind: an SQLite file, or a PostgreSQL
    database named after the suite's (``<suite database>_<name>``, created with
    ``postgresql_options``), dropped afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    scratch = f"{url.database}_{name}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{scratch}" {postgresql_options}'))
    try:
        yield url.set(database=scratch).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def write_lock_held(url: str, *row_locks: str) -> Iterator[None]:
    """Another connection holds the lock a write needs until the block ends.

    SQLite: its database-wide write lock (BEGIN IMMEDIATE). PostgreSQL: the rows
    each ``row_locks`` statement (a ``SELECT ... FOR UPDATE``) locks, so a write
    to them waits on the lock.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        other = sqlite3.connect(parsed.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as other:
            for statement in row_locks:
                other.execute(text(statement))
            yield
            other.rollback()
    finally:
        engine.dispose()
