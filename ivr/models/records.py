"""What a call leaves for staff: a referral or an existing patient's enquiry, and the statuses they move through."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ivr.clock import utcnow
from ivr.extensions import db
from ivr.models.calls import Call
from ivr.models.practices import Practice


class Status(StrEnum):
    """Where a referral or enquiry is: the line sets the first three, staff move it on from there."""

    IN_PROGRESS = "in_progress"  # the call is still going
    NEW = "new"  # sent by the caller
    INCOMPLETE = "incomplete"  # the call dropped before it was sent
    CONTACTED = "contacted"
    ASSESSMENT_BOOKED = "assessment_booked"
    CLOSED = "closed"


STATUS_LABELS = {
    Status.IN_PROGRESS: "Call in progress",
    Status.NEW: "New",
    Status.INCOMPLETE: "Incomplete (call dropped)",
    Status.CONTACTED: "Contacted",
    Status.ASSESSMENT_BOOKED: "Assessment booked",
    Status.CLOSED: "Closed",
}
# Not yet sent: the call is going on, or it dropped.
UNFINISHED = (Status.IN_PROGRESS, Status.INCOMPLETE)
# Still to be worked by staff.
OPEN = (Status.NEW, Status.INCOMPLETE, Status.CONTACTED, Status.ASSESSMENT_BOOKED)
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


class CallRecord:
    """What a referral and an enquiry share: the call that made them, a status, a callback number, staff edits."""

    kind: str  # "referral" or "enquiry", as the audit log, the staff work tables and URLs name it
    recording_field: str  # the column that holds the SID of its recording at Twilio, if any

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), unique=True)
    status: Mapped[str] = mapped_column(String(24), default=Status.IN_PROGRESS, index=True)
    callback_number: Mapped[str | None] = mapped_column(String(20))
    # What the caller last keyed or said for a callback number: what staff check when no usable number came of it.
    callback_said: Mapped[str | None] = mapped_column(Text)
    # Communication needs, said at the main menu or the referral's communication question: an interpreter (and its
    # language, when one of settings.yaml's was named), and a call through text relay, to be called back the same way.
    interpreter: Mapped[bool | None] = mapped_column(Boolean)
    interpreter_language: Mapped[str | None] = mapped_column(String(40))
    relay_uk: Mapped[bool | None] = mapped_column(Boolean)
    # The language the caller chose at the main menu (settings.yaml's `languages:`, "pl-PL"); None: English.
    language: Mapped[str | None] = mapped_column(String(16))
    # Sentences the line could not read as an answer, or heard besides one, and offered help now after, as heard
    # (" / " between them), and the words of flows/risk.yaml's `to_check:` in them: the risk model heard no risk, but
    # may have missed some, so staff see the words, and with words to check, first after the urgent ones
    # (ivr/callflow/urgency.py::note_besides).
    said_besides: Mapped[str | None] = mapped_column(Text)
    said_besides_to_check: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Staff edits check this so that two people cannot silently overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 (SQLAlchemy's declared attribute)
        return {"version_id_col": cls.version}

    @property
    def recording_sid_held(self) -> str | None:
        """The SID of the recording at Twilio that this record holds (a recorded name or message), if any."""
        return getattr(self, self.recording_field)

    def submit(self) -> None:
        """The caller sent it: it joins the staff queue as new."""
        self.status, self.submitted_at = Status.NEW, utcnow()

    def mark_incomplete(self) -> bool:
        """The call ended before it was sent: staff call back. False if it had already been sent."""
        if self.status != Status.IN_PROGRESS:
            return False
        self.status = Status.INCOMPLETE
        return True


# Digits only, so an existing patient can key it; the letters say which line it came from.
REFERENCE_PREFIX = "IPT"


def new_reference() -> str:
    """A six-digit reference, e.g. 'IPT-482913', short enough to say and to key."""
    return f"{REFERENCE_PREFIX}-{secrets.randbelow(900000) + 100000}"


class Referral(CallRecord, db.Model):
    """A self-referral captured on the phone, saved answer by answer."""

    __tablename__ = "referrals"
    # The line looks for possible duplicates by date of birth or callback number (ivr/voice/duplicates.py).
    __table_args__ = (Index("ix_referrals_callback_number", "callback_number"),)
    kind, recording_field = "referral", "name_recording_sid"

    reference: Mapped[str] = mapped_column(String(16), unique=True, default=new_reference)
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)
    # No date of birth taken after the tries: every try as the caller said or keyed it, for staff to confirm, and
    # their answer to "Are you 16 or over?" (None: no answer).
    date_of_birth_said: Mapped[str | None] = mapped_column(Text)
    date_of_birth_to_check: Mapped[bool] = mapped_column(Boolean, default=False)
    sixteen_or_over: Mapped[bool | None] = mapped_column(Boolean)
    practice_ods_code: Mapped[str | None] = mapped_column(ForeignKey("practices.ods_code"))
    practice_said: Mapped[str | None] = mapped_column(Text)
    practice_to_check: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str | None] = mapped_column(Text)
    name_recording_url: Mapped[str | None] = mapped_column(Text)
    name_recording_sid: Mapped[str | None] = mapped_column(String(64))
    voicemail_ok: Mapped[bool | None] = mapped_column(Boolean)
    text_ok: Mapped[bool | None] = mapped_column(Boolean)  # a text receipt: None when not offered
    # A keyed callback number the caller said is their own mobile: a text may go to it (else only to their caller ID).
    own_mobile_confirmed: Mapped[bool | None] = mapped_column(Boolean)
    best_time: Mapped[str | None] = mapped_column(String(16))
    session_preference: Mapped[str | None] = mapped_column(String(16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # Why and where the line flagged it urgent (a code such as "risk_phrase:intent"), and the words the caller said
    # then, as heard: the clinical information staff need to triage the flag (docs/clinical-safety.md).
    urgent_reason: Mapped[str | None] = mapped_column(String(40))
    urgent_step: Mapped[str | None] = mapped_column(String(80))
    urgent_words: Mapped[str | None] = mapped_column(Text)
    # Communication needs (NHS Accessible Information Standard): asked yes/no, then what, as said.
    communication_help: Mapped[bool | None] = mapped_column(Boolean)
    communication_needs: Mapped[str | None] = mapped_column(Text)
    # Ten digits, and where they came from: "call" when the caller keyed it (its check digit right, read back and
    # confirmed), "pds" when a staff search of NHS England's Personal Demographics Service found exactly one person
    # (ivr/staff/nhs_number.py). Neither is verified by staff yet.
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)  # a possible duplicate's match
    nhs_number_source: Mapped[str | None] = mapped_column(String(16))
    # Derbyshire's local priorities, asked in one question on the call (None: not asked, or no answer): seen after
    # urgent referrals and before the rest.
    pregnant_or_baby_under_one: Mapped[bool | None] = mapped_column(Boolean)
    ex_forces: Mapped[bool | None] = mapped_column(Boolean)  # served in the UK armed forces

    @property
    def priority(self) -> bool:
        """In one of Derbyshire's priority groups (issue 25): the queue lists it after urgent referrals."""
        return bool(self.pregnant_or_baby_under_one or self.ex_forces)

    call: Mapped[Call] = relationship(back_populates="referral")
    practice: Mapped[Practice | None] = relationship()


class Enquiry(CallRecord, db.Model):
    """A message left by an existing patient on the enquiry line."""

    __tablename__ = "enquiries"
    kind, recording_field = "enquiry", "recording_sid"

    reference_given: Mapped[str | None] = mapped_column(String(32))
    recording_url: Mapped[str | None] = mapped_column(Text)
    recording_sid: Mapped[str | None] = mapped_column(String(64))
    recording_seconds: Mapped[int | None] = mapped_column(Integer)
    voicemail_ok: Mapped[bool | None] = mapped_column(Boolean)
    # Flagged as referrals are: staff see the category and the words said (or the message's transcript excerpt).
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    urgent_reason: Mapped[str | None] = mapped_column(String(40))
    urgent_step: Mapped[str | None] = mapped_column(String(80))
    urgent_words: Mapped[str | None] = mapped_column(Text)
    # The recorded message as Twilio transcribed it, and how that went ("completed", "failed", or None: not asked).
    message_transcript: Mapped[str | None] = mapped_column(Text)
    transcription_status: Mapped[str | None] = mapped_column(String(16))
    # The transcription that was stored, so a callback delivered twice changes nothing the second time.
    transcription_sid: Mapped[str | None] = mapped_column(String(64))
    # A message to listen to next after the urgent ones (ivr/voice/transcription.py): the risk model heard nothing in
    # its transcript but it has words of flows/risk.yaml's `to_check:` (kept here, comma-separated), or it could not
    # hear it (the transcription failed or is empty, or the caller may not have spoken English: to_check_words None).
    message_to_check: Mapped[bool] = mapped_column(Boolean, default=False)
    to_check_words: Mapped[str | None] = mapped_column(String(200))

    call: Mapped[Call] = relationship(back_populates="enquiry")
