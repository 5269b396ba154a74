"""Finding 21.9: Call now rings only valid UK mobile and landline numbers. A confirmed but unusual number (the
review's +449991234567 came out as <Dial><Number>+449991234567</Number>), a premium-rate or directory-enquiries
number or a foreign one is never dialled: the button is disabled with the reason, and a post is refused too."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.callflow.numbers import is_callable_uk
from ivr.extensions import db
from ivr.models import AuditEvent, Referral, StaffUser
from ivr.tools.phone import flask_transport
from tests.support.call_now import LINE_NUMBER, AnsweredCall, give_phone, logged_in_with_a_phone
from tests.support.fake_twilio import fake_twilio
from tests.support.line import AUTH_TOKEN, PUBLIC

EMAIL = "sam.jones@nhs.example"
BUTTON = '<button type="submit">Call now</button>'
DISABLED = '<button type="button" disabled aria-describedby="call-now-why">Call now</button>'
WHY = "Call now only rings UK mobile and landline numbers, and this callback number is not one"
NOT_RUNG = [
    "+449991234567",  # the review's: confirmed by the caller as unusual, no real range
    "+449098790000",  # premium rate (09)
    "+44118118",  # directory enquiries (118 118), as keyed
    "+448712345678",  # 0871: a service number charged to the caller
    "+447012345678",  # 070: a personal number, forwarded anywhere at a premium
    "+448001234567",  # 0800: free, but never a caller's own phone
    "+33612345678",  # a French mobile
]
RUNG = ["+447400123456", "+441332123456", "+441181180000"]  # a mobile; Derby and Reading (0118) landlines


@pytest.fixture
def desk(app, staff):
    logged_in_with_a_phone(app, staff, EMAIL)
    app.config.update(TWILIO_PHONE_NUMBER=LINE_NUMBER, PUBLIC_BASE_URL=PUBLIC)
    return staff


def _with_callback_number(app, referral_id: int, number: str) -> None:
    with app.app_context():
        db.session.get(Referral, referral_id).callback_number = number
        db.session.commit()


@pytest.mark.parametrize("number", NOT_RUNG)
def test_a_number_that_is_not_an_ordinary_uk_one_is_never_dialled(app, client, desk, referral, number):
    referral_id = referral()
    _with_callback_number(app, referral_id, number)
    page = f"/staff/referrals/{referral_id}"
    shown = client.get(page).get_data(as_text=True)
    assert DISABLED in shown and BUTTON not in shown and WHY in shown
    with fake_twilio(app) as account:
        assert desk.post(f"{page}/call-now", {}, page=page).status_code == 302
    assert account.calls == [] and WHY in client.get(page).get_data(as_text=True)
    with app.app_context():
        refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.call_now_refused"))
        assert [event.detail for event in refused] == [{"reason": "not_a_uk_number"}]


@pytest.mark.parametrize("number", RUNG)
def test_uk_mobiles_and_landlines_are_rung(app, client, desk, referral, number):
    referral_id = referral()
    _with_callback_number(app, referral_id, number)
    page = f"/staff/referrals/{referral_id}"
    assert BUTTON in client.get(page).get_data(as_text=True)
    with fake_twilio(app) as account:
        desk.post(f"{page}/call-now", {}, page=page)
        [placed] = account.calls
    staff_phone = AnsweredCall(flask_transport(client), AUTH_TOKEN, call_sid=placed.sid, caller_number=LINE_NUMBER)
    assert staff_phone.answer(placed.form["Url"]).press("1").dialled == number


def test_a_number_changed_after_the_button_was_pressed_is_not_dialled_either(app, client, desk, referral):
    referral_id = referral()
    page = f"/staff/referrals/{referral_id}"
    with fake_twilio(app) as account:
        desk.post(f"{page}/call-now", {}, page=page)
        [placed] = account.calls
    _with_callback_number(app, referral_id, "+449991234567")
    staff_phone = AnsweredCall(flask_transport(client), AUTH_TOKEN, call_sid=placed.sid, caller_number=LINE_NUMBER)
    staff_phone.answer(placed.form["Url"]).press("1")
    assert staff_phone.dialled is None and staff_phone.ended


def test_a_staff_phone_that_is_not_an_ordinary_uk_one_is_not_rung(app, client, desk, referral):
    referral_id = referral()
    with app.app_context():
        give_phone(db.session.scalars(select(StaffUser)).one(), "+449098790000")
        db.session.commit()
    page = f"/staff/referrals/{referral_id}"
    with fake_twilio(app) as account:
        desk.post(f"{page}/call-now", {}, page=page)
    assert account.calls == []
    assert "your phone number is not one. Change it on My account." in client.get(page).get_data(as_text=True)


@pytest.mark.parametrize(("number", "callable_"), [*((n, False) for n in NOT_RUNG), *((n, True) for n in RUNG),
                                                   ("07400123456", False), ("", False), (None, False)])
def test_only_e164_uk_mobiles_and_landlines_are_callable(number, callable_):
    assert is_callable_uk(number) is callable_
