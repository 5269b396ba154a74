"""Changing the phone Call now rings on My account: the password again, then a 6-digit code texted to the new
number (through the fake of Twilio's Messages API in tests/support/fake_messages.py), entered within 10
minutes and 5 tries. Until then Call now refuses to ring it. The audit log has only its last 3 digits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from ivr.extensions import db
from ivr.models import AuditEvent, CallNowAttempt, StaffUser
from tests.support.call_now import LINE_NUMBER
from tests.support.fake_messages import LINE_NUMBER as TEXTS_FROM
from tests.support.fake_messages import fake_messaging
from tests.support.fake_twilio import fake_twilio
from tests.support.line import STAFF_PASSWORD

EMAIL = "sam.jones@nhs.example"
NEW_PHONE = "+447400555654"  # written on the form as 07400 555654
BUTTON = '<button type="submit">Call now</button>'


@pytest.fixture
def texts(app, staff):
    """A logged-in member of staff without a phone, and the fake Twilio that takes the texted codes."""
    staff.make(EMAIL)
    staff.login(EMAIL)
    with fake_messaging(app) as messaging:
        yield messaging


def _account(app) -> StaffUser:
    with app.app_context():
        account = db.session.scalars(select(StaffUser)).one()
        db.session.expunge(account)
        return account


def _save(staff, number: str = "07400 555654", password: str = STAFF_PASSWORD):
    return staff.post("/staff/account", {"phone_number": number, "password": password})


def _enter(staff, code: str):
    return staff.post("/staff/account/phone-code", {"code": code}, page="/staff/account")


def _code(messaging) -> str:
    (code,) = re.findall(r"\b[0-9]{6}\b", messaging.messages[-1].body)
    return code


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _events(app, prefix: str = "staff.phone") -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action.startswith(prefix))
                                  .order_by(AuditEvent.id)).all()


def test_changing_the_phone_without_the_password_is_refused(app, staff, texts):
    for password, says in (("", "Enter your password to change your phone number."),
                           ("not my password at all", "That is not your password.")):
        refused = _save(staff, password=password)
        assert refused.status_code in (400, 401) and says in refused.get_data(as_text=True)
    assert _account(app).phone_number is None and texts.requests == 0
    assert [e.detail for e in _events(app, "staff.phone_change_refused")] == [{"reason": "wrong_password"}]


def test_a_code_is_texted_to_the_new_number_and_only_its_hash_is_kept(app, client, staff, texts):
    saved = _save(staff)
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "We have texted a code to 07400 555654" in page and "Verify your phone" in page
    (message,) = texts.messages
    assert (message.to, message.sender) == (NEW_PHONE, TEXTS_FROM)
    code = _code(texts)
    account = _account(app)
    assert account.phone_number == NEW_PHONE and not account.phone_verified
    assert account.phone_code_hash and code not in account.phone_code_hash and len(account.phone_code_hash) == 64

    verified = _enter(staff, code)
    assert verified.status_code == 302
    assert "Your phone number is verified." in client.get("/staff/account").get_data(as_text=True)
    account = _account(app)
    assert account.phone_verified and account.phone_code_hash is None
    assert [e.action for e in _events(app)] == ["staff.phone_set", "staff.phone_code_sent", "staff.phone_verified"]
    assert _enter(staff, code).status_code == 400  # a code works once
    assert _save(staff).status_code == 302  # the same number saved again: still verified, no new text
    assert _account(app).phone_verified and len(texts.messages) == 1


def test_five_wrong_codes_end_the_attempt(app, staff, texts):
    _save(staff)
    code = _code(texts)
    for left in (4, 3, 2, 1):
        wrong = _enter(staff, _wrong(code))
        assert wrong.status_code == 400 and f"{left} tr" in wrong.get_data(as_text=True)
    last = _enter(staff, _wrong(code))
    assert "that was the last of 5 tries" in last.get_data(as_text=True)
    right_too_late = _enter(staff, code)
    assert right_too_late.status_code == 400 and "no code waiting" in right_too_late.get_data(as_text=True)
    assert not _account(app).phone_verified
    reasons = [e.detail["reason"] for e in _events(app, "staff.phone_code_refused")]
    assert reasons == ["wrong"] * 4 + ["too_many_tries"]


def test_an_expired_code_is_refused(app, staff, texts):
    _save(staff)
    code = _code(texts)
    with app.app_context():
        sent = db.session.scalars(select(StaffUser.phone_code_sent_at)).one()
        db.session.execute(update(StaffUser).values(phone_code_sent_at=sent - timedelta(minutes=10, seconds=5)))
        db.session.commit()
    late = _enter(staff, code)
    assert late.status_code == 400 and "That code has expired" in late.get_data(as_text=True)
    assert not _account(app).phone_verified
    assert _events(app, "staff.phone_code_refused")[-1].detail == {"reason": "expired"}


def test_call_now_is_refused_until_the_phone_is_verified(app, client, staff, texts, referral):
    referral_id = referral()
    _save(staff)
    code = _code(texts)
    page_url = f"/staff/referrals/{referral_id}"
    page = client.get(page_url).get_data(as_text=True)
    assert BUTTON not in page and "Your phone number is not verified yet" in page
    app.config["TWILIO_PHONE_NUMBER"] = LINE_NUMBER
    with fake_twilio(app) as account:
        pressed = staff.post(f"{page_url}/call-now", {}, page=page_url)  # the button pressed anyway
        assert account.calls == []
    shown = client.get(pressed.headers["Location"]).get_data(as_text=True)
    assert "Your phone number is not verified yet" in shown
    with app.app_context():
        assert db.session.scalars(select(CallNowAttempt)).all() == []
    assert [e.detail["reason"] for e in _events(app, "referral.call_now_refused")] == ["staff_phone_unverified"]

    with fake_messaging(app):  # fake_twilio pointed the app elsewhere meanwhile
        assert _enter(staff, code).status_code == 302
    assert BUTTON in client.get(page_url).get_data(as_text=True)


def test_the_audit_log_has_the_number_masked_to_its_last_three_digits(app, staff, texts):
    _save(staff)
    _enter(staff, _code(texts))
    staff.post("/staff/account", {"phone_number": "", "password": STAFF_PASSWORD})
    events = _events(app)
    assert [e.action for e in events] == ["staff.phone_set", "staff.phone_code_sent", "staff.phone_verified",
                                          "staff.phone_removed"]
    assert events[0].detail == {"phone": "***654", "verified": "no"}
    for event in _events(app, ""):
        shown = repr(event.detail)
        assert "555654" not in shown and "7400" not in shown, event.action
    assert _account(app).phone_number is None


def test_a_landline_cannot_be_verified_by_text_so_an_admin_sets_it(app, staff, texts):
    refused = _save(staff, "(01332) 623700", password="not checked yet")
    assert refused.status_code == 400 and "give a mobile" in refused.get_data(as_text=True)
    assert _account(app).phone_number is None and texts.requests == 0
    assert _account(app).failed_logins == 0  # said before the password was tried


def test_when_twilio_does_not_take_the_text_the_phone_stays_unverified(app, staff, texts):
    texts.errors.append(503)
    failed = _save(staff)
    assert failed.status_code == 503 and "could not be texted" in failed.get_data(as_text=True)
    account = _account(app)
    assert account.phone_number == NEW_PHONE and not account.phone_verified and account.phone_code_hash is None
    assert _events(app)[-1].detail == {"reason": "twilio_20503"}
