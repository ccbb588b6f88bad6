"""The patient's own data as CSV files in one zip, and importing that zip into an empty account.

Every table of the patient's diary (diary.models.DIARY_TABLES, declared beside the models) is
exported, parents before children. One file per table,
named after it; the first row names the columns. Ids are renumbered 1, 2, 3 … per file in the
order the rows were written, and a column that refers to another file (``entry_id``) holds that
file's number, so an export, imported into a new account and exported again, gives the same files.
Share links are access, not diary data, and are never exported.

A cell a spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return)
is written with a single quote before it, as OWASP's "CSV Injection" page recommends; so is a cell
that starts with a quote itself, so that the import (diary.sharing.importing) takes exactly one
leading quote off every cell and gives back what was stored, "-2" and "'quoted" included.
"""

import csv
import io
import zipfile
from datetime import datetime

from sqlalchemy import Table, select

from diary.db import get_session
from diary.models import DIARY_TABLES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")  # the last: the escape itself


def patient_tables() -> tuple[Table, ...]:
    """Tables holding a patient's diary, parents before children."""
    return DIARY_TABLES


def exported_columns(table: Table) -> list[str]:
    return [column.name for column in table.columns if column.name != "patient_id"]


def owner_filter(table: Table, patient_id: int):
    """The WHERE clause picking one patient's rows of ``table`` (a child: through its parent)."""
    if "patient_id" in table.columns:
        return table.c.patient_id == patient_id
    fk = min((fk for fk in table.foreign_keys if fk.column.table.name != "patient"),
             key=lambda fk: fk.parent.name)
    parent = fk.column.table
    return fk.parent.in_(select(parent.c.id).where(owner_filter(parent, patient_id)))


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return neutralised(str(value))


def neutralised(text: str) -> str:
    """The cell as a spreadsheet shows it but never runs it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restored(text: str) -> str:
    """The cell as it was stored, undoing ``neutralised``."""
    return text[1:] if text.startswith("'") else text


def references_of(table: Table) -> dict[str, str]:
    """Columns of ``table`` that hold the number of a row in another file: column -> table."""
    return {fk.parent.name: fk.column.table.name for fk in table.foreign_keys
            if fk.column.table.name != "patient"}


def export_zip(patient_id: int) -> bytes:
    session = get_session()
    numbers: dict[str, dict[int, int]] = {}  # table -> database id -> number in the file
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in patient_tables():
            columns, references = exported_columns(table), references_of(table)
            numbers[table.name] = {}
            rows = session.execute(select(*(table.c[name] for name in columns))
                                   .where(owner_filter(table, patient_id))
                                   .order_by(table.c.id))
            # Written as read, so a long diary is never held twice (rows and text) in memory.
            with archive.open(f"{table.name}.csv", "w") as member, \
                    io.TextIOWrapper(member, encoding="utf-8", newline="") as text:
                writer = csv.writer(text, lineterminator="\n")
                writer.writerow(columns)
                for number, row in enumerate(rows, start=1):
                    numbers[table.name][row.id] = number
                    writer.writerow([
                        number if name == "id"
                        else numbers[references[name]].get(value, "") if name in references and value is not None
                        else as_text(value)
                        for name, value in zip(columns, row)])
    return buffer.getvalue()
