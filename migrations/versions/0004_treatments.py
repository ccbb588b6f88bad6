"""treatments: infusion series and infusions, medications and daily doses, other therapies

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 01:09:22.160424
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('infusion_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('condition', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('condition_other', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('route', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('route_other', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('clinic', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('pgic', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_infusion_series_patient_id_patient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_infusion_series'))
    )
    with op.batch_alter_table('infusion_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_infusion_series_patient_id'), ['patient_id'], unique=False)

    op.create_table('medication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('drug', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('form', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('usual_dose', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_medication_patient_id_patient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medication'))
    )
    with op.batch_alter_table('medication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medication_patient_id'), ['patient_id'], unique=False)

    op.create_table('medication_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_medication_day_patient_id_patient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medication_day')),
    sa.UniqueConstraint('patient_id', 'day', name='uq_medication_day_patient_day')
    )
    op.create_table('therapy_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('kind_other', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_therapy_event_patient_id_patient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_therapy_event'))
    )
    with op.batch_alter_table('therapy_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_therapy_event_patient_id'), ['patient_id'], unique=False)

    op.create_table('infusion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('duration_min', sa.Integer(), nullable=True),
    sa.Column('dose_mg', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('weight_kg', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('pain_before', sa.Integer(), nullable=True),
    sa.Column('pain_after', sa.Integer(), nullable=True),
    sa.Column('pain_2h', sa.Integer(), nullable=True),
    sa.Column('pain_24h', sa.Integer(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('dose_mg > 0', name=op.f('ck_infusion_dose_positive')),
    sa.CheckConstraint('duration_min BETWEEN 1 AND 1440', name=op.f('ck_infusion_duration_up_to_a_day')),
    sa.CheckConstraint('pain_24h BETWEEN 0 AND 10', name=op.f('ck_infusion_pain_24h_0_to_10')),
    sa.CheckConstraint('pain_2h BETWEEN 0 AND 10', name=op.f('ck_infusion_pain_2h_0_to_10')),
    sa.CheckConstraint('pain_after BETWEEN 0 AND 10', name=op.f('ck_infusion_pain_after_0_to_10')),
    sa.CheckConstraint('pain_before BETWEEN 0 AND 10', name=op.f('ck_infusion_pain_before_0_to_10')),
    sa.CheckConstraint('weight_kg > 0', name=op.f('ck_infusion_weight_positive')),
    sa.ForeignKeyConstraint(['series_id'], ['infusion_series.id'], name=op.f('fk_infusion_series_id_infusion_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_infusion'))
    )
    with op.batch_alter_table('infusion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_infusion_series_id'), ['series_id'], unique=False)

    op.create_table('medication_dose',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('medication_day_id', sa.Integer(), nullable=False),
    sa.Column('medication_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_medication_dose_amount_positive')),
    sa.ForeignKeyConstraint(['medication_day_id'], ['medication_day.id'], name=op.f('fk_medication_dose_medication_day_id_medication_day'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['medication_id'], ['medication.id'], name=op.f('fk_medication_dose_medication_id_medication'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medication_dose')),
    sa.UniqueConstraint('medication_day_id', 'medication_id', name='uq_medication_dose_medication')
    )
    with op.batch_alter_table('medication_dose', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medication_dose_medication_day_id'), ['medication_day_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_medication_dose_medication_id'), ['medication_id'], unique=False)

    op.create_table('infusion_side_effect',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('infusion_id', sa.Integer(), nullable=False),
    sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('symptom', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.CheckConstraint("phase IN ('during', 'after')", name=op.f('ck_infusion_side_effect_phase_during_or_after')),
    sa.CheckConstraint('severity BETWEEN 1 AND 3', name=op.f('ck_infusion_side_effect_severity_1_to_3')),
    sa.ForeignKeyConstraint(['infusion_id'], ['infusion.id'], name=op.f('fk_infusion_side_effect_infusion_id_infusion'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_infusion_side_effect')),
    sa.UniqueConstraint('infusion_id', 'phase', 'symptom', name='uq_infusion_side_effect_symptom')
    )
    with op.batch_alter_table('infusion_side_effect', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_infusion_side_effect_infusion_id'), ['infusion_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('infusion_side_effect', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_infusion_side_effect_infusion_id'))

    op.drop_table('infusion_side_effect')
    with op.batch_alter_table('medication_dose', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_medication_dose_medication_id'))
        batch_op.drop_index(batch_op.f('ix_medication_dose_medication_day_id'))

    op.drop_table('medication_dose')
    with op.batch_alter_table('infusion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_infusion_series_id'))

    op.drop_table('infusion')
    with op.batch_alter_table('therapy_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_therapy_event_patient_id'))

    op.drop_table('therapy_event')
    op.drop_table('medication_day')
    with op.batch_alter_table('medication', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_medication_patient_id'))

    op.drop_table('medication')
    with op.batch_alter_table('infusion_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_infusion_series_patient_id'))

    op.drop_table('infusion_series')
