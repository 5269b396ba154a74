"""Stored records as a test reads them, and moving them about in time, as the days a test needs would."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Call, Note, Referral, StaffUser, StatusChange, utcnow


def call_for(sid: str) -> Call:
    return db.session.scalars(select(Call).where(Call.call_sid == sid)).one()


def the_referral(app) -> Referral:
    """The one referral there is, readable after its session has closed."""
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        db.session.expunge(referral)
        return referral


def stored_practice(app) -> str | None:
    """The one referral's practice ODS code."""
    with app.app_context():
        return db.session.scalars(select(Referral)).one().practice_ods_code


def age(sid: str, days: int, status: str | None = None, closed_days_ago: int | None = None) -> None:
    """Move a call and its referral or enquiry `days` into the past; optionally close it."""
    call = call_for(sid)
    then = utcnow() - timedelta(days=days)
    call.started_at = then
    record = call.referral or call.enquiry
    record.created_at = record.updated_at = then
    if status:
        record.status = status
    if closed_days_ago is not None:
        staff = db.session.scalars(select(StaffUser)).first() or StaffUser(email="sam@nhs.example",
                                                                            password_hash="x")
        key = "referral" if call.referral else "enquiry"
        db.session.add(StatusChange(**{key: record}, staff=staff, from_status="contacted",
                                    to_status="closed", closing_reason="assessed",
                                    at=utcnow() - timedelta(days=closed_days_ago)))
        db.session.add(Note(**{key: record}, staff=staff, text="Assessed; referred on to the team."))
        record.updated_at = utcnow() - timedelta(days=1)  # touched since: closing time is what counts
    db.session.commit()
