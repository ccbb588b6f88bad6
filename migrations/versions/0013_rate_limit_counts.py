"""rate limit counts in the database, shared by every worker (diary.ratelimit_storage)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 13:45:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision: str = '0013'
down_revision: Union[str, None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'rate_limit_count',
        sa.Column('key_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('window_ends', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key_hash', name=op.f('pk_rate_limit_count')),
    )
    with op.batch_alter_table('rate_limit_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_count_window_ends'), ['window_ends'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rate_limit_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_count_window_ends'))
    op.drop_table('rate_limit_count')
