"""summaries only while connected: a patient's dashboard summary is kept only while they are
connected to a clinician (diary.summaries.store); delete the others, computed before that rule

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 21:20:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0016'
down_revision: Union[str, None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("DELETE FROM patient_summary WHERE patient_id NOT IN "
               "(SELECT patient_id FROM clinician_connection WHERE disconnected_at IS NULL)")


def downgrade() -> None:
    pass  # derived data: the older rule recomputes what it misses (flask admin refresh-summaries)
