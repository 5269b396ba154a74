"""The "Call now" button: shown when it can work, refused in words staff can act on, always audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, CallNowAttempt, Enquiry, Referral, StaffUser
from tests.support.call_now import LINE_NUMBER, STAFF_PHONE, give_phone
from tests.support.fake_twilio import fake_twilio
from tests.support.line import PUBLIC

EMAIL = "sam.jones@nhs.example"
BUTTON = '<button type="submit">Call now</button>'


def _logged_in(app, staff, phone: str | None = STAFF_PHONE) -> None:
    """Log in a member of staff with this phone, on a line with its number and public address."""
    app.config.update(TWILIO_PHONE_NUMBER=LINE_NUMBER, PUBLIC_BASE_URL=PUBLIC)
    staff_id = staff.make(EMAIL)
    with app.app_context():
        give_phone(db.session.get(StaffUser, staff_id), phone)
        db.session.commit()
    staff.login(EMAIL)


def _refusals(app) -> list[str]:
    with app.app_context():
        return [event.detail["reason"] for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "referral.call_now_refused"))]


def _press(staff, client, referral_id: int) -> str:
    page = f"/staff/referrals/{referral_id}"
    response = staff.post(f"{page}/call-now", {}, page=page)
    assert response.status_code == 302
    return client.get(page).get_data(as_text=True)


def test_the_button_shows_only_when_the_record_has_a_number_and_staff_a_phone(app, client, staff, referral):
    with_number, withheld = referral(), referral()
    _logged_in(app, staff, phone=None)
    page = client.get(f"/staff/referrals/{with_number}").get_data(as_text=True)
    assert BUTTON not in page and "add your phone number on" in page and "/staff/account" in page
    with app.app_context():
        give_phone(db.session.scalars(select(StaffUser)).one())
        db.session.commit()
    page = client.get(f"/staff/referrals/{with_number}").get_data(as_text=True)
    assert BUTTON in page and "Rings your phone (07400 987654) first" in page
    with app.app_context():
        db.session.get(Referral, withheld).callback_number = None
        db.session.commit()
    page = client.get(f"/staff/referrals/{withheld}").get_data(as_text=True)
    assert BUTTON not in page and "There is no callback number, so Call now cannot ring them." in page


def test_the_button_is_on_an_enquiry_too(app, client, staff, phone):
    phone().press("3").press("2").record(seconds=12).press("1")  # a message; call back on this number
    _logged_in(app, staff)
    with app.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        assert enquiry.callback_number, "the enquiry flow kept no callback number"
        enquiry_id = enquiry.id
    page = client.get(f"/staff/enquiries/{enquiry_id}").get_data(as_text=True)
    assert BUTTON in page and f'action="/staff/enquiries/{enquiry_id}/call-now"' in page


def test_a_successful_press_says_the_staff_phone_is_ringing(app, client, staff, referral):
    referral_id = referral()
    _logged_in(app, staff)
    app.config["TWILIO_PHONE_NUMBER"] = LINE_NUMBER
    with fake_twilio(app) as account:
        shown = _press(staff, client, referral_id)
    assert "Calling your phone (07400 987654) now." in shown and "Your phone is ringing." in shown
    assert [(c.form["To"], c.form["From"]) for c in account.calls] == [(STAFF_PHONE, LINE_NUMBER)]
    with app.app_context():
        started = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.call_now_started")).one()
        attempt = db.session.scalars(select(CallNowAttempt)).one()
        # The staff phone used, by its last 3 digits only (07400 987654).
        assert (started.actor, started.subject_id, started.detail) == (
            EMAIL, referral_id, {"attempt_id": attempt.id, "staff_phone": "***654"})
        assert attempt.call_sid == account.calls[0].sid and len(attempt.token_hash) == 64
        assert attempt.token_hash not in account.calls[0].form["Url"]  # only the hash is kept, never the token
        attempt.created_at -= timedelta(minutes=6)  # Twilio never said how it went
        db.session.commit()
    assert "Your phone is ringing." not in client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)


def test_call_now_rings_from_the_number_we_call_from_not_the_lines_own(app, client, staff, referral):
    referral_id = referral()
    _logged_in(app, staff)
    app.config["TWILIO_PHONE_NUMBER"] = "+441332555000"  # the number callers ring: not the one we call them from
    with fake_twilio(app) as account:
        _press(staff, client, referral_id)
    assert [c.form["From"] for c in account.calls] == [LINE_NUMBER]  # settings.yaml's numbers: team


def test_twilio_refusing_the_call_is_explained(app, client, staff, referral):
    referral_id = referral()
    _logged_in(app, staff)
    app.config["TWILIO_PHONE_NUMBER"] = LINE_NUMBER
    with fake_twilio(app) as account:
        account.refuse_calls_to[STAFF_PHONE] = 21211  # Twilio: invalid 'To' phone number
        shown = _press(staff, client, referral_id)
    assert "Twilio refused the call (error 21211). Twilio would not ring your phone number." in shown
    assert "Check it on My account." in shown and "Traceback" not in shown
    assert _refusals(app) == ["twilio_21211"]
    with app.app_context():
        assert db.session.scalars(select(CallNowAttempt)).all() == []


def test_twilio_out_of_reach_or_not_configured_is_explained(app, client, staff, referral):
    referral_id = referral()
    _logged_in(app, staff)
    app.config.update(TWILIO_PHONE_NUMBER=LINE_NUMBER, TWILIO_ACCOUNT_SID="")
    assert "(TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)" in _press(staff, client, referral_id)
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_API_BASE_URL="http://127.0.0.1:9")
    assert "Twilio could not be reached just now" in _press(staff, client, referral_id)
    assert _refusals(app) == ["twilio_not_configured", "twilio_unreachable"]


def test_staff_without_a_phone_are_told_to_add_one(app, client, staff, referral):
    referral_id = referral()
    _logged_in(app, staff, phone=None)
    app.config["TWILIO_PHONE_NUMBER"] = LINE_NUMBER
    with fake_twilio(app) as account:
        shown = _press(staff, client, referral_id)
    assert "Your account has no phone number for Call now to ring. Add it on My account." in shown
    assert account.calls == [] and _refusals(app) == ["no_staff_phone"]


@pytest.mark.parametrize("token", [None, "not-the-token"])
def test_call_now_needs_the_forms_token(app, client, staff, referral, token):
    referral_id = referral()
    _logged_in(app, staff)
    app.config["TWILIO_PHONE_NUMBER"] = LINE_NUMBER
    with fake_twilio(app) as account:
        data = {} if token is None else {"csrf_token": token}
        response = client.post(f"/staff/referrals/{referral_id}/call-now", data=data)
    assert response.status_code == 400 and account.calls == []


def test_logged_out_nobody_can_call(app, client, referral):
    referral_id = referral()
    response = client.post(f"/staff/referrals/{referral_id}/call-now")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
