"""Staff accounts: argon2 password hashes and the lockout after repeated wrong passwords."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select

from ivr import audit
from ivr.clock import as_utc
from ivr.extensions import db
from ivr.models import StaffUser, utcnow

MIN_PASSWORD_LENGTH = 12
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Checked when an unknown email is tried, so that it takes as long as a known one. Made on first use, not
    at import: a hash takes argon2's 64 MiB, which every web worker would otherwise hold at its peak."""
    return hasher.hash("not-a-real-password")


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
            hasher.verify(_dummy_hash(), password)
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
