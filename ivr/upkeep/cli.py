"""Keeping the line's data sound: `flask spool status|replay` after a database fault, `flask retention purge|report`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ivr.extensions import current_line
from ivr.upkeep import replay, retention, spool


def _purged() -> str:
    return (f"`flask --app wsgi retention purge` deletes dead-letter entries after "
            f"{current_app.config['RETENTION_INCOMPLETE_DAYS']} days.")


def register(app: Flask) -> None:
    """Add the commands to `flask`."""
    app.cli.add_command(spool_group)
    app.cli.add_command(retention_group)


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
    kept = counts["failed"] - counts["dead"]
    if kept:
        click.echo(f"{kept} could not be replayed and are kept for the next run; see the log.", err=True)
    if counts["dead"]:
        click.echo(f"{counts['dead']} could not be replayed {current_app.config['SPOOL_MAX_REPLAYS']} times and "
                   f"moved to the dead-letter folder {spool.dead_letter_dir()}; see the log. {_purged()}", err=True)
    if counts["failed"]:
        raise SystemExit(1)


@spool_group.command("status")
@with_appcontext
def status_command() -> None:
    """How many spooled webhooks wait for a replay; exits 1 when any do, for monitoring to alert on."""
    waiting, dead = spool.waiting(with_since=True), spool.dead_letters()
    if not waiting.events:
        click.echo("Nothing is waiting in the spool.")
    else:
        since = f", the oldest since {waiting.since:%Y-%m-%d %H:%M} UTC" if waiting.since else ""
        events = "1 call event waits" if waiting.events == 1 else f"{waiting.events} call events wait"
        files = "1 spool file" if waiting.files == 1 else f"{waiting.files} spool files"
        click.echo(f"{events} in {files}{since}: run `flask --app wsgi spool replay` once the database is "
                   "reachable.")
    if dead.events:
        events = "1 call event" if dead.events == 1 else f"{dead.events} call events"
        since = f" (the oldest from {dead.since:%Y-%m-%d %H:%M} UTC)" if dead.since else ""
        click.echo(f"{events} could not be replayed after {current_app.config['SPOOL_MAX_REPLAYS']} tries{since} "
                   f"and {'is' if dead.events == 1 else 'are'} in {spool.dead_letter_dir()}: the log says why, "
                   f"and staff may need to call back. {_purged()}")
    if waiting.events or dead.events:
        raise SystemExit(1)


@click.group("retention")
def retention_group() -> None:
    """Deleting what the service no longer needs to keep."""


@retention_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would go, and change nothing.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete expired incomplete and closed referrals and enquiries, their recordings and texts at Twilio; scrub
    their calls' personal data. Exits 1 when Twilio would not delete a recording or text (kept for the next run)."""
    counts = retention.purge(dry_run=dry_run)
    config = current_app.config
    click.echo(
        f"{'Would delete' if dry_run else 'Deleted'}: "
        f"{counts['referrals_incomplete']} incomplete and {counts['referrals_closed']} closed referrals, "
        f"{counts['enquiries_incomplete']} incomplete and {counts['enquiries_closed']} closed enquiries, "
        f"{counts['spool_files']} old spool files (replayed or dead-letter); "
        f"{'would scrub' if dry_run else 'scrubbed'} the personal data of {counts['calls_scrubbed']} calls "
        f"(incomplete after {config['RETENTION_INCOMPLETE_DAYS']} days, "
        f"closed after {config['RETENTION_CLOSED_DAYS']} days); "
        f"{'would delete' if dry_run else 'deleted'} {counts['recordings_deleted']} recordings at Twilio, and "
        f"{counts['texts_deleted']} texts at Twilio, with {counts['transcriptions_deleted']} transcripts of messages."
    )
    open_kept = counts["open_referrals_past_retention"] + counts["open_enquiries_past_retention"]
    urgent_kept = counts["urgent_referrals_not_worked"] + counts["urgent_enquiries_not_worked"]
    if open_kept or urgent_kept:
        click.echo(f"Kept, for staff: {counts['open_referrals_past_retention']} open referrals and "
                   f"{counts['open_enquiries_past_retention']} open enquiries older than "
                   f"{config['RETENTION_CLOSED_DAYS']} days, and {counts['urgent_referrals_not_worked']} urgent "
                   f"referrals and {counts['urgent_enquiries_not_worked']} urgent enquiries left incomplete that no "
                   "one has worked: `flask --app wsgi retention report` lists them.")
    if counts["recordings_not_deleted"]:
        click.echo(f"Recordings not deleted: {counts['recordings_not_deleted']} (Twilio would not delete them; "
                   "their SIDs are kept, with any referral or enquiry, and the next purge tries again; see the log).",
                   err=True)
    if counts["texts_not_deleted"]:
        click.echo(f"Texts not deleted: {counts['texts_not_deleted']} (still being sent, or Twilio would not delete "
                   "them yet; their referrals are kept, and the next purge tries again; see the log).", err=True)
    if counts["transcriptions_not_deleted"]:
        click.echo(f"Transcripts not deleted: {counts['transcriptions_not_deleted']} (Twilio would not delete them; "
                   "their enquiries are kept, and the next purge tries again; see the log).", err=True)
    if counts["recordings_not_deleted"] or counts["texts_not_deleted"] or counts["transcriptions_not_deleted"]:
        raise SystemExit(1)


WHY = {"open": "open, not yet closed by staff", "urgent_not_worked": "urgent, incomplete, not yet worked by staff"}


@retention_group.command("report")
@with_appcontext
def report_command() -> None:
    """List what the purge keeps past retention (ids, status, age; nothing personal); exits 1 when anything is."""
    records = retention.report()
    config = current_app.config
    if not records:
        click.echo("Nothing is kept past retention.")
        return
    click.echo(f"Kept past retention ({len(records)}): open referrals and enquiries older than "
               f"{config['RETENTION_CLOSED_DAYS']} days, and urgent referrals and enquiries left incomplete over "
               f"{config['RETENTION_INCOMPLETE_DAYS']} days ago that no one has worked. The purge never deletes "
               "them: staff should work or close them.")
    click.echo(f"{'kind':<9} {'id':>8}  {'status':<18} {'age (days)':>10}  {'urgent':<6}  why")
    for record in records:
        click.echo(f"{record.kind:<9} {record.id:>8}  {record.status:<18} {record.age_days:>10}  "
                   f"{'yes' if record.urgent else 'no':<6}  {WHY[record.why]}")
    raise SystemExit(1)
