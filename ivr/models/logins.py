"""Failed staff logins counted per network address, where every worker and server sees the same count."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ivr.extensions import db


class LoginThrottle(db.Model):
    """One network's failed logins in its current window; deleted once that window is long past."""

    __tablename__ = "login_throttles"

    # An IPv4 address, or an IPv6 address's /64 (what one household, or one attacker, is given).
    network: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
