"""What the line stores: calls and their steps, referrals, enquiries and the practice directory."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ivr.extensions import db


def utcnow() -> datetime:
    """The current time in UTC, for column defaults."""
    return datetime.now(UTC)


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


# ---- Staff dashboard: accounts, the audit trail and the work done on referrals and enquiries ----

STAFF_ROLES = ("staff", "admin")
CALLBACK_OUTCOMES = {
    "reached": "Reached",
    "no_answer": "No answer",
    "voicemail_left": "Voicemail left",
    "wrong_number": "Wrong number",
}
# Where staff can move a referral or enquiry; "new" and "incomplete" come from the phone line.
WORK_STATUSES = {
    "new": "New",
    "incomplete": "Incomplete (call dropped)",
    "contacted": "Contacted",
    "assessment_booked": "Assessment booked",
    "closed": "Closed",
}
CLOSING_REASONS = {
    "assessed": "Assessment completed",
    "not_suitable": "Not suitable for IPT",
    "declined": "Declined the service",
    "no_contact": "Could not be contacted",
    "duplicate": "Duplicate referral",
    "referred_elsewhere": "Referred to another service",
    "out_of_area": "Out of area",
    "other": "Other (see notes)",
}


def _work_on(table: str):
    """The link from a piece of staff work to its referral or enquiry; it goes when they go."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True)


class StaffUser(db.Model):
    """Someone who works the queue (role staff) or also manages accounts and reads the audit log (admin)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="staff")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_admin(self) -> bool:
        """Admins also manage accounts and read the audit log."""
        return self.role == "admin"

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        """A disabled account cannot log in and loses any session it had."""
        return bool(self.active)

    @property
    def is_authenticated(self) -> bool:
        """Every loaded account is a logged-in one."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Never anonymous."""
        return False

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session."""
        return str(self.id)


class AuditEvent(db.Model):
    """Who did what to which record, and when. Detail holds ids and counts, never personal data."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    # The staff member's email at the time, or "system" for the app's own jobs.
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    staff: Mapped[StaffUser | None] = relationship()


class CallbackAttempt(db.Model):
    """A time staff rang someone back, and what happened."""

    __tablename__ = "callback_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int | None] = _work_on("referrals")
    enquiry_id: Mapped[int | None] = _work_on("enquiries")
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    outcome: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    staff: Mapped[StaffUser] = relationship()
    referral: Mapped[Referral | None] = relationship(backref=backref(
        "callback_attempts", order_by="CallbackAttempt.attempted_at", cascade="all, delete-orphan",
        passive_deletes=True,
    ))
    enquiry: Mapped[Enquiry | None] = relationship(backref=backref(
        "callback_attempts", order_by="CallbackAttempt.attempted_at", cascade="all, delete-orphan",
        passive_deletes=True,
    ))

    @property
    def outcome_label(self) -> str:
        """The outcome in words."""
        return CALLBACK_OUTCOMES.get(self.outcome, self.outcome)


class Note(db.Model):
    """A free-text note staff wrote on a referral or enquiry."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int | None] = _work_on("referrals")
    enquiry_id: Mapped[int | None] = _work_on("enquiries")
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    staff: Mapped[StaffUser] = relationship()
    referral: Mapped[Referral | None] = relationship(backref=backref(
        "notes", order_by="Note.id", cascade="all, delete-orphan", passive_deletes=True,
    ))
    enquiry: Mapped[Enquiry | None] = relationship(backref=backref(
        "notes", order_by="Note.id", cascade="all, delete-orphan", passive_deletes=True,
    ))


class StatusChange(db.Model):
    """One move of a referral or enquiry from one status to another; closing gives a reason."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int | None] = _work_on("referrals")
    enquiry_id: Mapped[int | None] = _work_on("enquiries")
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    from_status: Mapped[str] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    closing_reason: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    staff: Mapped[StaffUser] = relationship()
    referral: Mapped[Referral | None] = relationship(backref=backref(
        "status_changes", order_by="StatusChange.id", cascade="all, delete-orphan", passive_deletes=True,
    ))
    enquiry: Mapped[Enquiry | None] = relationship(backref=backref(
        "status_changes", order_by="StatusChange.id", cascade="all, delete-orphan", passive_deletes=True,
    ))

    @property
    def closing_reason_label(self) -> str:
        """The closing reason in words, or an empty string."""
        return CLOSING_REASONS.get(self.closing_reason or "", self.closing_reason or "")
