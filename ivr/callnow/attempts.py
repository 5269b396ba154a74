"""Start a call-now attempt through Twilio's REST API, take its one-time token, and log how the call ended."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from twilio.base.exceptions import TwilioRestException

from ivr import audit, twilio_api
from ivr.callflow.numbers import is_callable_uk
from ivr.clock import as_utc
from ivr.extensions import current_line, db
from ivr.models import DIAL_OUTCOMES, CallbackAttempt, CallNowAttempt, Enquiry, Referral, StaffUser, token_hash, utcnow

# The bridge's token works once, and only for this long after the button was pressed.
TOKEN_MINUTES = 5
# How long the staff member's phone rings before Twilio gives up (its `Timeout`).
RING_SECONDS = 30
UNVERIFIED = ("Your phone number is not verified yet, so Call now will not ring it. On My account, enter the code "
              "we texted to it, or save it again to be sent a new one.")
SETTINGS_HELP = "Tell the system administrator; meanwhile, ring them from a service phone."
# Twilio's error codes (https://www.twilio.com/docs/api/errors), in words staff can act on.
TWILIO_REFUSALS = {
    (21211, 21214, 21217, 21401, 21407, 13224): "Twilio would not ring your phone number. "
                                                "Check it on My account.",
    (21210, 21212, 21606, 21213): "Twilio would not call from the number we call callers from (numbers: team "
                                  "in prompts/settings.yaml): it must be a number on the Twilio account or a "
                                  "verified caller ID. " + SETTINGS_HELP,
    (21215, 21216, 13227): "The Twilio account is not allowed to call your number. " + SETTINGS_HELP,
    (20003, 20005): "Twilio refused the app's account details. " + SETTINGS_HELP,
}

Record = Referral | Enquiry


class CallNowRefused(Exception):
    """Call now could not start; the message says why, in words staff can act on."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason  # a short code for the audit log


def start(record: Record, staff: StaffUser) -> CallNowAttempt:
    """Ring the staff member's phone from the number we call callers from; answering fetches the bridge. Audited;
    commits."""
    try:
        attempt = _ring(record, staff)
    except CallNowRefused as refusal:
        db.session.rollback()  # a call Twilio never placed leaves no attempt, only the audit event
        audit.record(f"{record.kind}.call_now_refused", record.kind, record.id, {"reason": refusal.reason},
                     staff=staff)
        db.session.commit()
        raise
    audit.record(f"{record.kind}.call_now_started", record.kind, record.id,
                 {"attempt_id": attempt.id, "staff_phone": audit.masked(staff.phone_number)}, staff=staff)
    db.session.commit()
    return attempt


def refusal(record: Record, staff: StaffUser) -> CallNowRefused | None:
    """Why Call now cannot ring for this record and member of staff, before asking Twilio; None if it can."""
    if not record.callback_number:
        return CallNowRefused(f"This {record.kind} has no callback number, so Call now cannot ring them.",
                              "no_callback_number")
    if not staff.phone_number:
        return CallNowRefused("Your account has no phone number for Call now to ring. Add it on My account.",
                              "no_staff_phone")
    if not staff.phone_verified:
        return CallNowRefused(UNVERIFIED, "staff_phone_unverified")
    # Twilio would ring anything, at the service's cost and showing its number: only ordinary UK numbers.
    if not is_callable_uk(record.callback_number):
        return CallNowRefused("Call now only rings UK mobile and landline numbers, and this callback number is "
                              "not one (it may be premium-rate, a special service or mistyped). Check it with "
                              "the record before ringing it any other way.", "not_a_uk_number")
    if not is_callable_uk(staff.phone_number):
        return CallNowRefused("Call now only rings UK mobile and landline numbers, and your phone number is not "
                              "one. Change it on My account.", "staff_phone_not_uk")
    if not current_app.config.get("PUBLIC_BASE_URL"):
        return CallNowRefused("Call now is not set up: the app has not been given its public address "
                              "(PUBLIC_BASE_URL), which Twilio needs to put the call through. " + SETTINGS_HELP,
                              "no_public_url")
    return None


def _ring(record: Record, staff: StaffUser) -> CallNowAttempt:
    refused = refusal(record, staff)
    if refused is not None:
        raise refused
    # The one number callers are told we call from (the goodbye says it): an unknown number often goes unanswered.
    # Twilio's From must be a number on the account or a verified caller ID (https://www.twilio.com/docs/api/errors/21210,
    # https://www.twilio.com/docs/voice/api/outgoing-caller-id); the number is checked at start-up.
    line_number = current_line().prompts.call_from
    token = secrets.token_urlsafe(32)
    attempt = CallNowAttempt(token_hash=token_hash(token), staff=staff, outcome="requested", **{record.kind: record})
    db.session.add(attempt)
    try:
        placed = twilio_api.client().calls.create(
            to=staff.phone_number, from_=line_number, url=bridge_url("callnow.answered", token), method="POST",
            status_callback=bridge_url("callnow.ended", token), status_callback_method="POST",
            timeout=RING_SECONDS,
        )
    except twilio_api.TwilioNotConfigured:
        raise CallNowRefused("Call now is not set up: the app has not been given the Twilio account details "
                             "(TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN). " + SETTINGS_HELP,
                             "twilio_not_configured") from None
    except TwilioRestException as error:
        current_app.logger.warning("Twilio refused a call-now call: HTTP %s, error %s", error.status, error.code)
        raise CallNowRefused(_refusal(error), f"twilio_{error.code or error.status}") from None
    except OSError:  # requests' connection errors and timeouts
        raise CallNowRefused("Twilio could not be reached just now, so your phone was not rung. Try again in a "
                             "minute, or ring them from a service phone.", "twilio_unreachable") from None
    attempt.call_sid = placed.sid
    db.session.flush()
    return attempt


def _refusal(error: TwilioRestException) -> str:
    for codes, words in TWILIO_REFUSALS.items():
        if error.code in codes:
            return f"Twilio refused the call (error {error.code}). {words}"
    return (f"Twilio refused the call (HTTP {error.status}{f', error {error.code}' if error.code else ''}). "
            "Try again; if it keeps happening, tell the system administrator.")


def bridge_url(endpoint: str, token: str) -> str:
    """The absolute URL Twilio is given for a bridge webhook, always under PUBLIC_BASE_URL."""
    return twilio_api.public_url(endpoint, token=token)


def by_token(token: str) -> CallNowAttempt | None:
    """The attempt a bridge URL's token names, if any."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,100}", token or ""):
        return None
    return db.session.scalars(
        select(CallNowAttempt).where(CallNowAttempt.token_hash == token_hash(token)).with_for_update()
    ).first()


def for_call(token: str, call_sid: str | None) -> CallNowAttempt | None:
    """The attempt a bridge URL's token names, if this request comes from the very call we placed for it."""
    attempt = by_token(token)
    return attempt if attempt is not None and call_sid and attempt.call_sid == call_sid else None


def take(token: str, call_sid: str | None) -> CallNowAttempt | None:
    """The staff member answered: the attempt, if its token is unused, in time, and for this very call. Commits."""
    attempt = for_call(token, call_sid)
    if attempt is None or attempt.used_at is not None:
        return None
    if expired(attempt):
        attempt.outcome = "expired"
        db.session.commit()
        return None
    attempt.used_at = utcnow()
    record = attempt.record
    audit.record(f"{record.kind}.call_now_answered", record.kind, record.id, {"attempt_id": attempt.id},
                 staff=attempt.staff)
    db.session.commit()
    return attempt


def expired(attempt: CallNowAttempt) -> bool:
    """Whether the attempt's token is past its TOKEN_MINUTES."""
    return utcnow() - as_utc(attempt.created_at) > timedelta(minutes=TOKEN_MINUTES)


def going_on(token: str, call_sid: str | None) -> CallNowAttempt | None:
    """The attempt whose bridge this call has already taken (the later steps of the same call), if any."""
    attempt = for_call(token, call_sid)
    return attempt if attempt is not None and attempt.used_at is not None else None


def may_connect(attempt: CallNowAttempt) -> bool:
    """Whether pressing 1 may still put the staff member through: taken, in time, and not yet ended, neither the
    dial to the caller (logged) nor the staff member's own call. A connect replayed later learns nobody's number."""
    return attempt.outcome == "requested" and not expired(attempt)


def log_dial_end(attempt: CallNowAttempt, dial_status: str, seconds: int | None) -> CallbackAttempt:
    """Log how the call to the caller ended as a callback attempt, once (Twilio may send it twice). Commits."""
    if attempt.callback_attempt is not None:
        return attempt.callback_attempt
    record = attempt.record
    outcome = DIAL_OUTCOMES.get(dial_status, "failed")
    logged = CallbackAttempt(staff=attempt.staff, attempted_at=attempt.used_at or attempt.created_at,
                             outcome=outcome, **{record.kind: record})
    attempt.outcome, attempt.dial_status, attempt.callback_attempt = outcome, dial_status, logged
    attempt.dial_seconds = seconds if outcome == "connected" else None
    db.session.add(logged)
    db.session.flush()
    audit.record(f"{record.kind}.call_now_logged", record.kind, record.id,
                 {"attempt_id": attempt.id, "callback_attempt_id": logged.id, "outcome": outcome,
                  "seconds": attempt.dial_seconds}, staff=attempt.staff)
    db.session.commit()
    return logged


def staff_call_ended(attempt: CallNowAttempt, call_status: str) -> None:
    """The staff member's own call ended: if the caller was never rung, say why on the attempt. Commits."""
    if attempt.outcome != "requested":
        return
    attempt.outcome = "not_put_through" if attempt.used_at else "staff_missed"
    record = attempt.record
    audit.record(f"{record.kind}.call_now_ended", record.kind, record.id,
                 {"attempt_id": attempt.id, "outcome": attempt.outcome, "call_status": call_status[:32]},
                 staff=attempt.staff)
    db.session.commit()
