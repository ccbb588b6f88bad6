"""account ids never reused; a session secret per account instead of a session version

On SQLite the patient table is rebuilt with AUTOINCREMENT, so a deleted account's id is never
given to the next one (PostgreSQL's sequence never reuses one). Each account gets a random
session secret that every session and remember-me cookie carries (diary.auth); the session
version it replaces goes. Every existing session ends: patients log in once more.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:40:00
"""
import secrets
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def rebuilt_on_sqlite(autoincrement: bool) -> dict:
    """Batch options: SQLite can only add AUTOINCREMENT by copying the table (env.py turns
    foreign keys off meanwhile); PostgreSQL alters it in place."""
    if op.get_bind().dialect.name != "sqlite":
        return {}
    return {"recreate": "always", "table_kwargs": {"sqlite_autoincrement": autoincrement}}


def upgrade() -> None:
    op.add_column('patient', sa.Column('session_secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    patient = sa.table('patient', sa.column('id', sa.Integer), sa.column('session_secret', sa.String))
    connection = op.get_bind()
    for (patient_id,) in connection.execute(sa.select(patient.c.id)).all():
        connection.execute(patient.update().where(patient.c.id == patient_id)
                           .values(session_secret=secrets.token_urlsafe(32)))
    with op.batch_alter_table('patient', schema=None, **rebuilt_on_sqlite(True)) as batch_op:
        batch_op.alter_column('session_secret', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)
        batch_op.drop_column('session_version')


def downgrade() -> None:
    with op.batch_alter_table('patient', schema=None, **rebuilt_on_sqlite(False)) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.drop_column('session_secret')
