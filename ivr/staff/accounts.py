"""Staff accounts: argon2 password hashes and the lockout after repeated wrong passwords."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cache

import phonenumbers
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import and_, case, func, or_, select, update

from ivr import audit
from ivr.extensions import db
from ivr.models import StaffUser, utcnow
from ivr.staff import passwords

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Checked when an unknown email is tried, so that it takes as long as a known one. Made on first use, not
    at import: a hash takes argon2's 64 MiB, which every web worker would otherwise hold at its peak."""
    return hasher.hash("not-a-real-password")


# A phone Call now may ring: mobiles, landlines, 03 and internet numbers, freephone; never premium or shared-cost.
STAFF_PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE, phonenumbers.PhoneNumberType.UAN,
    phonenumbers.PhoneNumberType.VOIP, phonenumbers.PhoneNumberType.TOLL_FREE,
}


class AccountError(ValueError):
    """An account cannot be made or changed, with a sentence saying why."""


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def check_password_rules(password: str, email: str) -> None:
    """Refuse a password that is short, common or breached, or built from the email or the service's name."""
    refused = passwords.problem(password, normalise_email(email))
    if refused is not None:
        raise AccountError(refused)


def normalise_phone(raw: str) -> str:
    """A UK phone number written any common way ('07400 123456', '+44 7400 123456', '(01332) 123456') in E.164."""
    shown = " ".join(raw.split())[:40]
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number_for_region(number, "GB"):
        raise AccountError(f"'{shown}' is not a UK phone number. Write it as you would dial it, e.g. 07400 123456.")
    if phonenumbers.number_type(number) not in STAFF_PHONE_TYPES:
        raise AccountError(f"'{shown}' is a premium-rate or shared-cost number: give a mobile or a landline.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


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
    check_password_rules(password, email)
    staff = StaffUser(email=email, password_hash=hasher.hash(password), role="admin" if admin else "staff")
    db.session.add(staff)
    db.session.flush()
    audit.record("staff.account_created", "staff_user", staff.id, {"role": staff.role})
    return staff


def password_matches(staff: StaffUser | None, password: str) -> bool:
    """Whether the password is right; upgrades the stored hash when argon2's settings have moved on.

    Without an account (or one that may not try now) a dummy hash is checked instead, so that every
    answer takes as long as checking a real password.
    """
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


def take_a_try(staff: StaffUser) -> int | None:
    """Count a login try before its password is checked; the count so far, or None if it may not try now.

    One atomic UPDATE ... RETURNING: however many tries arrive at once, on however many workers, no
    more are checked than the lockout allows. It may not try while locked, nor, after STAFF_SLOW_AFTER
    failures in a row, within STAFF_SLOW_SECONDS of the last. The try that reaches STAFF_LOCK_AFTER
    locks the account (a right password then clears it in note_success). The first try after a lock
    has ended starts the count afresh, so that one guess a lock period cannot keep an account locked for
    ever: its owner's right password, then, gets in. Commits.
    """
    config, now = current_app.config, utcnow()
    lock_ended = and_(StaffUser.locked_until.is_not(None), StaffUser.locked_until <= now)
    tries = case((lock_ended, 1), else_=StaffUser.failed_logins + 1)
    counted = db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == staff.id,
               or_(StaffUser.locked_until.is_(None), lock_ended),
               or_(lock_ended, StaffUser.failed_logins < config["STAFF_SLOW_AFTER"],
                   StaffUser.last_failed_login_at.is_(None),
                   StaffUser.last_failed_login_at <= now - timedelta(seconds=config["STAFF_SLOW_SECONDS"])))
        .values(failed_logins=tries, last_failed_login_at=now, locked_until=case(
            (tries >= config["STAFF_LOCK_AFTER"], now + timedelta(minutes=config["STAFF_LOCK_MINUTES"])),
            else_=None))
        .returning(StaffUser.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    db.session.commit()
    return counted


def note_failure(staff: StaffUser, tries: int) -> None:
    """Audit a wrong password (already counted by take_a_try), and the lockout it may have caused."""
    audit.record("staff.login_failed", "staff_user", staff.id, staff=staff)
    if tries >= current_app.config["STAFF_LOCK_AFTER"]:
        audit.record("staff.locked_out", "staff_user", staff.id, {"failed_logins": tries}, staff=staff)


def note_success(staff: StaffUser) -> None:
    """A good login clears the failure count."""
    staff.failed_logins, staff.locked_until, staff.last_login_at = 0, None, utcnow()


def end_sessions(staff: StaffUser) -> None:
    """End every session the account has (each carries its session version); the caller commits."""
    staff.session_version = StaffUser.session_version + 1


def unlock(staff: StaffUser) -> None:
    """Let a locked-out account try again now."""
    staff.failed_logins, staff.locked_until, staff.last_failed_login_at = 0, None, None
