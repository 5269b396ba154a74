"""Recordings left at Twilio by records the line deleted during a call, waiting for the purge to delete them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from ivr.clock import utcnow
from ivr.extensions import db


class RecordingToDelete(db.Model):
    """A recording's SID at Twilio, kept until `flask retention purge` has deleted the recording there.

    A caller's webhook never waits on Twilio: forgetting an under-16 or out-of-area caller queues
    the recording here instead of deleting it then.
    """

    __tablename__ = "recordings_to_delete"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_sid: Mapped[str] = mapped_column(String(64))
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
