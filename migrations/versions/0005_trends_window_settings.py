"""trends window settings: the patient's before and after days (7-28, default 14)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 01:07:25.196772
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trends_before_days', sa.Integer(), server_default='14', nullable=False))
        batch_op.add_column(sa.Column('trends_after_days', sa.Integer(), server_default='14', nullable=False))
        batch_op.create_check_constraint(op.f('ck_patient_trends_before_days_7_to_28'),
                                         'trends_before_days BETWEEN 7 AND 28')
        batch_op.create_check_constraint(op.f('ck_patient_trends_after_days_7_to_28'),
                                         'trends_after_days BETWEEN 7 AND 28')


def downgrade() -> None:
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_patient_trends_after_days_7_to_28'), type_='check')
        batch_op.drop_constraint(op.f('ck_patient_trends_before_days_7_to_28'), type_='check')
        batch_op.drop_column('trends_after_days')
        batch_op.drop_column('trends_before_days')
