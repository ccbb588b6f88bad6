"""reminders (settings, push subscriptions, sent reminders) and forgot-password links

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 14:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None



def upgrade() -> None:
    op.create_table(
        'reminder_setting',
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('times', sa.String(length=64), nullable=False),
        sa.Column('by_email', sa.Boolean(), nullable=False),
        sa.Column('by_push', sa.Boolean(), nullable=False),
        sa.Column('after_infusion', sa.Boolean(), nullable=False),
        sa.Column('quiet_from', sa.Time(), nullable=True),
        sa.Column('quiet_until', sa.Time(), nullable=True),
        sa.Column('snoozed_day', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ondelete='CASCADE',
                                name=op.f('fk_reminder_setting_patient_id_patient')),
        sa.PrimaryKeyConstraint('patient_id', name=op.f('pk_reminder_setting')),
    )
    op.create_table(
        'push_subscription',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('endpoint', sa.String(length=1000), nullable=False),
        sa.Column('p256dh', sa.String(length=200), nullable=False),
        sa.Column('auth', sa.String(length=100), nullable=False),
        sa.Column('device', sa.String(length=120), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ondelete='CASCADE',
                                name=op.f('fk_push_subscription_patient_id_patient')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscription')),
        sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscription_endpoint')),
    )
    op.create_index(op.f('ix_push_subscription_patient_id'), 'push_subscription', ['patient_id'])
    op.create_table(
        'reminder_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('reference', sa.String(length=32), nullable=False),
        sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ondelete='CASCADE',
                                name=op.f('fk_reminder_sent_patient_id_patient')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_sent')),
        sa.UniqueConstraint('patient_id', 'kind', 'reference',
                            name='uq_reminder_sent_patient_kind_reference'),
    )
    op.create_table(
        'password_reset',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ondelete='CASCADE',
                                name=op.f('fk_password_reset_patient_id_patient')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_token_hash')),
    )
    op.create_index(op.f('ix_password_reset_patient_id'), 'password_reset', ['patient_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_password_reset_patient_id'), table_name='password_reset')
    op.drop_table('password_reset')
    op.drop_table('reminder_sent')
    op.drop_index(op.f('ix_push_subscription_patient_id'), table_name='push_subscription')
    op.drop_table('push_subscription')
    op.drop_table('reminder_setting')
