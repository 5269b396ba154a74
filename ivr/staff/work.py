"""Staff work on a referral or enquiry: callback attempts, notes and status changes, never overwriting."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm.exc import StaleDataError

from ivr import audit
from ivr.extensions import db
from ivr.models import CallbackAttempt, Enquiry, Note, Referral, StaffUser, Status, StatusChange, utcnow

Record = Referral | Enquiry


class Conflict(Exception):
    """Someone else changed the record after this person loaded it."""


def _link(record: Record) -> dict[str, Record]:
    return {record.kind: record}


def _kind(record: Record) -> str:
    return record.kind


def claim(record: Record, seen_version: int) -> None:
    """Refuse to act on a version other than the one the person saw, then claim the next version."""
    if record.version != seen_version:
        raise Conflict
    record.updated_at = utcnow()  # bumps `version`; the UPDATE only matches the version we checked


@contextmanager
def saving():
    """Commit at the end; a row changed between our check and our write is a conflict, not an overwrite."""
    try:
        yield
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict from None


def log_callback(record: Record, seen_version: int, staff: StaffUser, attempted_at: datetime,
                 outcome: str) -> CallbackAttempt:
    """Record a callback attempt and its outcome."""
    with saving():
        claim(record, seen_version)
        attempt = CallbackAttempt(staff=staff, attempted_at=attempted_at, outcome=outcome, **_link(record))
        db.session.add(attempt)
        db.session.flush()
        audit.record(f"{_kind(record)}.callback_logged", _kind(record), record.id,
                     {"attempt_id": attempt.id, "outcome": outcome}, staff=staff)
    return attempt


def add_note(record: Record, seen_version: int, staff: StaffUser, text: str) -> Note:
    """Add a note (its text stays out of the audit log: it may hold personal details)."""
    with saving():
        claim(record, seen_version)
        note = Note(staff=staff, text=text.strip(), **_link(record))
        db.session.add(note)
        db.session.flush()
        audit.record(f"{_kind(record)}.note_added", _kind(record), record.id, {"note_id": note.id}, staff=staff)
    return note


def change_status(record: Record, seen_version: int, staff: StaffUser, status: str,
                  closing_reason: str | None) -> StatusChange:
    """Move the record to a new status, keeping the history and (when closing) the reason."""
    with saving():
        claim(record, seen_version)
        change = StatusChange(staff=staff, from_status=record.status, to_status=status,
                              closing_reason=closing_reason if status == Status.CLOSED else None, **_link(record))
        record.status = status
        db.session.add(change)
        db.session.flush()
        audit.record(f"{_kind(record)}.status_changed", _kind(record), record.id,
                     {"from": change.from_status, "to": status, "closing_reason": change.closing_reason},
                     staff=staff)
    return change


def closing_reason(record: Record) -> str | None:
    """Why a closed record was closed: the reason given when it was last closed."""
    if record.status != Status.CLOSED:
        return None
    closes = [change for change in record.status_changes if change.to_status == Status.CLOSED]
    return closes[-1].closing_reason if closes else None
