"""Staff accounts: argon2 password hashes, login lockout, and the `flask staff` commands."""

from __future__ import annotations

import re
import sys
from datetime import datetime, timedelta

import click
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ivr import audit
from ivr.extensions import db
from ivr.models import StaffUser, utcnow
from ivr.staff.display import as_utc, london

MIN_PASSWORD_LENGTH = 12
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
hasher = PasswordHasher()
# Checked when an unknown email is tried, so that it takes as long as a known one.
_DUMMY_HASH = hasher.hash("not-a-real-password")


class AccountError(ValueError):
    """An account cannot be made or changed, with a sentence saying why."""


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    """Refuse a password that is too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")


def find(email: str) -> StaffUser | None:
    """The account with this email, if any."""
    return db.session.scalars(
        select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email))
    ).first()


def create(email: str, password: str, admin: bool = False) -> StaffUser:
    """Make a new account; the caller commits."""
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise AccountError(f"'{email}' is not an email address.")
    if find(email) is not None:
        raise AccountError(f"An account for {email} already exists.")
    check_password_rules(password)
    staff = StaffUser(email=email, password_hash=hasher.hash(password), role="admin" if admin else "staff")
    db.session.add(staff)
    db.session.flush()
    audit.record("staff.account_created", "staff_user", staff.id, {"role": staff.role})
    return staff


def password_matches(staff: StaffUser | None, password: str) -> bool:
    """Whether the password is right; upgrades the stored hash when argon2's settings have moved on."""
    if staff is None:
        try:
            hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return False
    try:
        hasher.verify(staff.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(staff.password_hash):
        staff.password_hash = hasher.hash(password)
    return True


def login_refusal(staff: StaffUser, now: datetime | None = None) -> str | None:
    """Why this account may not try a password right now, or None when it may."""
    now = now or utcnow()
    config = current_app.config
    if staff.locked_until is not None and as_utc(staff.locked_until) > now:
        minutes = int((as_utc(staff.locked_until) - now).total_seconds() // 60) + 1
        return (f"This account is locked after too many wrong passwords. Try again in {minutes} "
                f"minute{'s' if minutes > 1 else ''}, or ask an admin to unlock it.")
    if staff.failed_logins >= config["STAFF_SLOW_AFTER"] and staff.last_failed_login_at is not None:
        ready = as_utc(staff.last_failed_login_at) + timedelta(seconds=config["STAFF_SLOW_SECONDS"])
        if ready > now:
            wait = int((ready - now).total_seconds()) + 1
            return f"Too many wrong passwords. Wait {wait} seconds, then try again."
    return None


def note_failure(staff: StaffUser) -> None:
    """Count a wrong password; enough of them in a row lock the account for a while."""
    config = current_app.config
    staff.failed_logins += 1
    staff.last_failed_login_at = utcnow()
    if staff.failed_logins >= config["STAFF_LOCK_AFTER"]:
        staff.locked_until = utcnow() + timedelta(minutes=config["STAFF_LOCK_MINUTES"])
        audit.record("staff.locked_out", "staff_user", staff.id, {"failed_logins": staff.failed_logins},
                     staff=staff)


def note_success(staff: StaffUser) -> None:
    """A good login clears the failure count."""
    staff.failed_logins, staff.locked_until, staff.last_login_at = 0, None, utcnow()


def unlock(staff: StaffUser) -> None:
    """Let a locked-out account try again now."""
    staff.failed_logins, staff.locked_until, staff.last_failed_login_at = 0, None, None


# ---- flask staff ... ----

staff_cli = AppGroup("staff", help="Staff dashboard accounts.")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _read_password() -> str:
    if _interactive():
        return click.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password")
    return sys.stdin.readline().rstrip("\r\n")  # piped in, e.g. from a secrets manager


def _account(email: str) -> StaffUser:
    staff = find(email)
    if staff is None:
        raise click.ClickException(f"There is no account for {normalise_email(email)}.")
    return staff


def _database_errors(command):
    """Turn database and account errors into one clear line instead of a traceback."""
    from functools import wraps

    @wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except AccountError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        except SQLAlchemyError as error:
            db.session.rollback()
            raise click.ClickException(
                f"The database could not be used ({type(error).__name__}); "
                "check DATABASE_URL and run `flask --app wsgi db upgrade`."
            ) from None
    return run


@staff_cli.command("create")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Also manages accounts and reads the audit log.")
@_database_errors
def create_command(email: str, admin: bool) -> None:
    """Make an account; asks for the password twice, or reads one line from stdin when piped."""
    if not EMAIL.match(normalise_email(email)):
        raise AccountError(f"'{email.strip()}' is not an email address.")
    if find(email) is not None:
        raise AccountError(f"An account for {normalise_email(email)} already exists.")
    staff = create(email, _read_password(), admin=admin)
    db.session.commit()
    click.echo(f"Created {staff.role} account {staff.email}.")


@staff_cli.command("list")
@_database_errors
def list_command() -> None:
    """Every account, its role, whether it can log in, and its last login."""
    accounts = db.session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    if not accounts:
        click.echo("No staff accounts yet. Make one with: flask --app wsgi staff create EMAIL --admin")
    for staff in accounts:
        state = "active" if staff.active else "disabled"
        if staff.locked_until is not None and as_utc(staff.locked_until) > utcnow():
            state += ", locked"
        last = london(staff.last_login_at).strftime("%d %b %Y %H:%M") if staff.last_login_at else "never"
        click.echo(f"{staff.email:40} {staff.role:6} {state:17} last login {last}")


def _set_active(email: str, active: bool) -> None:
    staff = _account(email)
    staff.active = active
    audit.record("staff.account_enabled" if active else "staff.account_disabled", "staff_user", staff.id)
    db.session.commit()
    click.echo(f"{'Enabled' if active else 'Disabled'} {staff.email}.")


@staff_cli.command("disable")
@click.argument("email")
@_database_errors
def disable_command(email: str) -> None:
    """Stop an account logging in; any session it has ends at its next request."""
    _set_active(email, False)


@staff_cli.command("enable")
@click.argument("email")
@_database_errors
def enable_command(email: str) -> None:
    """Let a disabled account log in again."""
    _set_active(email, True)


@staff_cli.command("unlock")
@click.argument("email")
@_database_errors
def unlock_command(email: str) -> None:
    """Clear a lockout after too many wrong passwords."""
    staff = _account(email)
    unlock(staff)
    audit.record("staff.account_unlocked", "staff_user", staff.id)
    db.session.commit()
    click.echo(f"Unlocked {staff.email}.")


@staff_cli.command("set-password")
@click.argument("email")
@_database_errors
def set_password_command(email: str) -> None:
    """Give an account a new password (asked twice, or one line from stdin)."""
    staff = _account(email)
    password = _read_password()
    check_password_rules(password)
    staff.password_hash = hasher.hash(password)
    unlock(staff)
    audit.record("staff.password_set", "staff_user", staff.id)
    db.session.commit()
    click.echo(f"Set a new password for {staff.email}.")
