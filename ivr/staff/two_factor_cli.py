"""`flask staff reset-2fa EMAIL`: an admin at the server makes an account enrol its authenticator again."""

from __future__ import annotations

import click

from ivr import audit
from ivr.extensions import db
from ivr.staff import two_factor
from ivr.staff.accounts import end_sessions
from ivr.staff.cli import _account, _database_errors, staff_cli


@staff_cli.command("reset-2fa")
@click.argument("email")
@_database_errors
def reset_two_factor_command(email: str) -> None:
    """Forget an account's authenticator app and recovery codes (a lost phone); it sets up a new one at its
    next login, and any session it has ends now."""
    staff = _account(email)
    had = two_factor.enrolled(staff)
    two_factor.reset(staff)
    end_sessions(staff)  # whoever holds the lost phone and a live session is logged out too
    audit.record("staff.two_factor_reset", "staff_user", staff.id, {"was_enrolled": had})
    db.session.commit()
    click.echo(f"Reset the authenticator for {staff.email}: it sets up a new one at its next login."
               if had else f"{staff.email} had no authenticator set up; it sets one up at its next login.")
