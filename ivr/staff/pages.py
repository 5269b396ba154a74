"""One referral or enquiry: every answer, the call's steps, its recording, and the work done on it."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ivr import audit, twilio_api
from ivr.clock import LONDON, as_utc, london
from ivr.extensions import db
from ivr.models import Enquiry, Referral, Status
from ivr.staff import bp, call_now
from ivr.staff.forms import CallbackForm, NoteForm, PlainForm, StatusForm
from ivr.staff.records import KINDS, Kind
from ivr.staff.work import Conflict, add_note, change_status, closing_reason, log_callback

KIND_PATH = "<any(referrals,enquiries):plural>/<int:record_id>"
# The status form suggests the next step.
NEXT_STATUS = {Status.CONTACTED: Status.ASSESSMENT_BOOKED, Status.ASSESSMENT_BOOKED: Status.CLOSED}
SAVED = {"callback": "Callback attempt saved.", "note": "Note saved.", "status": "Status changed."}


def _load(kind: Kind, record_id: int) -> Referral | Enquiry:
    record = db.session.get(kind.model, record_id)
    if record is None:
        abort(404)
    return record


def _steps(record: Referral | Enquiry) -> list[dict]:
    """The call's steps with the time each began and how long the caller spent there."""
    steps = record.call.steps if record.call else []
    rows = []
    for index, step in enumerate(steps):
        following = steps[index + 1].at if index + 1 < len(steps) else record.call.ended_at
        spent = (as_utc(following) - as_utc(step.at)).total_seconds() if following else None
        rows.append({"step": step.step, "event": step.event, "at": london(step.at), "spent": spent})
    return rows


def _forms(record: Referral | Enquiry) -> dict:
    now = datetime.now(LONDON).replace(second=0, microsecond=0, tzinfo=None)
    return {
        "callback": CallbackForm(formdata=None, version=record.version, attempted_at=now),
        "note": NoteForm(formdata=None, version=record.version),
        "status": StatusForm(formdata=None, version=record.version,
                             status=NEXT_STATUS.get(record.status, Status.CONTACTED)),
        "download": PlainForm(formdata=None),  # "Download FHIR record": a button, so a post with its token
    }


def _show(kind: Kind, record: Referral | Enquiry, bound: dict | None = None, conflict: bool = False,
          status: int = 200) -> tuple[str, int]:
    forms = _forms(record) | (bound or {})
    # Twilio is asked about the recording only when it is played: the page never waits on Twilio.
    sid = record.recording_sid_held
    audit.record(f"{kind.name}.viewed", kind.name, record.id)
    db.session.commit()
    return render_template(
        f"staff/{kind.name}.html", kind=kind, record=record, forms=forms, conflict=conflict,
        steps=_steps(record), has_recording=bool(sid),
        closing_reason=closing_reason(record), call_now=call_now.panel(record),
    ), status


@bp.get("/referrals/<int:record_id>")
def referral(record_id: int) -> tuple[str, int]:
    """A referral's page."""
    return _show(KINDS["referrals"], _load(KINDS["referrals"], record_id))


@bp.get("/enquiries/<int:record_id>")
def enquiry(record_id: int) -> tuple[str, int]:
    """An enquiry's page."""
    return _show(KINDS["enquiries"], _load(KINDS["enquiries"], record_id))


ACTIONS = {
    "callback": (CallbackForm, lambda record, form: log_callback(
        record, form.version.data, current_user, form.rang_at(), form.outcome.data)),
    "note": (NoteForm, lambda record, form: add_note(record, form.version.data, current_user, form.text.data)),
    "status": (StatusForm, lambda record, form: change_status(
        record, form.version.data, current_user, form.status.data, form.closing_reason.data or None)),
}


@bp.post(f"/{KIND_PATH}/<any(callback,note,status):action>")
def work(plural: str, record_id: int, action: str) -> Response | tuple[str, int]:
    """Log a callback attempt, add a note or change the status; refuse if someone else got there first."""
    kind = KINDS[plural]
    record = _load(kind, record_id)
    form_class, act = ACTIONS[action]
    form = form_class()
    if not form.validate_on_submit():
        return _show(kind, record, {action: form}, status=400)
    try:
        act(record, form)
    except Conflict:
        db.session.rollback()
        record = _load(kind, record_id)
        form.version.data = record.version  # they have now seen the other change; saving again is deliberate
        return _show(kind, record, {action: form}, conflict=True, status=409)
    flash(SAVED[action], "success")
    return redirect(url_for(f"staff.{kind.name}", record_id=record.id) + "#work")


@bp.get(f"/{KIND_PATH}/recording")
def recording(plural: str, record_id: int) -> Response | tuple[str, int]:
    """The recording's sound, fetched from Twilio by the app; the browser never sees Twilio's URL.

    When Twilio cannot give it, a page says why (opened from the link under the player).
    """
    kind = KINDS[plural]
    record = _load(kind, record_id)
    sid = record.recording_sid_held
    if not sid:
        abort(404)
    try:
        audio = twilio_api.fetch(sid)
    except twilio_api.RecordingUnavailable as problem:
        # A failed fetch is audited too: someone tried to hear this person's voice, and why it failed.
        audit.record(f"{kind.name}.recording_unavailable", kind.name, record.id, {"reason": problem.reason})
        db.session.commit()
        return render_template("staff/recording_unavailable.html", kind=kind, record=record,
                               problem=str(problem)), 502
    audit.record(f"{kind.name}.recording_played", kind.name, record.id)
    db.session.commit()
    return Response(audio.content, mimetype=audio.content_type)
