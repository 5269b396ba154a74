"""The audit trail: who saw or changed which record, and when. Callers commit."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from ivr.extensions import db
from ivr.models import AuditEvent, StaffUser

SYSTEM = "system"
BROWSER_LENGTH = 200  # a User-Agent is the client's to write: enough to tell browsers apart, never a page of text
ADDRESS_LENGTH = 45  # the longest written IPv6 address


def masked(number: str | None) -> str:
    """A phone number as the audit log may show it: its last 3 digits only ("***654"), or "" for none."""
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    return f"***{digits[-3:]}" if digits else ""


def _current_staff() -> StaffUser | None:
    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user if getattr(current_user, "is_authenticated", False) else None


def _origin() -> tuple[str | None, str | None]:
    """The client's address and browser when in a request; nothing for the app's own jobs and the CLI."""
    if not has_request_context():
        return None, None
    # remote_addr is the proxy's address unless TRUST_PROXY lets ProxyFix put the client's there.
    address = (request.remote_addr or "")[:ADDRESS_LENGTH]
    browser = request.user_agent.string[:BROWSER_LENGTH]
    return address or None, browser or None


def record(
    action: str,
    subject_type: str | None = None,
    subject_id: int | None = None,
    detail: dict[str, Any] | None = None,
    staff: StaffUser | None = None,
) -> None:
    """Add an audit event to the session: by `staff`, else the logged-in staff member, else "system".

    An event made in a request also keeps the client's address and browser.

    `detail` must hold ids, counts and codes only, never a name, number or date of birth.
    """
    who = staff or _current_staff()
    address, browser = _origin()
    db.session.add(AuditEvent(
        staff_id=who.id if who is not None else None,
        actor=who.email if who is not None else SYSTEM,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=dict(detail or {}),
        address=address,
        browser=browser,
    ))
