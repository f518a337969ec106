"""label names in NFC, and name_key by canonical caseless matching (issue 15)

Labels are now one per canonical name: "Café" typed precomposed or as e + U+0301
is one label. Rows written before keep their name as typed and a key that tells
the two apart, so this rewrites each name to NFC and its key by the new rule.

Two labels of one user that become the same name (both spellings existed as
separate labels) are not merged: events, goals and history stay where they
are. The later one (higher id) is renamed "Café (2)" so the person can see both
and merge them by hand. Names with invisible or bidirectional-control characters
are left as they are: refusing them is a rule for new names; rewriting what
someone already has would change names behind their back.

Revision ID: 0006_label_names_nfc
Revises: 0005_devices
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = "0006_label_names_nfc"
down_revision = "0005_devices"
branch_labels = None
depends_on = None

NAME_LENGTH = 64
labels = sa.table("labels", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer), sa.column("name", sa.String), sa.column("name_key", sa.String))


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _key(name: str) -> str:
    # A copy of lifelogger.db.models.label_key as of this revision: a migration must not change when the app does.
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())


def _free_name(base: str, taken: set[str]) -> str:
    """``base`` with " (2)", " (3)"... appended (the base shortened to fit), whose key is not taken."""
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = base[: NAME_LENGTH - len(suffix)].rstrip() + suffix
        if _key(candidate) not in taken:
            return candidate
        number += 1


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.select(labels.c.id, labels.c.user_id, labels.c.name, labels.c.name_key).order_by(labels.c.id)).all()
    taken: dict[int, set[str]] = {}
    changes = []
    for row in rows:
        keys = taken.setdefault(row.user_id, set())
        name = _nfc(row.name)
        if len(name) > NAME_LENGTH:  # NFC lengthened it past the column: keep it as it was
            name = row.name
        if _key(name) in keys:
            name = _free_name(name, keys)
        keys.add(_key(name))
        if (name, _key(name)) != (row.name, row.name_key):
            changes.append((row.id, name, _key(name)))
    # Two steps, so no row's new key meets another row's old one on the unique index. The
    # interim key starts with U+0001, which no name may contain (and PostgreSQL text cannot hold NUL).
    for label_id, _name, _key_value in changes:
        conn.execute(labels.update().where(labels.c.id == label_id).values(name_key=f"\x01{label_id}"))
    for label_id, name, key in changes:
        conn.execute(labels.update().where(labels.c.id == label_id).values(name=name, name_key=key))


def downgrade():
    # The NFC names and keys are valid under the old rule too (it compared casefold()).
    conn = op.get_bind()
    rows = conn.execute(sa.select(labels.c.id, labels.c.name)).all()
    for row in rows:
        conn.execute(labels.update().where(labels.c.id == row.id).values(name_key=row.name.casefold()))
