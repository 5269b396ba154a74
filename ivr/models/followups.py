"""Safety follow-ups: a caller who said something that suggests risk, for staff to ring back whatever the call did next.

Written in the same turn as the disclosure, so a call that drops straight after still leaves one; kept apart from the
referral and enquiry, so forgetting an under-16 or out-of-area caller never erases it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ivr.clock import utcnow
from ivr.extensions import db
from ivr.models.calls import Call


class SafetyFollowUp(db.Model):
    """One call's disclosure: the caller's number, when, the category, the question it was said at, and the words."""

    __tablename__ = "safety_followups"
    kind = "safety_followup"  # the audit log's subject type

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"), unique=True)
    caller_number: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # A risk category (flows/risk-vocabulary), or how help was asked for ("help_now_key", "urgency_yes").
    category: Mapped[str] = mapped_column(String(40))
    step: Mapped[str] = mapped_column(String(80))
    # What the caller said, as the speech recogniser heard it: the clinical information staff triage on.
    words: Mapped[str | None] = mapped_column(Text)
    # Staff mark it done once they have rung the caller back (or decided it needs no call), with who and when.
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))

    call: Mapped[Call | None] = relationship()
