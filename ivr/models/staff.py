"""The staff dashboard's records: accounts, the audit trail, and the work done on referrals and enquiries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ivr.clock import utcnow
from ivr.extensions import db
from ivr.models.records import CLOSING_REASONS, Enquiry, Referral

CALLBACK_OUTCOMES = {
    "reached": "Reached",
    "no_answer": "No answer",
    "voicemail_left": "Voicemail left",
    "wrong_number": "Wrong number",
}
# Logged by Call now from how Twilio's <Dial> ended, never chosen by hand ("no_answer" is shared).
DIALLED_OUTCOMES = {
    "busy": "Busy",
    "failed": "Did not go through",
    "cancelled": "Rang, but hung up before they answered",
    "connected": "Connected (reached or voicemail: to confirm)",
}


def work_on(table: str):
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
    # In every session cookie; bumped at logout, a new password and disabling, which ends every older session.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The staff member's own phone in E.164, which Call now rings; never shown to callers.
    phone_number: Mapped[str | None] = mapped_column(String(20))
    # Set when its owner entered the code texted to it, or an admin set it at the server; Call now needs it.
    phone_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The code texted to an unverified phone: only its keyed hash, when it was sent, and the wrong tries so far.
    phone_code_hash: Mapped[str | None] = mapped_column(String(64))
    phone_code_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    phone_code_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def phone_verified(self) -> bool:
        """Whether Call now may ring the account's phone: there is one, and it was verified."""
        return bool(self.phone_number and self.phone_verified_at)

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
    # Where an event made in a request came from: the client's address (as ProxyFix gives it behind a trusted
    # proxy) and its User-Agent, cut short. None for the app's own jobs and the command line.
    address: Mapped[str | None] = mapped_column(String(45))
    browser: Mapped[str | None] = mapped_column(String(200))

    staff: Mapped[StaffUser | None] = relationship()


class CallbackAttempt(db.Model):
    """A time staff rang someone back, and what happened."""

    __tablename__ = "callback_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int | None] = work_on("referrals")
    enquiry_id: Mapped[int | None] = work_on("enquiries")
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
        return CALLBACK_OUTCOMES.get(self.outcome) or DIALLED_OUTCOMES.get(self.outcome, self.outcome)


class Note(db.Model):
    """A free-text note staff wrote on a referral or enquiry."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int | None] = work_on("referrals")
    enquiry_id: Mapped[int | None] = work_on("enquiries")
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
    referral_id: Mapped[int | None] = work_on("referrals")
    enquiry_id: Mapped[int | None] = work_on("enquiries")
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
