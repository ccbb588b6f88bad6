"""medication dose of 0: a tapering patient's "not taken" is stored (amount >= 0, was > 0)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 15:05:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('medication_dose', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_medication_dose_amount_positive'), type_='check')
        batch_op.create_check_constraint('amount_not_negative', 'amount >= 0')


def downgrade() -> None:
    # A 0 dose cannot stay under the old rule: going back, it is what it meant, not taken.
    op.execute("DELETE FROM medication_dose WHERE amount = 0")
    with op.batch_alter_table('medication_dose', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_medication_dose_amount_not_negative'), type_='check')
        batch_op.create_check_constraint('amount_positive', 'amount > 0')
