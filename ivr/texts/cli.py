"""`flask outbox send` (every minute from cron) and `flask outbox status` (for monitoring): text receipts."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from ivr.models import TextStatus
from ivr.texts import outbox
from ivr.texts.sender import send_due


def register(app: Flask) -> None:
    """Add the commands to `flask`."""
    app.cli.add_command(outbox_group)


def _texts(count: int) -> str:
    return "1 text" if count == 1 else f"{count} texts"


@click.group("outbox")
def outbox_group() -> None:
    """Text receipts: send those due, and report any that are late or not arriving."""


@outbox_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send every text receipt that is due: new ones the app could not send, and retries whose time has come."""
    outcomes = send_due()
    accepted = sum(count for status, count in outcomes.items()
                   if status not in (None, TextStatus.WAITING, TextStatus.FAILED))
    click.echo(f"Twilio took {_texts(accepted)}; {_texts(outcomes[TextStatus.WAITING])} to try again later; "
               f"{_texts(outcomes[TextStatus.FAILED])} failed for good.")


@outbox_group.command("status")
@with_appcontext
def status_command() -> None:
    """Exit 1 while a text has waited over 10 minutes to go, or failed for a referral staff have not yet worked."""
    report = outbox.overdue()
    if not (report.waiting or report.not_arriving):
        click.echo("No text receipt is late or failing.")
        return
    if report.waiting:
        click.echo(f"{_texts(report.waiting)} waited more than 10 minutes to be sent, the oldest since "
                   f"{report.waiting_since:%Y-%m-%d %H:%M} UTC: is Twilio reachable, and is "
                   "`flask --app wsgi outbox send` running every minute?")
    if report.not_arriving:
        click.echo(f"{_texts(report.not_arriving)} failed or could not be delivered, for referrals still new: "
                   "their callers may not have their reference (staff see it on the referral).")
    raise SystemExit(1)
