"""Backups of a SQLite diary: a consistent copy taken while the server runs, and a careful restore.

Both use SQLite's online backup API, which copies page by page under SQLite's own locks, so a
backup never catches a half-written day and a running server never has to stop for it. Copying the
file with ``cp`` could: with WAL, recent commits live in ``diary.sqlite3-wal`` until a checkpoint.
PostgreSQL has its own tools (``pg_dump``); these functions refuse its URLs with a message.
"""

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url

from diary.config import user_name

BACKUP_PREFIX, BACKUP_SUFFIX = "diary-", ".sqlite3"
BEFORE_RESTORE = ".before-restore-"  # then a UTC time: the data a restore replaced, beside the database
POSTGRESQL_ADVICE = (
    "This diary uses PostgreSQL: back it up with pg_dump, e.g. "
    "`pg_dump --format=custom --file=diary.dump DBNAME`, and restore with pg_restore. "
    "The backup and restore commands only handle SQLite files.")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def sqlite_file(database_url: str) -> Path:
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        raise BackupError(POSTGRESQL_ADVICE)
    if not url.database or url.database == ":memory:":
        raise BackupError("The database is in memory: there is no file to back up.")
    return Path(url.database)


def check_integrity(connection: sqlite3.Connection, what: str) -> None:
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{what} is not a readable SQLite database ({error}).") from None
    if result != ["ok"]:
        raise BackupError(f"{what} is damaged: {'; '.join(result[:5])}")


def backup_name(now: datetime) -> str:
    """Names that sort by time, so pruning can keep the newest by name alone."""
    return f"{BACKUP_PREFIX}{now:%Y%m%d-%H%M%S}{BACKUP_SUFFIX}"


def backup(database: Path, target: Path, *, keep: int | None = None) -> tuple[Path, list[Path]]:
    """Copy ``database`` to ``target`` (a new file, or a folder to put a dated file in).

    With ``keep``, older dated backups in that folder beyond the newest ``keep`` are deleted.
    Returns the file written and the files deleted.
    """
    if not database.is_file():
        raise BackupError(f"There is no database at {database} yet.")
    if target.is_dir():
        target = target / backup_name(datetime.now(timezone.utc))
    elif keep is not None:
        raise BackupError("--keep needs a folder as the backup path, so dated backups can be kept "
                          f"apart; {target} is not one (to make it: install -d -m 700 {target}).")
    if target.exists():
        raise BackupError(f"{target} already exists; a backup never overwrites a file.")
    partial = target.with_name(target.name + ".partial")
    try:
        # Created 0600 before SQLite opens it: the copy holds health data.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    except OSError as error:
        raise BackupError(f"{target} cannot be written ({error.strerror}): check that its folder "
                          f"exists and user {user_name()} may write in it.") from None
    source = sqlite3.connect(f"file:{database}?mode=rw", uri=True)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        check_integrity(copy, "The new backup")
    except sqlite3.Error as error:  # a full disk, most likely; nothing half-written is left
        copy.close()
        partial.unlink(missing_ok=True)
        raise BackupError(f"The backup to {target} failed: {error}.") from None
    except BaseException:
        copy.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    copy.close()
    os.replace(partial, target)  # a backup file is complete or absent, never half written
    removed = prune(target.parent, f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}", keep) if keep is not None else []
    return target, removed


def prune(folder: Path, pattern: str, keep: int) -> list[Path]:
    """Delete files named by ``pattern`` in ``folder`` beyond the newest ``keep``, by name.

    Only names that sort by time are given here; other files are left alone.
    """
    dated = sorted(path for path in folder.glob(pattern) if path.is_file())
    old = dated[:-keep] if keep > 0 else dated
    for path in old:
        path.unlink()
    return old


# Tables whose rows nobody would miss: Alembic's revision, and counts of failed attempts.
NOT_DATA = ("alembic_version", "rate_limit_count")


def holds_data(connection: sqlite3.Connection) -> bool:
    """True when any other table has a row: restoring over it would lose something."""
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if row[0] not in NOT_DATA]
    return any(connection.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]
               for table in tables)


def backup_revision(backup_file: Path) -> str:
    """Check a backup file before it goes anywhere near the live database; its schema revision."""
    if not backup_file.is_file():
        raise BackupError(f"There is no backup file at {backup_file}.")
    connection = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        check_integrity(connection, str(backup_file))
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            row = None
    finally:
        connection.close()
    if row is None:
        raise BackupError(f"{backup_file} is not a backup of this diary (it has no schema version).")
    return row[0]


def restore(backup_file: Path, database: Path, *, force: bool = False,
            keep: int = 2) -> tuple[Path | None, list[Path]]:
    """Replace ``database`` with a checked backup; refuses to overwrite data unless ``force``.

    With ``force`` the data being replaced is first saved beside the database, and only the newest
    ``keep`` such copies stay (they hold health data too). Returns the copy saved and the older
    copies deleted. The schema stays the backup's: the diary migrates it when it starts, and
    undoing an upgrade needs it left as it was (README "Undo an upgrade").
    """
    backup_revision(backup_file)
    saved = None
    if database.is_file():
        with sqlite3.connect(database) as existing:
            occupied = holds_data(existing)
        existing.close()
        if occupied and not force:
            raise BackupError(f"{database} already holds accounts or diary days. Restoring would "
                              "replace them; add --force to do it anyway (they are saved first).")
        if occupied:
            stamp = datetime.now(timezone.utc)
            # Not named like a dated backup, so pruning a backup folder never deletes it.
            saved, _ = backup(database, database.with_name(
                f"{database.name}{BEFORE_RESTORE}{stamp:%Y%m%d-%H%M%S}"))
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    target = sqlite3.connect(database)
    try:
        source.backup(target)
        check_integrity(target, "The restored database")
    finally:
        source.close()
        target.close()
    removed = prune(database.parent, f"{database.name}{BEFORE_RESTORE}*", keep) if saved else []
    return saved, removed
