"""The audit trail: who saw or changed which record, and when. Callers commit."""

from __future__ import annotations

from typing import Any

from flask import has_request_context

from ivr.extensions import db
from ivr.models import AuditEvent, StaffUser

SYSTEM = "system"


def _current_staff() -> StaffUser | None:
    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user if getattr(current_user, "is_authenticated", False) else None


def record(
    action: str,
    subject_type: str | None = None,
    subject_id: int | None = None,
    detail: dict[str, Any] | None = None,
    staff: StaffUser | None = None,
) -> None:
    """Add an audit event to the session: by `staff`, else the logged-in staff member, else "system".

    `detail` must hold ids, counts and codes only, never a name, number or date of birth.
    """
    who = staff or _current_staff()
    db.session.add(AuditEvent(
        staff_id=who.id if who is not None else None,
        actor=who.email if who is not None else SYSTEM,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=dict(detail or {}),
    ))
