"""What the tests share: the test auth token and caller, a referral walked by keys and speech, staff log-ins."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from pathlib import Path

from ivr.extensions import db
from ivr.tools.caller import Answer, Caller, step_asked
from ivr.tools.phone import Phone

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
# The line's public address (PUBLIC_BASE_URL) where Call now or texts are tested: the one the pretend phone signs.
PUBLIC = Phone.base_url

FLOWS = Path(__file__).resolve().parents[2] / "flows"
PRACTICES = FLOWS.parent / "data" / "gp-practices-derby-derbyshire.csv"  # the shipped directory


STAFF_PASSWORD = "a long enough passphrase"
CALLER = "+447400123456"  # shown to staff as 07400 123456


def walk_referral(call: Phone, urgent: bool = False, text: str | None = None, voicemail: str = "1",
                  answers: Mapping[str, Answer] | None = None) -> Phone:
    """Answer every referral question on a call at the main menu, by step: REFERRAL's answers, then these.

    `text` answers "can we text you?", asked only of a mobile on a line that can send texts.
    """
    given = {"referral.urgent": "1" if urgent else "2", "referral.voicemail": voicemail,
             **({"referral.text_consent": text, "referral.text_own": text} if text is not None else {}),
             **(answers or {})}
    call = Caller(call, given).to_the_end()
    assert call.ended, call.said
    return call


# What the line says once a referral is sent, before the reference (1 hears it again).
SENT = "Thank you. Your referral has been sent."


def sent_and_goodbye(call: Phone) -> Phone:
    """A call told its referral is sent and its reference: with no key pressed, it hears what happens next and
    goodbye, and the line hangs up."""
    assert SENT in call.said and step_asked(call) == "referral.reference", call.said
    call.silence()
    assert call.ended and "will call you within" in call.said and "Goodbye" in call.said, call.said
    return call


def heard_sent(call: Phone) -> bool:
    """Whether a call that has ended heard its referral was sent, its reference, what happens next and goodbye."""
    heard = " ".join(call.transcript)
    return call.ended and SENT in heard and heard.index(SENT) < heard.rindex("Your reference is") < heard.rindex(
        "Goodbye")


def at(call: Phone, step: str, answers: Mapping[str, Answer] | None = None) -> Phone:
    """Answer a call by step (REFERRAL's answers, then these) until the line asks `step`, left for the test."""
    return Caller(call, answers).until(step)


def taken_date_of_birth(call: Phone) -> Phone:
    """Check a confirmed date of birth was taken: the line does not ask it again, and the call goes on (answered by
    step) to "which GP practice?"; returns the call there."""
    assert step_asked(call) not in {"referral.date_of_birth", "referral.date_of_birth_confirm"}, call.said
    return at(call, "referral.practice")


def to_practice(phone, **kwargs) -> Phone:
    """Dial (phone(**kwargs)), choose referral, give and confirm a date of birth: at "which GP practice?"."""
    return at(phone(**kwargs), "referral.practice")


class StaffDesk:
    """Staff accounts and logging in through the real form, CSRF token and all."""

    def __init__(self, app, client):
        self.app, self.client = app, client
        self.secrets: dict[str, str] = {}  # each account's authenticator secret, as its phone holds it
        self.recovery_codes: dict[str, list[str]] = {}  # as shown once at enrolment

    def make(self, email: str = "sam.jones@nhs.example", password: str = STAFF_PASSWORD,
             admin: bool = False, authenticator: bool | None = None) -> int:
        """Create an account; returns its id.

        Where the app requires a second factor (STAFF_REQUIRE_2FA), the account comes with an authenticator
        app already set up, as after its first login, so that login() types its code and gets the usual
        redirect; authenticator=False leaves it to enrol at its first login.
        """
        import pyotp

        from ivr.models import SecondFactor, utcnow
        from ivr.staff.accounts import create

        with self.app.app_context():
            staff = create(email, password, admin=admin)
            if authenticator or (authenticator is None and self.app.config["STAFF_REQUIRE_2FA"]):
                self.secrets[staff.email] = pyotp.random_base32()
                db.session.add(SecondFactor(staff_id=staff.id, secret=self.secrets[staff.email], confirmed_at=utcnow()))
            db.session.commit()
            return staff.id

    def token(self, url: str, client=None) -> str:
        """The CSRF token from a form on the page at `url`."""
        html = (client or self.client).get(url).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                          html)
        assert match, f"no CSRF token on {url}"
        return match.group(1) or match.group(2)

    def login(self, email: str = "sam.jones@nhs.example", password: str = STAFF_PASSWORD, client=None,
              second_factor: bool = True):
        """Log in through the form; returns the last response.

        When the app asks for a second factor, it is given as the account's phone would: a first login
        scans the enrolment page's secret and confirms it (the last response is then the recovery codes
        page, 200), later ones type the app's code (302). second_factor=False stops after the password.
        """
        client = client or self.client
        response = client.post("/staff/login", data={
            "email": email, "password": password, "csrf_token": self.token("/staff/login", client)})
        where = response.headers.get("Location", "") if response.status_code == 302 else ""
        if not second_factor or where not in {"/staff/login/enrol", "/staff/login/code"}:
            return response
        if where == "/staff/login/enrol":
            page = client.get(where).get_data(as_text=True)
            self.secrets[email] = "".join(re.search(r'<p class="secret" id="secret">([A-Z2-7 ]+)</p>', page)[1].split())
            response = client.post(where, data={"code": self.code(email), "csrf_token": self.token(where, client)})
            self.recovery_codes[email] = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>",
                                                    response.get_data(as_text=True))
            return response
        return client.post(where, data={"code": self.code(email), "csrf_token": self.token(where, client)})

    def code(self, email: str = "sam.jones@nhs.example") -> str:
        """What the account's authenticator app shows now; if that code was used already, the next one (the
        line accepts one step ahead, for a clock that runs fast) rather than waiting 30 seconds for it."""
        import pyotp
        from sqlalchemy import select

        from ivr.models import SecondFactor, StaffUser

        with self.app.app_context():
            factor = db.session.scalars(select(SecondFactor).join(
                StaffUser, StaffUser.id == SecondFactor.staff_id).where(StaffUser.email == email.lower())).one()
            secret, last = self.secrets.get(email, factor.secret), factor.last_step
        totp = pyotp.TOTP(secret)
        step = int(time.time()) // totp.interval
        step = max(step, (last or 0) + 1)
        assert step <= int(time.time()) // totp.interval + 1, "more than two logins for one account in 30 seconds"
        return totp.generate_otp(step)

    def post(self, url: str, data: dict, page: str | None = None, client=None):
        """Post a form with a token taken from `page` (default: the same URL)."""
        client = client or self.client
        return client.post(url, data={**data, "csrf_token": self.token(page or url, client)})

    def export(self, filter_name: str = "all", client=None):
        """Press "Download this list (CSV)" on the referral queue (admins only): a POST with the page's token."""
        return self.post("/staff/referrals.csv", {"filter": filter_name},
                         page=f"/staff/referrals?filter={filter_name}", client=client)


def number_we_call_from(said: str) -> str:
    """The number the goodbye says our team will call from ("... from oh 3 oh oh, 1 2 3, oh 5 4 2."), in E.164."""
    match = re.search(r"will call you within .*?, from ([oh0-9 ,]+)\.", said)
    assert match, said
    digits = match.group(1).replace("oh", "0").replace(" ", "").replace(",", "")
    return "+44" + digits[1:]
