"""each patient's summary for the clinic's dashboard, kept with their diary (diary.summaries)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 16:45:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision: str = '0014'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Empty at first: `flask admin refresh-summaries` fills it, and the dashboard computes any
    # missing summary when it is read (a few per request).
    op.create_table(
        'patient_summary',
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('data_version', sa.Integer(), nullable=False),
        sa.Column('rules', sa.Integer(), nullable=False),
        sa.Column('facts', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('computed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['patient_id'], ['patient.id'],
                                name=op.f('fk_patient_summary_patient_id_patient'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('patient_id', name=op.f('pk_patient_summary')),
    )


def downgrade() -> None:
    op.drop_table('patient_summary')
