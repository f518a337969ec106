"""day settings (time zone, day start, forgotten-timer threshold), goals, idempotency keys

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 20:54:56.878667

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('request', sa.String(length=200), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys'))
    )
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index('uq_idempotency_keys_user_id_key', ['user_id', 'key'], unique=True)

    op.create_table('goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('label_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=4), nullable=False),
    sa.CheckConstraint("kind IN ('at_least', 'at_most')", name=op.f('ck_goals_kind_known')),
    sa.CheckConstraint("period IN ('day', 'week')", name=op.f('ck_goals_period_known')),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_goals_minutes_positive')),
    sa.ForeignKeyConstraint(['label_id'], ['labels.id'], name=op.f('fk_goals_label_id_labels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_goals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals')),
    sa.UniqueConstraint('label_id', name=op.f('uq_goals_label_id'))
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goals_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), server_default='UTC', nullable=False))
        batch_op.add_column(sa.Column('day_starts_at', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('forgotten_after_minutes', sa.Integer(), server_default='720', nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('forgotten_after_minutes')
        batch_op.drop_column('day_starts_at')
        batch_op.drop_column('timezone')

    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goals_user_id'))

    op.drop_table('goals')
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index('uq_idempotency_keys_user_id_key')

    op.drop_table('idempotency_keys')
