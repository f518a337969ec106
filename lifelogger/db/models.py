"""The database: users, their sessions, labels and events.

Instants are stored as whole seconds since the Unix epoch (BIGINT) through the
``EpochSeconds`` type: Python sees aware UTC datetimes, SQL sees integers, so
durations and clipping are integer arithmetic that reads the same on SQLite
and PostgreSQL.
"""
from __future__ import annotations

import unicodedata

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from lifelogger.core import timeutil
from lifelogger.db import clock, db
from lifelogger.db.types import EpochSeconds, bytewise


class LogBeingImported(Exception):
    """The user's log is being written by an import (it holds the user's import lease): try again shortly."""


class ImportLeaseLost(Exception):
    """An import's lease ran out and was broken by another write: its plan may no longer hold."""


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-case ASCII; unique (the schema refuses anything else).
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(EpochSeconds, default=lambda: timeutil.now())
    # Where the user's days are cut: an IANA zone, and the local time a day starts
    # (minutes after midnight; 240 = 04:00 for night owls).
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    day_starts_at: Mapped[int] = mapped_column(default=0, server_default="0")
    # A running event longer than this is flagged as a possibly forgotten timer.
    forgotten_after_minutes: Mapped[int] = mapped_column(default=720, server_default="720")
    # An import writing into this log in steps (transfer/service.py): its random
    # token and when its lease runs out, by the database's clock. NULL: none.
    import_lease: Mapped[str | None] = mapped_column(String(32), nullable=True)
    import_lease_until: Mapped[datetime | None] = mapped_column(EpochSeconds, nullable=True)

    def lock(self, *, import_lease: str | None = None) -> None:
        """Serialise this user's writes until the transaction ends.

        Every write that checks a rule first (one running event, no overlaps,
        the label cap, a label's name) takes this lock, so two requests of one
        user cannot both pass the check and both write. PostgreSQL:
        ``SELECT ... FOR UPDATE`` on the user's row. SQLite has no row locks:
        there the request's ``BEGIN IMMEDIATE`` (``lifelogger.db``) already
        holds the database's one write lock, so the row is only read.

        While an import holds the user's lease (it writes in several
        transactions), every other write raises ``LogBeingImported``: the
        import's checks were made against the log as it was. The import itself
        passes its token, and gets ``ImportLeaseLost`` if the lease is no
        longer its own. A lease past its time is an import whose server died
        mid-way: the first write after it breaks the lease (the rows written
        so far stay; importing the same file again adds the rest).
        """
        query = select(User.import_lease, User.import_lease_until).where(User.id == self.id)
        if db.session.get_bind().dialect.name != "sqlite":
            query = query.with_for_update()
        held, until = db.session.execute(query).one_or_none() or (None, None)
        if import_lease is not None:
            if held != import_lease:
                raise ImportLeaseLost()
            return
        if held is None:
            return
        if until is not None and until > clock.database_now():
            raise LogBeingImported()
        self.release_import_lease()

    def set_import_lease(self, token: str, until: datetime) -> None:
        """Take or renew (same token, later time) the import lease, inside ``lock()``'s transaction."""
        self._write_import_lease(update(User).where(User.id == self.id), token, until)

    def release_import_lease(self, token: str | None = None) -> None:
        """Release the import lease; with ``token``, only while that import still holds it."""
        statement = update(User).where(User.id == self.id)
        self._write_import_lease(statement if token is None else statement.where(User.import_lease == token), None, None)

    @staticmethod
    def _write_import_lease(statement, token: str | None, until: datetime | None) -> None:
        # Core UPDATE: the session's loaded User is not refreshed (nothing reads its lease but lock()).
        db.session.execute(statement.values(import_lease=token, import_lease_until=until), execution_options={"synchronize_session": False})


class Session(db.Model):
    """A login: the SHA-256 of its bearer token, never the token itself."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(EpochSeconds, default=lambda: timeutil.now())
    last_seen_at: Mapped[datetime] = mapped_column(EpochSeconds, default=lambda: timeutil.now())
    # The signed-in device this session was opened for (log-in with "keep me signed
    # in", or a refresh); NULL for a plain log-in. SET NULL: ending every device
    # (a password change) leaves the session that asked for it open.
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), nullable=True, index=True)

    user: Mapped[User] = relationship(lazy="joined")


class Device(db.Model):
    """A browser that stays signed in: the SHA-256 of its current device credential.

    The credential is ``<family>.<secret>``; the family names the device for
    its whole life, the secret changes on every refresh. A secret that does
    not match its family's current one is an old credential replayed (a
    copy was stolen): the device ends (``lifelogger.security.devices``).
    """

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))  # from the User-Agent at sign-in
    created_at: Mapped[datetime] = mapped_column(EpochSeconds, default=lambda: timeutil.now())
    last_used_at: Mapped[datetime] = mapped_column(EpochSeconds, default=lambda: timeutil.now())

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(db.Model):
    """A personal access token for scripts: long-lived, scoped, revocable.

    Like sessions, only the SHA-256 of the secret is stored.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(8))  # "read", "write" or "calendar" (its feed URL only)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(EpochSeconds, default=lambda: timeutil.now())
    last_used_at: Mapped[datetime | None] = mapped_column(EpochSeconds, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(EpochSeconds, nullable=True)

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (CheckConstraint("scope IN ('read', 'write', 'calendar')", name="scope_known"),)


class Label(db.Model):
    __tablename__ = "labels"
    __table_args__ = (
        # Unique per user regardless of case: "Reading" and "reading" clash.
        Index("uq_labels_user_id_name_key", "user_id", "name_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    # casefold() of name: the key for uniqueness and for case-insensitive sorting.
    name_key: Mapped[str] = mapped_column(String(64))

    @validates("name")
    def _set_name_key(self, _key, name: str) -> str:
        name = normalize_label_name(name)
        self.name_key = label_key(name)
        return name

    @classmethod
    def in_order(cls) -> tuple:
        """How label lists are sorted everywhere: case-insensitively, then by code point (ties of case)."""
        return bytewise(cls.name_key), bytewise(cls.name)


def normalize_username(username: str) -> str:
    """How a username is stored and looked up: lower case (usernames are ASCII, see the schema)."""
    return username.lower()


def normalize_label_name(name: str) -> str:
    """How a label name is stored: NFC, so "Café" typed precomposed or as e + U+0301 is one name."""
    return unicodedata.normalize("NFC", name)


def label_key(name: str) -> str:
    """The identity of a label name: case-insensitive and canonical (Unicode canonical caseless matching)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())


def note_key(note: str | None) -> str | None:
    """What a note is searched by: its casefold(), so search ignores case in any script."""
    return note.casefold() if note else None


class Event(db.Model):
    """A label from ``started_at`` to ``ended_at``; ``ended_at`` is NULL while running."""

    __tablename__ = "events"
    __table_args__ = (
        # Range queries (/events, /stats) seek on (user, start).
        Index("ix_events_user_id_started_at", "user_id", "started_at"),
        # At most one running event per user, enforced by the database itself.
        Index(
            "uq_events_one_running_per_user",
            "user_id",
            unique=True,
            sqlite_where=db.text("ended_at IS NULL"),
            postgresql_where=db.text("ended_at IS NULL"),
        ),
        # Counting a label's events (DELETE /labels) and renames.
        Index("ix_events_label_id", "label_id"),
        CheckConstraint("ended_at IS NULL OR ended_at > started_at", name="ends_after_start"),
        # Never reuse a deleted event's id: a client holding it must get 404,
        # not someone else's later event.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="RESTRICT"))
    started_at: Mapped[datetime] = mapped_column(EpochSeconds)
    ended_at: Mapped[datetime | None] = mapped_column(EpochSeconds, nullable=True)
    note: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    # casefold() of note, for case-insensitive search that works alike on every backend.
    note_key: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    # The id this event had where it was first recorded (kept through export/import).
    source_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    label_ref: Mapped[Label] = relationship(lazy="joined")

    @validates("note")
    def _set_note_key(self, _key, note: str | None) -> str | None:
        self.note_key = note_key(note)
        return note or None

    @property
    def label(self) -> str:
        """The label's name, as the API shows it."""
        return self.label_ref.name

    @property
    def original_id(self) -> int:
        """``source_id`` for imported events, else the event's own id."""
        return self.source_id if self.source_id is not None else self.id

    @property
    def is_running(self) -> bool:
        return self.ended_at is None


class Goal(db.Model):
    """A target for one label: at least or at most so many minutes per day or week."""

    __tablename__ = "goals"
    __table_args__ = (
        CheckConstraint("kind IN ('at_least', 'at_most')", name="kind_known"),
        CheckConstraint("period IN ('day', 'week')", name="period_known"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # One goal per label; the goal goes when its label goes, and follows a rename.
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    minutes: Mapped[int]
    period: Mapped[str] = mapped_column(String(4))

    label_ref: Mapped[Label] = relationship(lazy="joined", passive_deletes=True)

    @property
    def label(self) -> str:
        return self.label_ref.name


class IdempotencyKey(db.Model):
    """The answer to a write sent with an ``Idempotency-Key``, replayed if it is sent again.

    The offline app queues taps and may send one twice (a lost answer, a
    reload); the key makes the second send return the first answer instead
    of acting again.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("uq_idempotency_keys_user_id_key", "user_id", "key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    request: Mapped[str] = mapped_column(String(200))  # "POST /api/v1/events/start"
    status_code: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(EpochSeconds, default=lambda: timeutil.now())
