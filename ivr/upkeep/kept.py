"""What retention keeps past its periods, for someone to look at: never kept silently, never deleted unseen.

Open referrals and enquiries (new, contacted, assessment booked) are staff's to close, so the purge never deletes
them; those older than RETENTION_CLOSED_DAYS are listed. An urgent referral or enquiry left incomplete (the caller
said they were at risk, or their message did, then the call dropped) is kept until a member of staff has worked it
(moved its status on), however old, and listed once it is past RETENTION_INCOMPLETE_DAYS. Ids, statuses and ages
only: never a name or number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, select

from ivr.clock import as_utc
from ivr.extensions import db
from ivr.models import UNFINISHED, Enquiry, Referral, Status, StatusChange, utcnow

STAFF_OPEN = (Status.NEW, Status.CONTACTED, Status.ASSESSMENT_BOOKED)  # sent by the caller, not yet closed


def unworked_urgent(model=Referral):
    """An urgent referral (or enquiry) no member of staff has moved on: the purge keeps it, whatever its age."""
    worked = exists().where(getattr(StatusChange, f"{model.kind}_id") == model.id)
    return and_(model.urgent.is_(True), ~worked)


@dataclass(frozen=True)
class KeptRecord:
    """One record kept past a retention period: what it is, where it is and how old, and why it is kept."""

    kind: str  # referral | enquiry
    id: int
    status: str
    age_days: int
    urgent: bool
    why: str  # open | urgent_not_worked


def kept(now: datetime | None = None) -> list[KeptRecord]:
    """Records the purge keeps past their period, oldest first."""
    now = now or utcnow()
    config = current_app.config
    open_before = now - timedelta(days=config["RETENTION_CLOSED_DAYS"])
    incomplete_before = now - timedelta(days=config["RETENTION_INCOMPLETE_DAYS"])
    found = []
    for model in (Referral, Enquiry):
        columns = [model.id, model.status, model.created_at, model.urgent]
        rows = db.session.execute(select(*columns).where(model.status.in_(STAFF_OPEN), model.created_at < open_before))
        found += [_kept(model.kind, row, now, "open") for row in rows]
        rows = db.session.execute(select(*columns).where(
            model.status.in_(UNFINISHED), model.created_at < incomplete_before, unworked_urgent(model)))
        found += [_kept(model.kind, row, now, "urgent_not_worked") for row in rows]
    return sorted(found, key=lambda record: (-record.age_days, record.kind, record.id))


def _kept(kind: str, row, now: datetime, why: str) -> KeptRecord:
    created = as_utc(row[2])
    return KeptRecord(kind, row[0], row[1], (now - created).days, bool(row[3]), why)


def counts(records: list[KeptRecord]) -> dict[str, int]:
    """How many of each: for the purge's and the report's audit events and output."""
    return {
        "open_referrals_past_retention": sum(r.kind == "referral" and r.why == "open" for r in records),
        "open_enquiries_past_retention": sum(r.kind == "enquiry" and r.why == "open" for r in records),
        "urgent_referrals_not_worked": sum(r.kind == "referral" and r.why == "urgent_not_worked" for r in records),
        "urgent_enquiries_not_worked": sum(r.kind == "enquiry" and r.why == "urgent_not_worked" for r in records),
    }
