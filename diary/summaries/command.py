"""`flask admin refresh-summaries`: compute the dashboard summaries that are missing or outdated."""

import click
from flask.cli import with_appcontext

from diary.admin import database
from diary.summaries.store import refresh_all


@click.command("refresh-summaries")
@with_appcontext
@click.option("--all", "every", is_flag=True, help="Recompute every summary, not only the outdated ones.")
def refresh_summaries_command(every):
    """Compute each patient's dashboard summary that is missing or outdated (the server also does
    this at every start, before it answers)."""
    count = refresh_all(database(), only_stale=not every)
    click.echo(f"{count} summar{'y' if count == 1 else 'ies'} computed.")
