"""questionnaires: PHQ-9 and GAD-7 answers and how often they are offered

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:27:01.826596
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('questionnaire_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('item_1', sa.Integer(), nullable=True),
    sa.Column('item_2', sa.Integer(), nullable=True),
    sa.Column('item_3', sa.Integer(), nullable=True),
    sa.Column('item_4', sa.Integer(), nullable=True),
    sa.Column('item_5', sa.Integer(), nullable=True),
    sa.Column('item_6', sa.Integer(), nullable=True),
    sa.Column('item_7', sa.Integer(), nullable=True),
    sa.Column('item_8', sa.Integer(), nullable=True),
    sa.Column('item_9', sa.Integer(), nullable=True),
    sa.Column('difficulty', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind = 'phq9' OR (item_8 IS NULL AND item_9 IS NULL)", name=op.f('ck_questionnaire_answer_gad7_has_7_items')),
    sa.CheckConstraint("kind IN ('phq9', 'gad7')", name=op.f('ck_questionnaire_answer_kind_phq9_or_gad7')),
    sa.CheckConstraint('difficulty BETWEEN 0 AND 3', name=op.f('ck_questionnaire_answer_difficulty_0_to_3')),
    sa.CheckConstraint('item_1 BETWEEN 0 AND 3', name=op.f('ck_questionnaire_answer_item_1_0_to_3')),
    sa.CheckConstraint('item_2 BETWEEN 0 AND 3', name=op.f('ck_questionnaire_answer_item_2_0_to_3')),
    sa.CheckConstraint('item_3 BETWEEN 0 AND 3', name=op.f('ck_questionnaire_answer_item_3_0_to_3')),
    sa.CheckConstraint('item_4 BETWEEN 0 AND 3', name=op.f('ck_questionnaire_answer_item_4_0_to_3')),
    sa.CheckConstraint('item_5 BETWEEN 0 AND 3', name=op.f('ck_questionnaire_answer_item_5_0_to_3')),
    sa.CheckConstraint('item_6 BETWEEN 0 AND 3', name=op.f('ck_questionnaire_answer_item_6_0_to_3')),
    sa.CheckConstraint('item_7 BETWEEN 0 AND 3', name=op.f('ck_questionnaire_answer_item_7_0_to_3')),
    sa.CheckConstraint('item_8 BETWEEN 0 AND 3', name=op.f('ck_questionnaire_answer_item_8_0_to_3')),
    sa.CheckConstraint('item_9 BETWEEN 0 AND 3', name=op.f('ck_questionnaire_answer_item_9_0_to_3')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_questionnaire_answer_patient_id_patient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_answer')),
    sa.UniqueConstraint('patient_id', 'kind', 'day', name='uq_questionnaire_answer_kind_day')
    )
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('questionnaire_interval_days', sa.Integer(), server_default='14', nullable=True))
        batch_op.create_check_constraint(op.f('ck_patient_questionnaire_interval_days_7_to_28'),
                                         'questionnaire_interval_days BETWEEN 7 AND 28')



def downgrade() -> None:
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_patient_questionnaire_interval_days_7_to_28'), type_='check')
        batch_op.drop_column('questionnaire_interval_days')

    op.drop_table('questionnaire_answer')
