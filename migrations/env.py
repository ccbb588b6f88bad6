"""Alembic environment: the target is SQLModel's metadata; the engine comes from the diary.

``diary.db.upgrade`` passes its engine in ``config.attributes``. Run from the command line
(``alembic -c migrations/alembic.ini revision --autogenerate -m "..."``) it builds the engine
from the DIARY_* settings, as the app does.
"""

from alembic import context

import diary.models  # noqa: F401  (registers every table on the metadata)
from sqlmodel import SQLModel

config = context.config
target_metadata = SQLModel.metadata


def engine_from_settings():
    from diary import create_app

    return create_app().extensions["diary_engine"]


def refuse_empty_revisions(context, revision, directives):
    if config.cmd_opts and getattr(config.cmd_opts, "autogenerate", False):
        if directives[0].upgrade_ops.is_empty():
            directives[:] = []
            print("No changes in the models: no migration written.")


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or engine_from_settings()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode copies a table and drops the old one; with foreign keys on, SQLite's DROP
            # TABLE first deletes every row, and ON DELETE CASCADE empties the child tables too
            # (revision 0005 did that to every diary day). So they are off while migrating (they
            # can only change outside a transaction), checked before the commit, and on again.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
            compare_type=True,
            process_revision_directives=refuse_empty_revisions,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"The migration left rows without their parent: {broken[:5]}")
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations_online()
