"""Text receipts: one outbox row per referral whose caller asked for a text, from waiting to delivered."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ivr.clock import utcnow
from ivr.extensions import db
from ivr.models.records import Referral


class TextStatus(StrEnum):
    """Where a text receipt is. The first two are ours; the rest are Twilio's, as its status callback reports."""

    WAITING = "waiting"  # not yet accepted by Twilio: new, or to be tried again at next_attempt_at
    SENDING = "sending"  # one server has claimed it and is asking Twilio to send it now
    QUEUED = "queued"  # Twilio has accepted it
    SENT = "sent"  # Twilio has passed it to the mobile network
    DELIVERED = "delivered"  # the network says the phone has it
    UNDELIVERED = "undelivered"  # the network could not deliver it (error_code says why)
    FAILED = "failed"  # Twilio could not send it, or we stopped trying


TEXT_STATUS_LABELS = {
    TextStatus.WAITING: "Waiting to be sent",
    TextStatus.SENDING: "Being sent",
    TextStatus.QUEUED: "Accepted by Twilio",
    TextStatus.SENT: "Sent (no delivery report yet)",
    TextStatus.DELIVERED: "Delivered",
    TextStatus.UNDELIVERED: "Not delivered",
    TextStatus.FAILED: "Failed",
}
# A text that will not arrive: staff see it in the queue, and `flask outbox status` reports it.
NOT_ARRIVING = (TextStatus.UNDELIVERED, TextStatus.FAILED)
# Nothing more will happen to it.
SETTLED = (TextStatus.DELIVERED, *NOT_ARRIVING)


class Outbox(db.Model):
    """A referral's text receipt: written with the referral, sent once, its delivery as Twilio reports it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One text per referral, however often the webhook that sends the referral arrives.
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), unique=True)
    to_number: Mapped[str] = mapped_column(String(20), index=True)  # one text receipt a number a day
    body: Mapped[str] = mapped_column(Text)
    status_callback: Mapped[str] = mapped_column(Text, default="")  # our signed webhook for Twilio's reports
    status: Mapped[str] = mapped_column(String(16), default=TextStatus.WAITING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    twilio_sid: Mapped[str | None] = mapped_column(String(34))
    error_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    # Deleted with its referral by the ORM too: SQLite enforces no ON DELETE CASCADE unless asked.
    referral: Mapped[Referral] = relationship(backref=backref("text", uselist=False, cascade="all, delete-orphan"))

    @property
    def status_label(self) -> str:
        """The status in words, with Twilio's error code when there is one."""
        label = TEXT_STATUS_LABELS.get(self.status, self.status)
        return f"{label} (Twilio error {self.error_code})" if self.error_code else label

    @property
    def not_arriving(self) -> bool:
        """True when the text failed or could not be delivered: the caller may not have it."""
        return self.status in NOT_ARRIVING
