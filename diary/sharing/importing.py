"""Importing a diary export (diary.sharing.export) into a new, empty account: all of it or nothing.

The zip comes from outside, so it is read with care, in bounded memory and time:
- every member's declared size, compression and flags are checked before anything is unpacked,
  so a zip bomb, an encrypted or an oddly compressed file is refused unopened (zipfile never
  unpacks more than a member declares, so the declared sizes bound the work);
- each file is streamed record by record, a record at most ``RECORD_MAX`` characters; checked
  rows wait in a temporary file, in batches of ``BATCH``, and are written many per INSERT in one
  short transaction once all of them passed;
- every cell is checked by the field of the form that would have created it, and every row by
  the forms' rules across columns (diary.sharing.columns);
- whatever is wrong (a damaged file, a bad cell) is an ``ImportProblem`` naming the file, and the
  row and column where there is one, and nothing is stored.
"""

import csv
import io
import pickle
import tempfile
import zipfile
import zlib

from sqlalchemy import Table, UniqueConstraint, insert, select
from sqlalchemy.exc import IntegrityError

from diary.db import get_session
from diary.fields import Invalid, When, WholeNumber
from diary.sharing.columns import COLUMNS, ROW_RULES
from diary.sharing.export import exported_columns, patient_tables, references_of, restored
from diary.versions import bump_data_version

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
    Every row is checked first, and the checked rows kept in a temporary file; only then are
    they written, in one short transaction, so another patient's save waits (the busy timeout)
    for the writing alone, never for the reading and checking.
    """
    try:
        archive = zipfile.ZipFile(upload)
    except DAMAGED:
        raise ImportProblem("This is not a diary export: choose the .zip file the diary gave you.") from None
    with archive, tempfile.TemporaryFile() as spool:
        members = checked_members(archive)
        Checker(archive, spool, when).check_all(members)
        spool.seek(0)
        return write_rows(get_session(), spool, patient_id)


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


class Checker:
    """Checks the export's files in order (parents first), spooling checked rows in batches."""

    def __init__(self, archive: zipfile.ZipFile, spool, when: When):
        self.archive, self.spool, self.when = archive, spool, when
        self.numbers: dict[str, set[int]] = {}  # table -> the row numbers its file holds
        self.units: dict[int, str] = {}  # medication number -> its unit, for its doses' amounts
        self.rows_left = MAX_ROWS

    def check_all(self, members: dict[str, zipfile.ZipInfo]) -> None:
        tables = patient_tables()
        for position, table in enumerate(tables):
            forget_unreferenced(self.numbers, tables[position:])
            self.check_table(table, members[f"{table.name}.csv"])

    def check_table(self, table: Table, info: zipfile.ZipInfo) -> None:
        name, columns = info.filename, exported_columns(table)
        fields, references = COLUMNS[table.name], references_of(table)
        numbers = self.numbers[table.name] = set()
        seen = {constraint: set() for constraint in unique_columns(table)}
        batch: list[tuple[int, dict]] = []
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
            number, values = self.checked_row(table.name, fields, references, name, row,
                                              zip(columns, cells))
            if number in numbers:
                raise ImportProblem(f"{name}, row {row}, column id: {number} appears twice.")
            numbers.add(number)
            for constraint, keys in seen.items():
                # Kept as hashes (a long diary's keys would cost megabytes as tuples); two
                # different keys sharing a 64-bit hash would refuse the import, never merge rows.
                key = hash(tuple(values[column] for column in constraint))
                if key in keys:
                    raise ImportProblem(f"{name}, row {row}: it repeats a row that must be unique "
                                        f"(two rows with the same {' and '.join(constraint)}).")
                keys.add(key)
            if table.name == "medication":
                self.units[number] = values["unit"]
            batch.append((number, values))
            if len(batch) == BATCH:
                pickle.dump((table.name, batch), self.spool)
                batch = []
        if batch:
            pickle.dump((table.name, batch), self.spool)

    def checked_row(self, table: str, fields: dict, references: dict, name: str, row: int,
                    cells) -> tuple[int, dict]:
        """The row's number in its file and its values, each checked as its form checks it;
        a reference stays the number of the row it refers to."""
        values, number = {}, None
        for column, cell in cells:
            text = restored(cell).strip()
            try:
                if column == "id":
                    number = ROW_NUMBER.check(text)
                elif column in references:
                    values[column] = self.existing(references[column], ROW_NUMBER.check(text))
                else:
                    values[column] = fields[column].check(text, self.when)
            except Invalid as problem:
                raise ImportProblem(f"{name}, row {row}, column {column}: {problem}.") from None
        for rule in ROW_RULES.get(table, ()):
            if found := rule(values, self.when, self.units):
                column, problem = found
                raise ImportProblem(f"{name}, row {row}, column {column}: {problem}.")
        return number, values

    def existing(self, parent: str, number: int) -> int:
        if number not in self.numbers[parent]:
            raise Invalid(f"there is no row {number} in {parent}.csv")
        return number


def write_rows(session, spool, patient_id: int) -> dict[str, int]:
    """Insert the checked rows, many per INSERT, in one transaction: all of them or none."""
    tables = {table.name: table for table in patient_tables()}
    new_ids: dict[str, dict[int, int]] = {}  # table -> number in the file -> new id
    counts = dict.fromkeys(tables, 0)
    try:
        while batch := next_batch(spool):
            name, rows = batch
            table = tables[name]
            if name not in new_ids:  # the first batch of the next table
                forget_unreferenced(new_ids, list(tables.values())[list(tables).index(name):])
                new_ids[name] = {}
            references = references_of(table)
            for _, values in rows:
                for column, parent in references.items():
                    values[column] = new_ids[parent][values[column]]
                if "patient_id" in table.columns:
                    values["patient_id"] = patient_id
            # The ids are handed out in the order the rows are given (SQLite: each row gets the
            # next rowid; PostgreSQL: nextval per row), so the sorted ids match the rows.
            try:
                ids = sorted(session.execute(insert(table).returning(table.c.id),
                                             [values for _, values in rows]).scalars())
            except IntegrityError:  # the checks should have caught it; say so in words anyway
                raise ImportProblem(f"{name}.csv: a row does not fit the diary's rules.") from None
            new_ids[name].update(zip((number for number, _ in rows), ids))
            counts[name] += len(ids)
        bump_data_version(session, patient_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return counts


def forget_unreferenced(by_table: dict, tables_left: list[Table]) -> None:
    """Drop what was kept for tables that none of the tables still to come refers to: a long
    diary's numbers are held only as long as a child file may still need them."""
    needed = {parent for table in tables_left for parent in references_of(table).values()}
    for name in [name for name in by_table if name not in needed]:
        del by_table[name]


def next_batch(spool):
    try:
        return pickle.load(spool)  # our own file, written by Checker above
    except EOFError:
        return None


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
