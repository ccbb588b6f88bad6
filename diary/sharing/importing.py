"""Importing a diary export (diary.sharing.export) into a new, empty account: all of it or nothing.

The zip comes from outside, so it is read with care, in bounded memory and time:
- every member's declared size, compression and flags are checked before anything is unpacked,
  so a zip bomb, an encrypted or an oddly compressed file is refused unopened (zipfile never
  unpacks more than a member declares, so the declared sizes bound the work);
- each file is streamed record by record, a record at most ``RECORD_MAX`` characters, and rows are
  written in batches of ``BATCH`` as they are read, in one transaction;
- every cell is checked by the field of the form that would have created it, and every row by
  the forms' rules across columns (diary.sharing.columns);
- whatever is wrong (a damaged file, a bad cell) is an ``ImportProblem`` naming the file, and the
  row and column where there is one; the transaction is rolled back, so nothing is stored.
"""

import csv
import io
import zipfile
import zlib

from sqlalchemy import Table, UniqueConstraint, insert, select
from sqlalchemy.exc import IntegrityError

from diary.db import get_session
from diary.fields import Invalid, When, WholeNumber
from diary.sharing.columns import COLUMNS, ROW_RULES
from diary.sharing.export import exported_columns, patient_tables, references_of, restored

MAX_ROWS = 200_000  # in all files together: far above a lifetime of diary days and doses
MAX_UNPACKED = 64 * 1024 * 1024  # bytes, all files together; 200,000 rows fit in a fraction
MAX_RATIO = 100  # unpacked / packed size of one file; a diary's CSV packs about 5 to 15 times
RATIO_FREE = 1024 * 1024  # a file smaller than this unpacked may pack as well as it likes
RECORD_MAX = 32 * 1024  # characters in one CSV record; the longest form answer is 2,000
BATCH = 1000  # rows per INSERT
ROW_NUMBER = WholeNumber("The row number", True, 1, 999_999_999)
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError)


class ImportProblem(ValueError):
    """What is wrong with an import file, naming the file, row and column."""


class RecordTooLong(Exception):
    pass


def has_data(patient_id: int) -> bool:
    session = get_session()
    return any(session.execute(select(table.c.id).where(table.c.patient_id == patient_id).limit(1)).first()
               for table in patient_tables() if "patient_id" in table.columns)


def import_zip(patient_id: int, upload, when: When) -> dict[str, int]:
    """Import the zip (a seekable binary file) into the (empty) account. Returns rows per table.

    ``when`` is the patient's wall-clock now: no imported day or infusion may lie after it.
    """
    try:
        archive = zipfile.ZipFile(upload)
    except DAMAGED:
        raise ImportProblem("This is not a diary export: choose the .zip file the diary gave you.") from None
    with archive:
        members = checked_members(archive)
        session = get_session()
        importer = Importer(session, archive, patient_id, when)
        try:
            for table in patient_tables():
                importer.import_table(table, members[f"{table.name}.csv"])
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return {table: len(ids) for table, ids in importer.new_ids.items()}


def checked_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The export's files by name, each checked before a byte of it is unpacked."""
    expected = {f"{table.name}.csv" for table in patient_tables()}
    members: dict[str, zipfile.ZipInfo] = {}
    unpacked = 0
    for info in archive.infolist():
        name = info.filename
        if name not in expected:
            raise ImportProblem(f"The file {name[:80]} is not part of a diary export.")
        if name in members:
            raise ImportProblem(f"{name} appears twice in the zip.")
        if info.flag_bits & 0x1:
            raise ImportProblem(f"{name} is encrypted: use the zip the diary gave you, without a password.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportProblem(f"{name} is compressed in a way the diary cannot read: "
                                "use the zip the diary gave you.")
        unpacked += info.file_size
        packs_too_well = info.file_size > max(RATIO_FREE, MAX_RATIO * info.compress_size)
        if unpacked > MAX_UNPACKED or packs_too_well:
            raise ImportProblem(f"{name} unpacks to more than a diary export could hold.")
        members[name] = info
    if missing := sorted(expected - set(members)):
        raise ImportProblem(f"The export is missing {missing[0]}.")
    return members


class Importer:
    """Writes the export's files in order (parents first), remembering each row's new id."""

    def __init__(self, session, archive: zipfile.ZipFile, patient_id: int, when: When):
        self.session, self.archive, self.patient_id, self.when = session, archive, patient_id, when
        self.new_ids: dict[str, dict[int, int]] = {}  # table -> number in the file -> new id
        self.units: dict[int, str] = {}  # new medication id -> its unit, for its doses' amounts
        self.rows_left = MAX_ROWS

    def import_table(self, table: Table, info: zipfile.ZipInfo) -> None:
        name, columns = info.filename, exported_columns(table)
        ids = self.new_ids[table.name] = {}
        seen = {constraint: set() for constraint in unique_columns(table)}
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        batch: list[dict] = []
        numbers: list[int] = []
        for row, cells in records(self.archive, info):
            if row == 1:
                if cells != columns:
                    raise ImportProblem(f"{name}: the first row must name the columns {', '.join(columns)}.")
                continue
            self.rows_left -= 1
            if self.rows_left < 0:
                raise ImportProblem(f"The export has more than {MAX_ROWS} rows.")
            if len(cells) != len(columns):
                raise ImportProblem(f"{name}, row {row}: expected {len(columns)} values, found {len(cells)}.")
            number, values = self.checked_row(table, name, row, dict(zip(columns, cells)))
            if number in ids or number in numbers:
                raise ImportProblem(f"{name}, row {row}, column id: {number} appears twice.")
            for constraint, keys in seen.items():
                key = tuple(values[column] for column in constraint)
                if key in keys:
                    raise ImportProblem(f"{name}, row {row}: it repeats a row that must be unique "
                                        f"(two rows with the same {' and '.join(constraint)}).")
                keys.add(key)
            if "patient_id" in table.columns:
                values["patient_id"] = self.patient_id
            batch.append(values)
            numbers.append(number)
            if len(batch) == BATCH:
                self.write(table, name, statement, batch, numbers)
                batch, numbers = [], []
        if batch:
            self.write(table, name, statement, batch, numbers)

    def checked_row(self, table: Table, name: str, row: int, cells: dict[str, str]) -> tuple[int, dict]:
        """The row's number in its file and its values, each checked as its form checks it."""
        fields, references = COLUMNS[table.name], references_of(table)
        values, number = {}, None
        for column, cell in cells.items():
            text = restored(cell).strip()
            try:
                if column == "id":
                    number = ROW_NUMBER.check(text)
                elif column in references:
                    values[column] = self.new_id(references[column], ROW_NUMBER.check(text))
                else:
                    values[column] = fields[column].check(text, self.when)
            except Invalid as problem:
                raise ImportProblem(f"{name}, row {row}, column {column}: {problem}.") from None
        for rule in ROW_RULES.get(table.name, ()):
            if found := rule(values, self.when, self.units):
                column, problem = found
                raise ImportProblem(f"{name}, row {row}, column {column}: {problem}.")
        return number, values

    def new_id(self, parent: str, number: int) -> int:
        if number not in self.new_ids[parent]:
            raise Invalid(f"there is no row {number} in {parent}.csv")
        return self.new_ids[parent][number]

    def write(self, table: Table, name: str, statement, batch: list[dict], numbers: list[int]) -> None:
        try:
            new_ids = self.session.execute(statement, batch).scalars().all()
        except IntegrityError:  # the checks above should have caught it; say so in words anyway
            raise ImportProblem(f"{name}: a row does not fit the diary's rules.") from None
        self.new_ids[table.name].update(zip(numbers, new_ids))
        if table.name == "medication":
            self.units.update((new_id, values["unit"]) for new_id, values in zip(new_ids, batch))


def unique_columns(table: Table) -> list[tuple[str, ...]]:
    """The columns each unique constraint of ``table`` covers, within one patient's rows."""
    return [tuple(column.name for column in constraint.columns if column.name != "patient_id")
            for constraint in table.constraints if isinstance(constraint, UniqueConstraint)]


def records(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """(row number, cells) of each CSV record of the member, unpacked as it is read."""
    name, row = info.filename, 1
    try:
        with archive.open(info) as member:
            lines = BoundedLines(io.TextIOWrapper(member, encoding="utf-8", newline=""))
            for row, cells in enumerate(csv.reader(lines), start=1):
                yield row, cells
                lines.in_record = 0
    except RecordTooLong:
        raise ImportProblem(f"{name}, row {row + 1}: the row is too long for a diary export "
                            f"(more than {RECORD_MAX} characters).") from None
    except UnicodeDecodeError:
        raise ImportProblem(f"{name} is not UTF-8 text.") from None
    except csv.Error as problem:
        raise ImportProblem(f"{name}, row {row + 1}: this is not CSV as the diary writes it ({problem}).") from None
    except DAMAGED:
        raise ImportProblem(f"{name} is damaged (its data does not unpack as the zip says): "
                            "download the export again.") from None


class BoundedLines:
    """The lines of a text stream for ``csv.reader``, refusing a record longer than ``RECORD_MAX``."""

    def __init__(self, stream):
        self.stream, self.in_record = stream, 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.stream.readline(RECORD_MAX + 1)
        if not line:
            raise StopIteration
        self.in_record += len(line)
        if self.in_record > RECORD_MAX:
            raise RecordTooLong
        return line
