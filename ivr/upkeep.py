"""Keeping the line's data sound: `flask spool replay` after a database fault, `flask retention purge`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from ivr import replay
from ivr.line import current_line


def register(app: Flask) -> None:
    """Add the commands to `flask`."""
    app.cli.add_command(spool_group)


@click.group("spool")
def spool_group() -> None:
    """What callers gave while the database could not be reached."""


@spool_group.command("replay")
@with_appcontext
def replay_command() -> None:
    """Load the spooled answers into the database, once; safe to run again."""
    counts = replay.replay(current_line())
    click.echo(
        f"Replayed {counts['entries'] - counts['failed']} of {counts['entries']} spooled webhooks "
        f"({counts['calls']} calls, now marked as interrupted)."
    )
    if counts["failed"]:
        click.echo(f"{counts['failed']} could not be replayed and are kept for the next run; see the log.",
                   err=True)
        raise SystemExit(1)
