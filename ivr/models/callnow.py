"""Call now: a member of staff's one-click call back, from the press of the button to how the call ended.

An attempt holds a hash of the one-time token in the bridge webhook's URL, never the token itself,
and neither phone number: the staff member's is on their account, the caller's on the record.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ivr.clock import utcnow
from ivr.extensions import db
from ivr.models.records import Enquiry, Referral
from ivr.models.staff import CallbackAttempt, StaffUser, work_on

# How <Dial> ended (Twilio's DialCallStatus) -> the callback attempt it is logged as.
# https://www.twilio.com/docs/voice/twiml/dial#dialcallstatus-values
DIAL_OUTCOMES = {
    "completed": "connected",
    "answered": "connected",
    "no-answer": "no_answer",
    "busy": "busy",
    "failed": "failed",
    "canceled": "cancelled",
}


def token_hash(token: str) -> str:
    """What is stored of a bridge token: its SHA-256, so the table alone cannot start a call."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class CallNowAttempt(db.Model):
    """One press of "Call now": ring the staff member, then (once they press 1) put them through to the caller."""

    __tablename__ = "call_now_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    referral_id: Mapped[int | None] = work_on("referrals")
    enquiry_id: Mapped[int | None] = work_on("enquiries")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the staff member answered and the bridge took the token; it works once.
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The staff member's leg (Twilio's CallSid): only that call may go on to the caller.
    call_sid: Mapped[str | None] = mapped_column(String(64))
    # requested, expired, staff_missed, not_put_through (answered, no 1 pressed), or a DIAL_OUTCOMES value.
    outcome: Mapped[str | None] = mapped_column(String(24))
    dial_status: Mapped[str | None] = mapped_column(String(32))
    dial_seconds: Mapped[int | None] = mapped_column(Integer)
    callback_attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("callback_attempts.id", ondelete="SET NULL"))

    staff: Mapped[StaffUser] = relationship()
    referral: Mapped[Referral | None] = relationship(backref=backref(
        "call_now_attempts", order_by="CallNowAttempt.id", cascade="all, delete-orphan", passive_deletes=True,
    ))
    enquiry: Mapped[Enquiry | None] = relationship(backref=backref(
        "call_now_attempts", order_by="CallNowAttempt.id", cascade="all, delete-orphan", passive_deletes=True,
    ))
    callback_attempt: Mapped[CallbackAttempt | None] = relationship(
        backref=backref("call_now", uselist=False))

    @property
    def record(self) -> Referral | Enquiry:
        """The referral or enquiry whose caller this rings."""
        return self.referral or self.enquiry
