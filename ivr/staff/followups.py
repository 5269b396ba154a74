"""Safety follow-ups on the dashboard: at the top of the queues until done, each with the caller's words."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ivr import audit
from ivr.extensions import db
from ivr.models import SafetyFollowUp, utcnow
from ivr.staff import bp
from ivr.staff.forms import PlainForm

SHOWN = 50  # open follow-ups listed at the top of a queue (more is a crisis of its own: all are counted)


def open_followups() -> tuple[list[SafetyFollowUp], int]:
    """The follow-ups no one has marked done, oldest first (the longest waiting at the top), and how many."""
    waiting = select(SafetyFollowUp).where(SafetyFollowUp.done_at.is_(None))
    rows = db.session.scalars(waiting.order_by(SafetyFollowUp.at, SafetyFollowUp.id).limit(SHOWN)).all()
    total = len(rows) if len(rows) < SHOWN else db.session.query(waiting.subquery()).count()
    return list(rows), total


def audit_listed(rows: list[SafetyFollowUp]) -> None:
    """The list shows numbers and words said: say who saw which (committed with the queue's own audit)."""
    if rows:
        audit.record("safety_followup.listed", detail={"ids": [row.id for row in rows]})


@bp.get("/followups/<int:record_id>")
def followup(record_id: int) -> str:
    """One safety follow-up: the number to ring, when, what kind of risk, where in the call, and the words."""
    row = _load(record_id)
    audit.record("safety_followup.viewed", SafetyFollowUp.kind, row.id)
    db.session.commit()
    return render_template("staff/followup.html", row=row, form=PlainForm(formdata=None))


@bp.post("/followups/<int:record_id>/done")
def followup_done(record_id: int) -> Response:
    """Mark a follow-up done: the caller was rung back (or staff decided no call is needed, in a note elsewhere)."""
    row = _load(record_id)
    if not PlainForm().validate_on_submit():
        abort(400)
    if row.done_at is None:
        row.done_at, row.done_by_id = utcnow(), current_user.id
        audit.record("safety_followup.done", SafetyFollowUp.kind, row.id)
        db.session.commit()
        flash("Safety follow-up marked done.")
    return redirect(url_for("staff.referrals"))


def _load(record_id: int) -> SafetyFollowUp:
    row = db.session.get(SafetyFollowUp, record_id)
    if row is None:
        abort(404)
    return row
