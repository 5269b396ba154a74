"""Possible duplicates: a new referral that looks like another from the last months, marked on both for staff.

One row per pair, written by the line when the newer referral is sent (or its call drops with a date of birth):
an INSERT only, so the line never locks or re-versions the other referral, which staff may be editing. Staff merge
(close one as a duplicate of the other) or dismiss the mark; either way it stays here, resolved, as the history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ivr.clock import utcnow
from ivr.extensions import db
from ivr.models.records import Referral
from ivr.models.staff import StaffUser

# Why the line thinks two referrals may be one person, as stored (space-separated) and as staff read it.
DUPLICATE_REASONS = {
    "nhs_number": "same NHS number",
    "name_and_date_of_birth": "same date of birth and a similar name",
    "callback_number": "same callback number",
}
RESOLUTIONS = {"merged": "Merged", "dismissed": "Dismissed: not the same person"}


class PossibleDuplicate(db.Model):
    """A referral (`referral`, the newer) that may be the same person as an earlier one (`earlier`)."""

    __tablename__ = "possible_duplicates"
    __table_args__ = (UniqueConstraint("referral_id", "earlier_id"),)
    kind = "possible_duplicate"  # the audit log's subject type

    id: Mapped[int] = mapped_column(primary_key=True)
    # Deleted with either referral (retention): a mark about a referral that is gone says nothing.
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    earlier_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    reasons: Mapped[str] = mapped_column(String(80))  # DUPLICATE_REASONS' codes, space-separated
    found_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # None while open; "merged" or "dismissed" by staff, with who and when; a merge names the referral it closed.
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    closed_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id", ondelete="SET NULL"))

    referral: Mapped[Referral] = relationship(foreign_keys=[referral_id])
    earlier: Mapped[Referral] = relationship(foreign_keys=[earlier_id])
    resolved_by: Mapped[StaffUser | None] = relationship()

    def other(self, referral: Referral) -> Referral:
        """The other referral of the pair, seen from `referral`."""
        return self.earlier if referral.id == self.referral_id else self.referral

    @property
    def reason_labels(self) -> list[str]:
        """Why the line marked them, in words."""
        return [DUPLICATE_REASONS.get(code, code) for code in self.reasons.split()]
