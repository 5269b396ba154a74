"""What the tests share: the test auth token and caller, a referral walked by keys and speech, staff log-ins."""

from __future__ import annotations

import re
from pathlib import Path

from ivr.extensions import db
from ivr.tools.phone import Phone

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
# The line's public address (PUBLIC_BASE_URL) where Call now or texts are tested: the one the pretend phone signs.
PUBLIC = Phone.base_url

FLOWS = Path(__file__).resolve().parents[2] / "flows"
PRACTICES = FLOWS.parent / "data" / "gp-practices-derby-derbyshire.csv"  # the shipped directory


STAFF_PASSWORD = "a long enough passphrase"
CALLER = "+447400123456"  # shown to staff as 07400 123456


def walk_referral(call: Phone, urgent: bool = False, text: str | None = None, voicemail: str = "1") -> Phone:
    """Answer every referral question on a call at the main menu (keys and speech, no prompt wording).

    `text` answers "can we text you?", asked only of a mobile on a line that can send texts.
    """
    call.press("2").press("14031988").press("1")  # refer; date of birth, confirmed
    call.say("somewhere I cannot name").say("still no idea")  # not matched twice: "are you registered here?"
    call.press("1").say("Jane Smith").press("1")  # yes; name, confirmed
    call.press("1")  # the caller's own number
    if text is not None:
        call.press(text)
    call.press(voicemail)  # voicemail OK?
    call.press("2")  # no help needed to talk with us
    call.press("1").press("2")  # mornings, by phone
    call.press("1" if urgent else "2")  # thoughts of harm, or feeling unsafe? (no: the referral is sent)
    if urgent:
        call.press("2")  # offered the helpline after the crisis routes: carry on, and the referral is sent
    assert call.ended, call.said
    return call


class StaffDesk:
    """Staff accounts and logging in through the real form, CSRF token and all."""

    def __init__(self, app, client):
        self.app, self.client = app, client

    def make(self, email: str = "sam.jones@nhs.example", password: str = STAFF_PASSWORD,
             admin: bool = False) -> int:
        """Create an account; returns its id."""
        from ivr.staff.accounts import create

        with self.app.app_context():
            staff = create(email, password, admin=admin)
            db.session.commit()
            return staff.id

    def token(self, url: str, client=None) -> str:
        """The CSRF token from a form on the page at `url`."""
        html = (client or self.client).get(url).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                          html)
        assert match, f"no CSRF token on {url}"
        return match.group(1) or match.group(2)

    def login(self, email: str = "sam.jones@nhs.example", password: str = STAFF_PASSWORD, client=None):
        """Log in through the form; returns the response."""
        client = client or self.client
        return client.post("/staff/login", data={
            "email": email, "password": password, "csrf_token": self.token("/staff/login", client)})

    def post(self, url: str, data: dict, page: str | None = None, client=None):
        """Post a form with a token taken from `page` (default: the same URL)."""
        client = client or self.client
        return client.post(url, data={**data, "csrf_token": self.token(page or url, client)})
