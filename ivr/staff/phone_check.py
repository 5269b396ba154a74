"""Verifying the phone Call now rings: a 6-digit code texted to it, entered within 10 minutes, 5 tries at most.

Only a keyed hash of the code is kept (HMAC with the app's secret key, over the account, the number and
the code), so the database alone cannot give it back: a million codes are quick to try against a plain hash.
Until the code is entered the phone is unverified and Call now refuses to ring it. An admin at the server
(`flask staff set-phone`) is trusted and verifies the number at once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

import phonenumbers
from flask import current_app
from sqlalchemy import func, select, update

from ivr import audit, twilio_api
from ivr.clock import as_utc
from ivr.extensions import db
from ivr.models import AuditEvent, StaffUser, utcnow
from ivr.staff.accounts import password_matches, take_a_try

log = logging.getLogger(__name__)

CODE_MINUTES = 10
CODE_TRIES = 5
CODES_A_DAY = 5  # texts cost money and can be aimed: a few codes a day are plenty for one account
CODE_DIGITS = 6
NOT_A_MOBILE = ("A code is texted to check the number, so give a mobile. For a landline, ask an admin to set it "
                "for you (flask staff set-phone).")


class PhoneCheckRefused(Exception):
    """The phone could not be changed or verified; the message says why, in words staff can act on."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason  # a short code for the audit log


def code_hash(staff: StaffUser, number: str, code: str) -> str:
    """The keyed hash kept in place of a code: it only matches for this account and this number."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{staff.id}:{number}:{code}".encode(), hashlib.sha256).hexdigest()


def can_take_texts(number: str) -> bool:
    """Whether a UK number (E.164) is a mobile, which a code can be texted to."""
    parsed = phonenumbers.parse(number, "GB")
    return phonenumbers.number_type(parsed) in {phonenumbers.PhoneNumberType.MOBILE,
                                                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _forget_code(staff: StaffUser) -> None:
    staff.phone_code_hash, staff.phone_code_sent_at, staff.phone_code_tries = None, None, 0


def password_confirmed(staff: StaffUser, password: str) -> bool:
    """Whether the logged-in member of staff typed their password right, counted as a login try is.

    A wrong one counts towards the account's lockout (take_a_try), so a stolen session cannot guess it.
    """
    tries = take_a_try(staff)
    if password_matches(staff if tries is not None else None, password):
        staff.failed_logins = 0  # as a good login does; not a login, so last_login_at stays
        return True
    audit.record("staff.phone_change_refused", "staff_user", staff.id,
                 {"reason": "wrong_password" if tries is not None else "must_wait"})
    db.session.commit()
    return False


def trust(staff: StaffUser, number: str) -> None:
    """Set a number an admin gave at the server: verified at once. Audited (masked); the caller commits."""
    staff.phone_number, staff.phone_verified_at = number, utcnow()
    _forget_code(staff)
    audit.record("staff.phone_set", "staff_user", staff.id,
                 {"phone": audit.masked(number), "verified": "by an admin at the server"})


def remove(staff: StaffUser) -> None:
    """Take the phone off the account. Audited; the caller commits."""
    staff.phone_number, staff.phone_verified_at = None, None
    _forget_code(staff)
    audit.record("staff.phone_removed", "staff_user", staff.id)


def codes_sent_today(staff: StaffUser) -> int:
    """How many codes were texted for this account in the last 24 hours (from the audit log)."""
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "staff.phone_code_sent", AuditEvent.subject_id == staff.id,
        AuditEvent.subject_type == "staff_user", AuditEvent.at > utcnow() - timedelta(hours=24))) or 0


def change(staff: StaffUser, number: str) -> None:
    """Put a new number on the account, unverified, and text it a code. Audited (masked); commits.

    Raises PhoneCheckRefused when the number cannot take a text, too many codes were sent today, or
    Twilio did not take the text (the number is then kept, unverified: a new code can be asked for).
    """
    if not can_take_texts(number):
        raise PhoneCheckRefused(NOT_A_MOBILE, "not_a_mobile")
    if codes_sent_today(staff) >= CODES_A_DAY:
        audit.record("staff.phone_code_refused", "staff_user", staff.id, {"reason": "too_many_today"})
        db.session.commit()
        raise PhoneCheckRefused(f"{CODES_A_DAY} codes have been sent for your account today, which is the most "
                                "we send. Try again tomorrow, or ask an admin to set your number.", "too_many_today")
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    staff.phone_number, staff.phone_verified_at = number, None
    staff.phone_code_hash, staff.phone_code_sent_at = code_hash(staff, number, code), utcnow()
    staff.phone_code_tries = 0
    audit.record("staff.phone_set", "staff_user", staff.id, {"phone": audit.masked(number), "verified": "no"})
    db.session.commit()  # no transaction stays open while Twilio answers
    problem = _text(number, code)
    if problem is not None:
        _forget_code(staff)  # a code nobody received must not be guessable
        audit.record("staff.phone_code_not_sent", "staff_user", staff.id, {"reason": problem})
        db.session.commit()
        raise PhoneCheckRefused("Your number is saved, but the code could not be texted to it just now, so it is "
                                "not verified yet. Save it again in a minute to be sent a new code.", problem)
    audit.record("staff.phone_code_sent", "staff_user", staff.id, {"phone": audit.masked(number)})
    db.session.commit()


def _text(number: str, code: str) -> str | None:
    """Text the code through twilio's Client; None once Twilio took it, else a short reason."""
    from requests.exceptions import RequestException
    from twilio.base.exceptions import TwilioException, TwilioRestException

    config = current_app.config
    sender = ({"messaging_service_sid": config["TWILIO_MESSAGING_SERVICE_SID"]}
              if config["TWILIO_MESSAGING_SERVICE_SID"] else {"from_": config["TWILIO_PHONE_NUMBER"]})
    body = (f"Your code for the staff dashboard's Call now is {code}. It works for {CODE_MINUTES} minutes. "
            "If you did not ask for it, tell your system administrator.")
    try:
        twilio_api.client().messages.create(to=number, body=body, **sender)
    except twilio_api.TwilioNotConfigured:
        log.warning("a staff phone's code was not sent: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
        return "twilio_not_configured"
    except TwilioRestException as error:
        log.warning("Twilio did not take a staff phone's code: HTTP %s, error %s", error.status, error.code)
        return f"twilio_{error.code or error.status}"
    except (TwilioException, RequestException, OSError) as error:
        log.warning("Twilio could not be reached to send a staff phone's code (%s)", type(error).__name__)
        return "twilio_unreachable"
    return None


def enter(staff: StaffUser, code: str) -> None:
    """Check a code typed in; verifies the phone if it is right. Audited; commits.

    Each try is counted in one atomic UPDATE before the code is compared, so tries sent at once on
    several workers cannot get past CODE_TRIES. Raises PhoneCheckRefused saying why a code was not taken.
    """
    now = utcnow()
    if staff.phone_code_hash is None or staff.phone_code_sent_at is None:
        raise PhoneCheckRefused("There is no code waiting for your phone. Save your number again to be sent one.",
                                "no_code")
    if now - as_utc(staff.phone_code_sent_at) > timedelta(minutes=CODE_MINUTES):
        _forget_code(staff)
        audit.record("staff.phone_code_refused", "staff_user", staff.id, {"reason": "expired"})
        db.session.commit()
        raise PhoneCheckRefused(f"That code has expired: a code works for {CODE_MINUTES} minutes. Save your "
                                "number again to be sent a new one.", "expired")
    counted = db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == staff.id, StaffUser.phone_code_hash.is_not(None),
               StaffUser.phone_code_tries < CODE_TRIES)
        .values(phone_code_tries=StaffUser.phone_code_tries + 1)
        .returning(StaffUser.phone_code_tries, StaffUser.phone_code_hash)
        .execution_options(synchronize_session=False)
    ).first()
    if counted is None:  # another try used the last one meanwhile
        db.session.commit()
        raise PhoneCheckRefused("That code no longer works. Save your number again to be sent a new one.", "ended")
    tries, kept = counted
    db.session.expire(staff, ["phone_code_tries"])  # the UPDATE moved it on behind the session's back
    if hmac.compare_digest(kept, code_hash(staff, staff.phone_number or "", code)):
        staff.phone_verified_at = now
        _forget_code(staff)
        audit.record("staff.phone_verified", "staff_user", staff.id, {"phone": audit.masked(staff.phone_number)})
        db.session.commit()
        return
    if tries >= CODE_TRIES:
        _forget_code(staff)
        audit.record("staff.phone_code_refused", "staff_user", staff.id, {"reason": "too_many_tries", "tries": tries})
        db.session.commit()
        raise PhoneCheckRefused(f"That code is not right, and that was the last of {CODE_TRIES} tries, so it no longer "
                                "works. Save your number again to be sent a new one.", "too_many_tries")
    audit.record("staff.phone_code_refused", "staff_user", staff.id, {"reason": "wrong", "tries": tries})
    db.session.commit()
    left = CODE_TRIES - tries
    raise PhoneCheckRefused(f"That code is not right. You have {left} {'try' if left == 1 else 'tries'} left.",
                            "wrong")
