"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 00:59:15.266198
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision: str = '0001'
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('patient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patient')),
    sa.UniqueConstraint('email', name=op.f('uq_patient_email'))
    )
    op.create_table('entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('pain_avg', sa.Integer(), nullable=False),
    sa.Column('pain_worst', sa.Integer(), nullable=True),
    sa.Column('interference_enjoyment', sa.Integer(), nullable=True),
    sa.Column('interference_activity', sa.Integer(), nullable=True),
    sa.Column('mood', sa.Integer(), nullable=True),
    sa.Column('sleep_quality', sa.Integer(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('interference_activity BETWEEN 0 AND 10', name=op.f('ck_entry_interference_activity_0_to_10')),
    sa.CheckConstraint('interference_enjoyment BETWEEN 0 AND 10', name=op.f('ck_entry_interference_enjoyment_0_to_10')),
    sa.CheckConstraint('mood BETWEEN 0 AND 10', name=op.f('ck_entry_mood_0_to_10')),
    sa.CheckConstraint('pain_avg BETWEEN 0 AND 10', name=op.f('ck_entry_pain_avg_0_to_10')),
    sa.CheckConstraint('pain_worst BETWEEN 0 AND 10', name=op.f('ck_entry_pain_worst_0_to_10')),
    sa.CheckConstraint('sleep_quality BETWEEN 0 AND 10', name=op.f('ck_entry_sleep_quality_0_to_10')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_entry_patient_id_patient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry')),
    sa.UniqueConstraint('patient_id', 'day', name='uq_entry_patient_day')
    )
    op.create_table('entry_side_effect',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('symptom', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.CheckConstraint('severity BETWEEN 1 AND 3', name=op.f('ck_entry_side_effect_severity_1_to_3')),
    sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_entry_side_effect_entry_id_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_side_effect')),
    sa.UniqueConstraint('entry_id', 'symptom', name='uq_entry_side_effect_symptom')
    )
    with op.batch_alter_table('entry_side_effect', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_side_effect_entry_id'), ['entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('entry_side_effect', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_side_effect_entry_id'))

    op.drop_table('entry_side_effect')
    op.drop_table('entry')
    op.drop_table('patient')
