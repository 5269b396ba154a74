"""A phone call as the line keeps it: the row that holds where the caller is, and its step log."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ivr.clock import utcnow
from ivr.extensions import db

if TYPE_CHECKING:
    from ivr.models.records import Enquiry, Referral


class Call(db.Model):
    """One phone call, keyed by Twilio's CallSid, holding where the caller is in the flows."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    caller_number: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The number of the answer the line is waiting for; a repeat of the last one gets the same reply.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_response: Mapped[str | None] = mapped_column(Text)
    # What the first webhook was answered with: all a repeat of it ever gets (never the call's current TwiML).
    first_response: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_status: Mapped[str | None] = mapped_column(String(32))
    duration_seconds: Mapped[int | None] = mapped_column(Integer)

    steps: Mapped[list[CallStep]] = relationship(
        back_populates="call", order_by="CallStep.id", cascade="all, delete-orphan"
    )
    referral: Mapped[Referral | None] = relationship(back_populates="call")
    enquiry: Mapped[Enquiry | None] = relationship(back_populates="call")


class CallStep(db.Model):
    """An append-only log of the steps a call went through: what happened, never what was said."""

    __tablename__ = "call_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(80))
    event: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    call: Mapped[Call] = relationship(back_populates="steps")
