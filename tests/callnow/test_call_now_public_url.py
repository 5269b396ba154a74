"""Finding 21.2: no header chooses where Twilio is sent. Every URL Call now gives Twilio is under PUBLIC_BASE_URL;
a request naming another host (Host, or X-Forwarded-Host behind a trusted proxy) is refused; and without a
public address Call now says why it cannot start, and rings nobody."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent
from ivr.tools.phone import flask_transport
from tests.support.call_now import LINE_NUMBER, AnsweredCall, logged_in_with_a_phone
from tests.support.fake_twilio import fake_twilio
from tests.support.line import AUTH_TOKEN, PUBLIC, StaffDesk

EMAIL = "sam.jones@nhs.example"
ATTACKER = "attacker.example"


def _staff_with_a_phone(app, client) -> StaffDesk:
    desk = StaffDesk(app, client)
    logged_in_with_a_phone(app, desk, EMAIL)
    return desk


def _press(desk: StaffDesk, referral_id: int, **headers: str):
    """Press Call now (the form's own token), the request carrying these headers and the staff session's cookie
    whatever Host it names (as a browser sends it to a name rebound to the server)."""
    page = f"/staff/referrals/{referral_id}"
    token = desk.token(page)
    if "Host" in headers:
        ours = (desk.app.config["TRUSTED_HOSTS"] or ["localhost"])[0]
        session = desk.client.get_cookie("session", domain=ours)
        desk.client.set_cookie("session", session.value, domain=headers["Host"])
    return desk.client.post(f"{page}/call-now", data={"csrf_token": token}, headers=headers)


def _urls_given_to_twilio(account) -> list[str]:
    return [value for call in account.calls for name, value in call.form.items() if "Url" in name or
            name == "StatusCallback"]


@pytest.mark.parametrize("trust_proxy", [False, True])
@pytest.mark.parametrize("header", ["Host", "X-Forwarded-Host"])
def test_a_staff_session_naming_another_host_makes_twilio_fetch_nothing_there(another_app, referral, header,
                                                                              trust_proxy):
    referral_id = referral()
    line = another_app(PUBLIC_BASE_URL=PUBLIC, TRUST_PROXY=trust_proxy, TWILIO_PHONE_NUMBER=LINE_NUMBER)
    desk = _staff_with_a_phone(line, line.test_client())
    with fake_twilio(line) as account:
        pressed = _press(desk, referral_id, **{header: ATTACKER})
        assert not any(ATTACKER in url for url in _urls_given_to_twilio(account))
        if header == "Host" or trust_proxy:  # the request names attacker.example: refused outright
            assert pressed.status_code == 400 and account.calls == []
        else:  # without TRUST_PROXY, X-Forwarded-Host is just a header: the call goes, to our own address
            assert pressed.status_code == 302 and len(account.calls) == 1
            assert all(url.startswith(PUBLIC + "/voice/bridge/") for url in _urls_given_to_twilio(account))


def test_every_url_in_the_bridge_is_under_the_public_address_whatever_host_pressed_it(app, client, referral):
    """Even where the host check is not in force (the address set after start-up), nothing comes from Host."""
    referral_id = referral()
    desk = _staff_with_a_phone(app, client)
    app.config.update(PUBLIC_BASE_URL=PUBLIC, TWILIO_PHONE_NUMBER=LINE_NUMBER)
    with fake_twilio(app) as account:
        assert _press(desk, referral_id, Host=ATTACKER).status_code == 302
        [placed] = account.calls
    assert placed.form["Url"].startswith(f"{PUBLIC}/voice/bridge/")
    assert placed.form["StatusCallback"].startswith(f"{PUBLIC}/voice/bridge/")
    staff_phone = AnsweredCall(flask_transport(client), AUTH_TOKEN, call_sid=placed.sid, caller_number=LINE_NUMBER)
    staff_phone.answer(placed.form["Url"]).press("1")
    assert staff_phone.dialled
    fetched = placed.form["Url"]
    for response in staff_phone.responses:  # as Twilio resolves a TwiML action: against the URL it fetched
        for element in response.iter():
            if element.get("action"):
                assert urljoin(fetched, element.get("action")).startswith(f"{PUBLIC}/voice/bridge/")


def test_without_a_public_address_call_now_says_why_and_rings_nobody(app, client, referral):
    referral_id = referral()
    desk = _staff_with_a_phone(app, client)
    app.config.update(PUBLIC_BASE_URL="", TWILIO_PHONE_NUMBER=LINE_NUMBER)
    why = "Call now is not set up: the app has not been given its public address (PUBLIC_BASE_URL)"
    page = client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    assert why in page and '<button type="button" disabled aria-describedby="call-now-why">Call now</button>' in page
    with fake_twilio(app) as account:
        for headers in ({}, {"Host": ATTACKER}):
            assert _press(desk, referral_id, **headers).status_code == 302
            assert why in client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    assert account.calls == []
    with app.app_context():
        refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.call_now_refused"))
        assert [event.detail["reason"] for event in refused] == ["no_public_url", "no_public_url"]
