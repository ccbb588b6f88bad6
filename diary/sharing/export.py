"""The patient's own data as CSV files in one zip, and importing that zip into an empty account.

Every table that belongs to a patient (it has a ``patient_id``, or a parent row that has one) is
exported, so tables added later are exported without anyone remembering. One file per table,
named after it; the first row names the columns. Ids are renumbered 1, 2, 3 … per file in the
order the rows were written, and a column that refers to another file (``entry_id``) holds that
file's number, so an export, imported into a new account and exported again, gives the same files.
Share links are access, not diary data, and are never exported.
"""

import csv
import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import CheckConstraint, Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from diary.db import get_session

NOT_EXPORTED = {"patient", "share_link"}
MAX_ROWS = 200_000  # far above a lifetime of daily entries; stops a runaway file


class ImportProblem(ValueError):
    """What is wrong with an import file, naming the file, row and column."""


def patient_tables() -> list[Table]:
    """Tables holding a patient's data, parents before children."""
    owned: set[str] = set()
    for table in SQLModel.metadata.sorted_tables:
        if table.name in NOT_EXPORTED:
            continue
        parents = {fk.column.table.name for fk in table.foreign_keys}
        if "patient" in parents or parents & owned:
            owned.add(table.name)
    return [table for table in SQLModel.metadata.sorted_tables if table.name in owned]


def exported_columns(table: Table) -> list[str]:
    return [column.name for column in table.columns if column.name != "patient_id"]


def owner_filter(table: Table, patient_id: int, row_ids: dict[str, list[int]]):
    """The WHERE clause picking one patient's rows of ``table``."""
    if "patient_id" in table.columns:
        return table.c.patient_id == patient_id
    fk = next(fk for fk in table.foreign_keys if fk.column.table.name in row_ids)
    return fk.parent.in_(row_ids[fk.column.table.name])


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def export_zip(patient_id: int) -> bytes:
    session = get_session()
    row_ids: dict[str, list[int]] = {}
    numbers: dict[str, dict[int, int]] = {}  # table -> database id -> number in the file
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in patient_tables():
            rows = session.execute(select(table).where(owner_filter(table, patient_id, row_ids))
                                   .order_by(table.c.id)).mappings().all()
            row_ids[table.name] = [row["id"] for row in rows]
            numbers[table.name] = {row["id"]: n for n, row in enumerate(rows, start=1)}
            references = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys
                          if fk.column.table.name != "patient"}
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            columns = exported_columns(table)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([
                    numbers[table.name][row["id"]] if name == "id"
                    else numbers[references[name]].get(row[name], "") if name in references and row[name] is not None
                    else as_text(row[name])
                    for name in columns])
            archive.writestr(f"{table.name}.csv", text.getvalue())
    return buffer.getvalue()


def parse_value(column, text: str):
    """A CSV cell as the column's Python value; raises ValueError with a patient-readable reason."""
    if text == "":
        if not column.nullable:
            raise ValueError("is empty but must have a value")
        return None
    kind = getattr(column.type, "impl_instance", column.type).python_type  # through TypeDecorators
    if kind is bool:
        if text not in ("true", "false"):
            raise ValueError(f"must be true or false, not {text!r}")
        return text == "true"
    if kind is int:
        if not text.lstrip("-").isdigit() or len(text) > 12:
            raise ValueError(f"must be a whole number, not {text!r}")
        return int(text)
    if kind is Decimal:
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"must be a number, not {text!r}") from None
    if kind is datetime:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"must be a date and time like 2026-01-31T08:00:00+00:00, not {text!r}") from None
        if moment.tzinfo is None:
            raise ValueError("must include its time zone offset")
        return moment
    if kind is date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"must be a date like 2026-01-31, not {text!r}") from None
    if kind is time:  # an infusion's local start time
        try:
            return time.fromisoformat(text)
        except ValueError:
            raise ValueError(f"must be a time like 09:30:00, not {text!r}") from None
    length = getattr(column.type, "length", None)
    if length and len(text) > length:
        raise ValueError(f"is longer than {length} characters")
    return text


def read_archive(data: bytes) -> dict[str, list[dict[str, str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportProblem("This is not a diary export: choose the .zip file the diary gave you.") from None
    with archive:
        expected = {f"{table.name}.csv": table for table in patient_tables()}
        names = set(archive.namelist())
        if unknown := sorted(names - set(expected)):
            raise ImportProblem(f"The file {unknown[0]} is not part of a diary export.")
        files = {}
        for name, table in expected.items():
            if name not in names:
                raise ImportProblem(f"The export is missing {name}.")
            if archive.getinfo(name).file_size > 50 * 1024 * 1024:
                raise ImportProblem(f"{name} is too large.")
            try:
                text = archive.read(name).decode("utf-8")
            except UnicodeDecodeError:
                raise ImportProblem(f"{name} is not UTF-8 text.") from None
            reader = csv.reader(io.StringIO(text))
            header = next(reader, None)
            if header != exported_columns(table):
                raise ImportProblem(f"{name}: the first row must name the columns "
                                    f"{', '.join(exported_columns(table))}.")
            rows = []
            for number, cells in enumerate(reader, start=2):
                if len(cells) != len(header):
                    raise ImportProblem(f"{name}, row {number}: expected {len(header)} values, found {len(cells)}.")
                rows.append(dict(zip(header, cells)))
                if len(rows) > MAX_ROWS:
                    raise ImportProblem(f"{name} has more than {MAX_ROWS} rows.")
            files[table.name] = rows
        return files


def has_data(patient_id: int) -> bool:
    session = get_session()
    return any(session.execute(select(table.c.id).where(table.c.patient_id == patient_id).limit(1)).first()
               for table in patient_tables() if "patient_id" in table.columns)


def import_zip(patient_id: int, data: bytes) -> dict[str, int]:
    """Import an export into the (empty) account: all rows or none. Returns rows per table."""
    files = read_archive(data)
    session = get_session()
    new_ids: dict[str, dict[int, int]] = {}
    try:
        for table in patient_tables():
            name = f"{table.name}.csv"
            references = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys
                          if fk.column.table.name != "patient"}
            new_ids[table.name] = {}
            for number, cells in enumerate(files[table.name], start=2):
                values = {}
                for column_name, text in cells.items():
                    column = table.c[column_name]
                    try:
                        value = parse_value(column, text)
                    except ValueError as problem:
                        raise ImportProblem(f"{name}, row {number}, column {column_name}: the value {problem}.") from None
                    if column_name in references and value is not None:
                        if value not in new_ids[references[column_name]]:
                            raise ImportProblem(f"{name}, row {number}, column {column_name}: "
                                                f"there is no row {value} in {references[column_name]}.csv.")
                        value = new_ids[references[column_name]][value]
                    values[column_name] = value
                row_number = values.pop("id")
                if row_number in new_ids[table.name]:
                    raise ImportProblem(f"{name}, row {number}, column id: {row_number} appears twice.")
                if "patient_id" in table.columns:
                    values["patient_id"] = patient_id
                try:
                    result = session.execute(insert(table).values(**values))
                except IntegrityError as error:
                    raise ImportProblem(f"{name}, row {number}: {constraint_message(table, error)}.") from None
                new_ids[table.name][row_number] = result.inserted_primary_key[0]
        session.commit()
    except Exception:
        session.rollback()
        raise
    return {table: len(ids) for table, ids in new_ids.items()}


def constraint_message(table: Table, error: IntegrityError) -> str:
    text = str(error.orig)
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint) and constraint.name and str(constraint.name) in text:
            return f"a value breaks the rule {constraint.sqltext}"
    if "unique" in text.lower():
        return "it repeats a row that must be unique (for example two entries for one day)"
    return "it does not fit the diary's rules"
