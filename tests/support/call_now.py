"""Call now in tests: the line's own number, a staff phone, and that phone answering the call Twilio placed."""

from __future__ import annotations

from dataclasses import dataclass

from ivr.extensions import db
from ivr.models import StaffUser, utcnow
from ivr.tools.phone import Phone

# The one number we call callers from (prompts/settings.yaml, numbers: team: "0300 123 0542"): Call now rings the
# staff phone from it and shows it to the caller. Tests also set TWILIO_PHONE_NUMBER to it, as a line may.
LINE_NUMBER = "+443001230542"
STAFF_PHONE = "+447400987654"  # the member of staff's own phone, shown to them as 07400 987654


def give_phone(staff: StaffUser, number: str | None = STAFF_PHONE) -> None:
    """Put a verified phone on an account (or none), as `flask staff set-phone` leaves it; the caller commits."""
    staff.phone_number, staff.phone_verified_at = number, utcnow() if number else None


def logged_in_with_a_phone(app, desk, email: str) -> None:
    """Make an account with a verified phone (`desk` is tests.support.line.StaffDesk) and log it in."""
    staff_id = desk.make(email)
    with app.app_context():
        give_phone(db.session.get(StaffUser, staff_id))
        db.session.commit()
    assert desk.login(email).status_code == 302


@dataclass
class AnsweredCall(Phone):
    """The staff member's phone, answering a call the app placed with calls.create: Twilio then fetches the
    call's Url and follows its TwiML (https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource).
    Build it with the placed call's SID as call_sid and the line's number as caller_number (Twilio's From)."""

    def answer(self, url: str) -> AnsweredCall:
        """The staff member picks up."""
        return self._request(url, {})

    def status_callback(self, url: str, status: str) -> int:
        """Twilio's status callback for the call (CallStatus: completed, no-answer, busy, failed)."""
        self.ended = True
        code, _ = self._post(url, {"CallStatus": status})
        return code

    def resend(self, url: str, params: dict[str, str]) -> int:
        """Twilio delivering a webhook of this call again (it retries); returns the HTTP status."""
        return self.resend_and_read(url, params)[0]

    def resend_and_read(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        """A webhook of this call sent again, signed as Twilio signed it (a retry, or an attacker's captured copy);
        returns the HTTP status and the body, without following it."""
        return self._post(url, params)
