"""personal access tokens of the 'calendar' scope (a calendar feed URL, nothing else)

Revision ID: 0004_calendar_scope
Revises: 0003
Create Date: 2026-12-02 13:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004_calendar_scope'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode: SQLite cannot alter a CHECK constraint in place, so the table is rebuilt.
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.drop_constraint(op.f('ck_api_tokens_scope_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_api_tokens_scope_known'), "scope IN ('read', 'write', 'calendar')")


def downgrade():
    op.execute("DELETE FROM api_tokens WHERE scope = 'calendar'")
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.drop_constraint(op.f('ck_api_tokens_scope_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_api_tokens_scope_known'), "scope IN ('read', 'write')")
