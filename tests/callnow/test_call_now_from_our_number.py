"""Call now rings the staff phone from, and shows the caller, the one number the goodbye says we call from."""

from __future__ import annotations

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Referral
from ivr.tools.phone import flask_transport
from tests.support.call_now import AnsweredCall, logged_in_with_a_phone
from tests.support.fake_twilio import fake_twilio
from tests.support.line import AUTH_TOKEN, CALLER, PUBLIC, number_we_call_from, walk_referral


def test_call_now_shows_the_caller_the_number_the_goodbye_says(app, client, phone, staff):
    said = number_we_call_from(walk_referral(phone()).said)
    logged_in_with_a_phone(app, staff, "sam.jones@nhs.example")
    app.config.update(TWILIO_PHONE_NUMBER="+441332555000", PUBLIC_BASE_URL=PUBLIC)  # the number callers ring
    with app.app_context():  # not always 1: PostgreSQL's sequences are not reset between tests
        referral_id = db.session.scalar(select(Referral.id))
    with fake_twilio(app) as account:
        page = f"/staff/referrals/{referral_id}"
        assert staff.post(f"{page}/call-now", {}, page=page).status_code == 302
        [placed] = account.calls
        assert placed.form["From"] == said
        staff_phone = AnsweredCall(flask_transport(client), AUTH_TOKEN, call_sid=placed.sid, caller_number=said)
        staff_phone.answer(placed.form["Url"]).press("1")
    assert staff_phone.dialled == CALLER and staff_phone.waiting_for.get("callerId") == said
