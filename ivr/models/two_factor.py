"""A staff account's second factor: its authenticator (TOTP) secret and its one-time recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ivr.extensions import db
from ivr.models.calls import utcnow


class SecondFactor(db.Model):
    """The authenticator app an account enrolled; unconfirmed until its first code was typed back."""

    __tablename__ = "staff_second_factors"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True)
    # Base32, as the app was given it. Never logged, audited or shown again after enrolment.
    secret: Mapped[str] = mapped_column(String(64))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last 30-second time step whose code was accepted: a code is never taken twice, nor an older one.
    last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RecoveryCode(db.Model):
    """One of the codes shown once at enrolment, kept only as an argon2 hash; each opens one login."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
