"""What the line stores, one module per part: calls, referrals and enquiries, practices, staff and audit."""

from ivr.clock import utcnow
from ivr.models.callnow import DIAL_OUTCOMES, CallNowAttempt, token_hash
from ivr.models.calls import Call, CallStep
from ivr.models.duplicates import DUPLICATE_REASONS, RESOLUTIONS, PossibleDuplicate
from ivr.models.followups import SafetyFollowUp
from ivr.models.logins import LoginThrottle
from ivr.models.practices import Practice
from ivr.models.recordings import RecordingToDelete
from ivr.models.records import (
    CLOSING_REASONS,
    OPEN,
    STATUS_LABELS,
    UNFINISHED,
    CallRecord,
    Enquiry,
    Referral,
    Status,
    new_reference,
)
from ivr.models.staff import CALLBACK_OUTCOMES, AuditEvent, CallbackAttempt, Note, StaffUser, StatusChange
from ivr.models.texts import TEXT_STATUS_LABELS, Outbox, TextStatus
from ivr.models.two_factor import RecoveryCode, SecondFactor

__all__ = [
    "CALLBACK_OUTCOMES", "CLOSING_REASONS", "OPEN", "STATUS_LABELS", "UNFINISHED", "AuditEvent", "Call",
    "CallRecord", "CallStep", "CallbackAttempt", "Enquiry", "Note", "Practice", "Referral", "StaffUser", "Status",
    "StatusChange", "new_reference", "utcnow",
    "RecordingToDelete", "TEXT_STATUS_LABELS", "Outbox", "TextStatus",
    "DIAL_OUTCOMES", "CallNowAttempt", "token_hash",
    "LoginThrottle", "RecoveryCode", "SecondFactor", "SafetyFollowUp",
    "DUPLICATE_REASONS", "RESOLUTIONS", "PossibleDuplicate",
]
