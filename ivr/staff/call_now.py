"""The "Call now" button on a referral or enquiry, and confirming how a connected call went."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ivr import audit
from ivr.callnow.attempts import TOKEN_MINUTES, CallNowRefused, refusal, start
from ivr.clock import as_utc
from ivr.extensions import db
from ivr.models import CALLBACK_OUTCOMES, CallbackAttempt, CallNowAttempt, Enquiry, Referral, utcnow
from ivr.staff import bp
from ivr.staff.display import phone_number
from ivr.staff.forms import PlainForm
from ivr.staff.records import KINDS

KIND_PATH = "<any(referrals,enquiries):plural>/<int:record_id>"
# What a connected call turned out to be, as the staff member confirms it.
CONFIRMED = {"reached": "I reached them", "voicemail_left": "I left a voicemail"}
# The latest attempt's state, for the person who pressed the button.
PROGRESS = {
    "requested": "Your phone is ringing. Answer it, listen, then press 1 to be put through. "
                 "Reload this page afterwards to see the call logged.",
    "on_call": "You answered Call now. Reload this page when the call ends to see it logged.",
    "staff_missed": "Your phone was not answered, so they were not rung.",
    "not_put_through": "You answered but did not press 1, so they were not rung.",
    "expired": "Your phone was answered too late, so they were not rung. Press Call now again.",
}


def panel(record: Referral | Enquiry) -> dict:
    """What the record's page shows about Call now: the button or why not, progress, and calls to confirm."""
    mine = [a for a in record.call_now_attempts if a.staff_id == current_user.id]
    refused = refusal(record, current_user)  # the same checks the button's post makes
    return {
        "form": PlainForm(formdata=None),
        "ready": refused is None,
        "why_not": refused.reason if refused else None,
        "refusal": str(refused) if refused else None,
        "staff_phone": phone_number(current_user.phone_number),
        "progress": PROGRESS.get(_progress(mine[-1])) if mine else None,
        "to_confirm": [a for a in record.callback_attempts if a.outcome == "connected"],
        "confirmed": CONFIRMED,
    }


def _progress(attempt: CallNowAttempt) -> str | None:
    """Where the staff member's latest attempt is, as PROGRESS names it."""
    if attempt.outcome != "requested":
        return attempt.outcome
    if attempt.used_at is not None:
        return "on_call"
    if as_utc(attempt.created_at) < utcnow() - timedelta(minutes=TOKEN_MINUTES):
        return None  # Twilio never said how it went: no "ringing" message for ever
    return "requested"


def _record(plural: str, record_id: int) -> Referral | Enquiry:
    record = db.session.get(KINDS[plural].model, record_id)
    if record is None:
        abort(404)
    return record


def _back(record: Referral | Enquiry) -> Response:
    return redirect(url_for(f"staff.{record.kind}", record_id=record.id) + "#call-now")


@bp.post(f"/{KIND_PATH}/call-now")
def call_now(plural: str, record_id: int) -> Response:
    """Ring the staff member's phone; answering puts them through to the caller from the line's number."""
    record = _record(plural, record_id)
    try:
        start(record, current_user)
    except CallNowRefused as refusal:
        flash(str(refusal), "error")
        return _back(record)
    flash(f"Calling your phone ({phone_number(current_user.phone_number)}) now. When you answer, you'll hear "
          "the reference; press 1 to be put through. They will see the service's number, not yours.", "success")
    return _back(record)


@bp.post(f"/{KIND_PATH}/call-now/<int:attempt_id>/confirm")
def confirm(plural: str, record_id: int, attempt_id: int) -> Response:
    """A connected call: the staff member who made it says whether they reached the person or left a voicemail.

    Anyone else is refused (and audited): they were not on the call, so cannot know.
    """
    record = _record(plural, record_id)
    attempt = db.session.get(CallbackAttempt, attempt_id)
    outcome = request.form.get("outcome", "")
    if attempt is None or getattr(attempt, f"{record.kind}_id") != record.id or outcome not in CONFIRMED:
        abort(404 if outcome in CONFIRMED else 400)
    if attempt.staff_id != current_user.id:  # only who was on the call knows how it went
        audit.record(f"{record.kind}.callback_confirm_refused", record.kind, record.id,
                     {"attempt_id": attempt.id, "called_by": attempt.staff_id, "reason": "not_their_call"})
        db.session.commit()
        flash(f"Only {attempt.staff.email}, who made this call, can say how it went.", "error")
        return _back(record)
    if attempt.outcome == "connected":
        attempt.outcome = outcome
        audit.record(f"{record.kind}.callback_confirmed", record.kind, record.id,
                     {"attempt_id": attempt.id, "outcome": outcome, "called_by": attempt.staff_id,
                      "confirmed_by": current_user.id})
        db.session.commit()
    flash(f"Call now logged as: {CALLBACK_OUTCOMES[outcome]}.", "success")
    return _back(record)
