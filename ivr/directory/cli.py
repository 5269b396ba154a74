"""`flask practices import PATH [--if-empty]`: load or refresh the GP practice directory."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ivr.directory.store import import_practices, read_practices
from ivr.extensions import db
from ivr.models import Practice

cli = AppGroup("practices", help="The GP practice directory.")


@cli.command("import")
@click.argument("path")
@click.option("--if-empty", is_flag=True, help="Do nothing if the directory already has practices.")
def import_command(path: str, if_empty: bool) -> None:
    """Load or refresh the directory from an ODS practice file (see data/README.md)."""
    try:
        held = db.session.scalar(select(func.count(Practice.ods_code)))
        if if_empty and held:
            click.echo(f"The directory already has {held} practices; nothing imported.")
            return
        counts = import_practices(read_practices(path))
        active = db.session.scalar(select(func.count(Practice.ods_code)).where(Practice.active))
    except SQLAlchemyError as error:
        db.session.rollback()
        message = str(error.orig if getattr(error, "orig", None) else error).splitlines()[0]
        hint = " (has `flask db upgrade` been run?)" if "practices" in message and "table" in message else ""
        raise click.ClickException(f"could not update the practice directory: {message}{hint}") from None
    click.echo(
        f"Imported {Path(path).name}: {counts['added']} added, {counts['updated']} updated, "
        f"{counts['made inactive']} made inactive; {active} practices active."
    )
