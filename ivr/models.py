"""What the line stores: calls and their steps, referrals, enquiries and the practice directory."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ivr.extensions import db


def utcnow() -> datetime:
    """The current time in UTC, for column defaults."""
    return datetime.now(timezone.utc)


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


# Digits only, so an existing patient can key it; the letters say which line it came from.
REFERENCE_PREFIX = "IPT"


def new_reference() -> str:
    """A six-digit reference, e.g. 'IPT-482913', short enough to say and to key."""
    return f"{REFERENCE_PREFIX}-{secrets.randbelow(900000) + 100000}"


class Referral(db.Model):
    """A self-referral captured on the phone, saved answer by answer."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), unique=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True, default=new_reference)
    # in_progress -> new (submitted) or incomplete (call dropped); staff move it on from there.
    status: Mapped[str] = mapped_column(String(24), default="in_progress", index=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    practice_ods_code: Mapped[str | None] = mapped_column(ForeignKey("practices.ods_code"))
    practice_said: Mapped[str | None] = mapped_column(Text)
    practice_to_check: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str | None] = mapped_column(Text)
    name_recording_url: Mapped[str | None] = mapped_column(Text)
    name_recording_sid: Mapped[str | None] = mapped_column(String(64))
    callback_number: Mapped[str | None] = mapped_column(String(20))
    voicemail_ok: Mapped[bool | None] = mapped_column(Boolean)
    best_time: Mapped[str | None] = mapped_column(String(16))
    session_preference: Mapped[str | None] = mapped_column(String(16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Staff edits check this so that two people cannot silently overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1)

    call: Mapped[Call] = relationship(back_populates="referral")
    practice: Mapped[Practice | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Enquiry(db.Model):
    """A message left by an existing patient on the enquiry line."""

    __tablename__ = "enquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), unique=True)
    status: Mapped[str] = mapped_column(String(24), default="in_progress", index=True)
    reference_given: Mapped[str | None] = mapped_column(String(32))
    recording_url: Mapped[str | None] = mapped_column(Text)
    recording_sid: Mapped[str | None] = mapped_column(String(64))
    recording_seconds: Mapped[int | None] = mapped_column(Integer)
    callback_number: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    call: Mapped[Call] = relationship(back_populates="enquiry")

    __mapper_args__ = {"version_id_col": version}


class Practice(db.Model):
    """A GP practice in Derby and Derbyshire, from the NHS ODS directory."""

    __tablename__ = "practices"

    ods_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address_line_1: Mapped[str] = mapped_column(String(120), default="")
    address_line_2: Mapped[str] = mapped_column(String(120), default="")
    address_line_3: Mapped[str] = mapped_column(String(120), default="")
    town: Mapped[str] = mapped_column(String(60), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    telephone: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
