"""The GP practice directory as stored: Derby and Derbyshire practices from the NHS ODS extract."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from ivr.clock import utcnow
from ivr.extensions import db


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
