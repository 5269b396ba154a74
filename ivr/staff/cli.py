"""`flask staff ...`: make, list, disable, enable and unlock dashboard accounts, with one-line errors."""

from __future__ import annotations

import sys
from functools import wraps

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ivr import audit
from ivr.clock import as_utc, london
from ivr.extensions import db
from ivr.models import StaffUser, utcnow
from ivr.staff.accounts import (
    EMAIL,
    AccountError,
    check_password_rules,
    create,
    end_sessions,
    find,
    hasher,
    normalise_email,
    normalise_phone,
    unlock,
)
from ivr.staff.phone_check import trust

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
    if not active:
        end_sessions(staff)  # enabling it again later does not bring them back
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
    check_password_rules(password, staff.email)
    staff.password_hash = hasher.hash(password)
    unlock(staff)
    end_sessions(staff)  # whoever knew the old password is logged out too
    audit.record("staff.password_set", "staff_user", staff.id)
    db.session.commit()
    click.echo(f"Set a new password for {staff.email}.")


@staff_cli.command("set-phone")
@click.argument("email")
@click.argument("number")
@_database_errors
def set_phone_command(email: str, number: str) -> None:
    """Set the phone Call now rings for this account (a UK number, written any common way): verified at once."""
    staff = _account(email)
    trust(staff, normalise_phone(number))  # an admin at the server is trusted: no code to enter
    db.session.commit()
    click.echo(f"Call now will ring {staff.email} on {staff.phone_number}.")
