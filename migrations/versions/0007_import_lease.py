"""users.import_lease, import_lease_until: an import writing in steps (issue 15)

A large import is written in short transactions, so no request holds SQLite's
write lock for long. While it writes, the user's log belongs to it: the lease
(a random token and its expiry, by the database's clock) makes the user's
other writes answer 503 with Retry-After until the import is done or, if its
server died, until the lease runs out.

Revision ID: 0007_import_lease
Revises: 0006_label_names_nfc
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_import_lease'
down_revision = '0006_label_names_nfc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_lease', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('import_lease_until', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('import_lease_until')
        batch_op.drop_column('import_lease')
