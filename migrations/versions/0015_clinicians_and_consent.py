"""clinicians and consent: clinician accounts with their second factor, invites of the clinician
kind, connection codes, the patients' connections and the clinicians' visits (diary.clinic)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 16:38:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision: str = '0015'
down_revision: Union[str, None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('clinician',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('session_secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinician')),
    sa.UniqueConstraint('email', name=op.f('uq_clinician_email')),
    sqlite_autoincrement=True
    )
    op.create_table('clinician_connection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('clinician_id', sa.Integer(), nullable=False),
    sa.Column('include_notes', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('connected_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('disconnected_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinician.id'], name=op.f('fk_clinician_connection_clinician_id_clinician'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_clinician_connection_patient_id_patient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinician_connection'))
    )
    with op.batch_alter_table('clinician_connection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clinician_connection_clinician_id'), ['clinician_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clinician_connection_patient_id'), ['patient_id'], unique=False)

    op.create_table('clinician_recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinician_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinician.id'], name=op.f('fk_clinician_recovery_code_clinician_id_clinician'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinician_recovery_code'))
    )
    with op.batch_alter_table('clinician_recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clinician_recovery_code_clinician_id'), ['clinician_id'], unique=False)

    op.create_table('clinician_second_factor',
    sa.Column('clinician_id', sa.Integer(), nullable=False),
    sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('last_used_step', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinician.id'], name=op.f('fk_clinician_second_factor_clinician_id_clinician'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('clinician_id', name=op.f('pk_clinician_second_factor'))
    )
    op.create_table('connection_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinician_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinician.id'], name=op.f('fk_connection_code_clinician_id_clinician'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_connection_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_connection_code_code_hash'))
    )
    with op.batch_alter_table('connection_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_connection_code_clinician_id'), ['clinician_id'], unique=False)

    op.create_table('clinician_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('connection_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['clinician_connection.id'], name=op.f('fk_clinician_visit_connection_id_clinician_connection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinician_visit'))
    )
    with op.batch_alter_table('clinician_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clinician_visit_connection_id'), ['connection_id'], unique=False)

    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='patient', nullable=False))
        batch_op.create_check_constraint('kind_patient_or_clinician', "kind IN ('patient', 'clinician')")



def downgrade() -> None:
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_invite_kind_patient_or_clinician'), type_='check')
        batch_op.drop_column('kind')

    with op.batch_alter_table('clinician_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinician_visit_connection_id'))

    op.drop_table('clinician_visit')
    with op.batch_alter_table('connection_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_connection_code_clinician_id'))

    op.drop_table('connection_code')
    op.drop_table('clinician_second_factor')
    with op.batch_alter_table('clinician_recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinician_recovery_code_clinician_id'))

    op.drop_table('clinician_recovery_code')
    with op.batch_alter_table('clinician_connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinician_connection_patient_id'))
        batch_op.drop_index(batch_op.f('ix_clinician_connection_clinician_id'))

    op.drop_table('clinician_connection')
    op.drop_table('clinician')
