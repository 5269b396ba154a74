"""Call now, end to end: the button rings the staff member through the real twilio client (a fake Twilio on
127.0.0.1), their phone fetches the signed bridge, which puts them through from the line's number and logs
how the call ended."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, CallbackAttempt, CallNowAttempt, Referral, StaffUser
from ivr.tools.phone import flask_transport
from tests.support.call_now import LINE_NUMBER, STAFF_PHONE, AnsweredCall, logged_in_with_a_phone
from tests.support.fake_twilio import fake_twilio
from tests.support.line import AUTH_TOKEN, CALLER, PUBLIC

EMAIL = "sam.jones@nhs.example"


@pytest.fixture
def ready(app, staff):
    """A logged-in member of staff with a phone, the line's number set, and the fake Twilio running."""
    logged_in_with_a_phone(app, staff, EMAIL)
    app.config.update(TWILIO_PHONE_NUMBER=LINE_NUMBER, PUBLIC_BASE_URL=PUBLIC)
    with fake_twilio(app) as account:
        yield account


@pytest.fixture
def press_call_now(ready, staff):
    """Press "Call now" on a referral's page; returns the call the fake Twilio was asked to make."""

    def press(referral_id: int):
        page = f"/staff/referrals/{referral_id}"
        response = staff.post(f"{page}/call-now", {}, page=page)
        assert response.status_code == 302
        return ready.calls[-1]

    return press


def _staff_phone(client, placed) -> AnsweredCall:
    return AnsweredCall(flask_transport(client), AUTH_TOKEN, call_sid=placed.sid, caller_number=LINE_NUMBER)


def _attempts(app) -> list[tuple[str, str | None, int | None]]:
    with app.app_context():
        return [(a.outcome, a.dial_status, a.dial_seconds) for a in db.session.scalars(select(CallNowAttempt))]


def _callbacks(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(CallbackAttempt.outcome).order_by(CallbackAttempt.id)))


def test_the_staff_phone_is_rung_from_the_line_and_put_through_to_the_caller(app, client, referral, press_call_now):
    referral_id = referral()
    placed = press_call_now(referral_id)
    assert placed.form["To"] == STAFF_PHONE and placed.form["From"] == LINE_NUMBER
    assert placed.form["Method"] == "POST" and "/voice/bridge/" in placed.form["Url"]
    for digits in (STAFF_PHONE, CALLER, STAFF_PHONE[3:], CALLER[3:]):  # neither number is in the bridge's URL
        assert digits not in placed.form["Url"] and digits not in placed.form["StatusCallback"]

    phone = _staff_phone(client, placed).answer(placed.form["Url"])
    with app.app_context():
        reference = db.session.get(Referral, referral_id).reference
    digits = reference.split("-")[1]
    assert f"I P T, {' '.join(digits[:3])}, {' '.join(digits[3:])}".replace("0", "oh") in phone.said
    assert "agreed to a voicemail that mentions Talking Therapies" in phone.said  # walk_referral said yes
    assert "urgent" not in phone.said and "Press 1 to connect" in phone.said
    assert phone.waiting_for.tag == "Gather" and phone.dialled is None  # nobody rung before they press 1

    assert "You answered Call now." in client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    phone.press("1")
    assert phone.dialled == CALLER
    assert phone.waiting_for.get("callerId") == LINE_NUMBER  # the caller sees the line, not the staff phone
    for response in phone.responses:
        assert {say.get("language") for say in response.iter("Say")} == {"en-GB"}

    phone.dial_ends("completed", duration=125)
    assert "reached them or left a voicemail" in phone.said and phone.ended
    assert _attempts(app) == [("connected", "completed", 125)]
    assert _callbacks(app) == ["connected"]
    assert "Connected, 125 seconds" in client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)


def test_an_urgent_caller_is_announced_as_urgent(client, referral, press_call_now):
    placed = press_call_now(referral(urgent=True))
    phone = _staff_phone(client, placed).answer(placed.form["Url"])
    assert "They said they need urgent help today." in phone.said


@pytest.mark.parametrize(("status", "logged"), [
    ("no-answer", "no_answer"), ("busy", "busy"), ("failed", "failed"), ("canceled", "cancelled"),
    ("completed", "connected"),
])
def test_each_way_the_dial_ends_is_logged_as_that_callback_attempt(app, client, staff, referral, press_call_now,
                                                                   status, logged):
    referral_id = referral()
    placed = press_call_now(referral_id)
    phone = _staff_phone(client, placed).answer(placed.form["Url"]).press("1")
    phone.dial_ends(status, duration=45)
    assert _callbacks(app) == [logged]
    assert _attempts(app) == [(logged, status, 45 if status == "completed" else None)]
    history = client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    with app.app_context():
        label = db.session.scalars(select(CallbackAttempt)).one().outcome_label
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.call_now_logged")).all()
    assert f"Callback attempt: <strong>{label}</strong>" in history and "(by Call now)" in history
    assert [(e.actor, e.subject_id, e.detail["outcome"]) for e in events] == [(EMAIL, referral_id, logged)]


def test_a_connected_call_shows_its_length_and_asks_staff_to_confirm(app, client, staff, referral, press_call_now):
    referral_id = referral()
    page = f"/staff/referrals/{referral_id}"
    placed = press_call_now(referral_id)
    _staff_phone(client, placed).answer(placed.form["Url"]).press("1").dial_ends("completed", duration=45)
    shown = client.get(page).get_data(as_text=True)
    assert "Connected, 45 seconds" in shown and "Did you reach them, or leave a voicemail?" in shown
    with app.app_context():
        attempt_id = db.session.scalars(select(CallbackAttempt.id)).one()
    response = staff.post(f"{page}/call-now/{attempt_id}/confirm", {"outcome": "voicemail_left"}, page=page)
    assert response.status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert "Callback attempt: <strong>Voicemail left</strong>, 45 seconds (by Call now)" in shown
    assert "Did you reach them" not in shown
    assert _callbacks(app) == ["voicemail_left"]
    with app.app_context():
        confirmed = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "referral.callback_confirmed")).one()
    assert (confirmed.actor, confirmed.detail["outcome"]) == (EMAIL, "voicemail_left")
    with app.app_context():
        staff_id = db.session.scalars(select(StaffUser.id)).one()
    assert (confirmed.detail["called_by"], confirmed.detail["confirmed_by"]) == (staff_id, staff_id)


def test_only_who_made_the_call_can_confirm_how_it_went(app, client, staff, referral, press_call_now):
    referral_id = referral()
    page = f"/staff/referrals/{referral_id}"
    placed = press_call_now(referral_id)
    _staff_phone(client, placed).answer(placed.form["Url"]).press("1").dial_ends("completed", duration=45)
    with app.app_context():
        attempt_id = db.session.scalars(select(CallbackAttempt.id)).one()
    colleague = app.test_client()
    colleague_id = staff.make("alex.kay@nhs.example")
    staff.login("alex.kay@nhs.example", client=colleague)
    shown = colleague.get(page).get_data(as_text=True)
    assert "Did you reach them" not in shown and f"waiting for {EMAIL}, who made the call" in shown
    refused = staff.post(f"{page}/call-now/{attempt_id}/confirm", {"outcome": "reached"}, page=page, client=colleague)
    assert refused.status_code == 302
    assert f"Only {EMAIL}, who made this call, can say how it went." in colleague.get(page).get_data(as_text=True)
    assert _callbacks(app) == ["connected"]  # still theirs to confirm
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "referral.callback_confirm_refused")).one()
        caller_id = db.session.scalars(select(StaffUser.id).where(StaffUser.email == EMAIL)).one()
    assert (event.actor, event.staff_id) == ("alex.kay@nhs.example", colleague_id)
    assert event.detail == {"attempt_id": attempt_id, "called_by": caller_id, "reason": "not_their_call"}


def test_the_dial_action_delivered_twice_is_logged_once(app, client, referral, press_call_now):
    placed = press_call_now(referral())
    phone = _staff_phone(client, placed).answer(placed.form["Url"]).press("1")
    action = phone.waiting_for.get("action")
    phone.dial_ends("busy")
    again = {"DialCallStatus": "busy", "DialCallSid": "CA" + "2" * 32, "DialBridged": "false"}
    assert phone.resend(action, again) == 200
    assert _callbacks(app) == ["busy"]


def test_the_bridge_refuses_unsigned_and_forged_requests(app, client, referral, press_call_now):
    placed = press_call_now(referral())
    url = placed.form["Url"]
    form = {"CallSid": placed.sid, "From": LINE_NUMBER, "To": STAFF_PHONE}
    assert client.post(url, data=form).status_code == 403
    assert client.post(url, data=form, headers={"X-Twilio-Signature": "forged"}).status_code == 403
    assert client.post(url + "/connect", data={**form, "Digits": "1"}).status_code == 403
    assert _attempts(app) == [("requested", None, None)]  # still unused: the real answer would work
    assert _staff_phone(client, placed).answer(url).waiting_for.tag == "Gather"


def test_a_reused_token_rings_nobody(app, client, referral, press_call_now):
    placed = press_call_now(referral())
    _staff_phone(client, placed).answer(placed.form["Url"])
    again = _staff_phone(client, placed).answer(placed.form["Url"])
    assert "already been used, or has expired" in again.said and again.ended and again.dialled is None
    other_call = AnsweredCall(flask_transport(client), AUTH_TOKEN, caller_number=LINE_NUMBER)
    assert other_call.answer(placed.form["Url"]).dialled is None and "expired" in other_call.said


def test_a_token_for_another_call_or_unknown_rings_nobody(app, client, referral, press_call_now):
    placed = press_call_now(referral())
    stranger = AnsweredCall(flask_transport(client), AUTH_TOKEN, caller_number=LINE_NUMBER)  # another CallSid
    assert "already been used, or has expired" in stranger.answer(placed.form["Url"]).said
    unknown = placed.form["Url"].rsplit("/", 1)[0] + "/" + "x" * 43
    assert "expired" in _staff_phone(client, placed).answer(unknown).said
    assert _staff_phone(client, placed).answer(placed.form["Url"]).waiting_for.tag == "Gather"  # still good


def test_an_expired_token_rings_nobody(app, client, referral, press_call_now):
    placed = press_call_now(referral())
    with app.app_context():
        attempt = db.session.scalars(select(CallNowAttempt)).one()
        attempt.created_at -= timedelta(minutes=6)
        db.session.commit()
    phone = _staff_phone(client, placed).answer(placed.form["Url"])
    assert "already been used, or has expired" in phone.said and phone.dialled is None
    assert _attempts(app) == [("expired", None, None)] and _callbacks(app) == []


def test_not_pressing_1_rings_nobody(app, client, referral, press_call_now):
    referral_id = referral()
    placed = press_call_now(referral_id)
    phone = _staff_phone(client, placed).answer(placed.form["Url"]).silence()
    assert "Press 1 to connect" in phone.said
    phone.silence()
    assert "they have not been rung" in phone.said and phone.ended
    assert phone.status_callback(placed.form["StatusCallback"], "completed") == 204
    assert _attempts(app) == [("not_put_through", None, None)] and _callbacks(app) == []
    shown = client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    assert "You answered but did not press 1, so they were not rung." in shown


def test_an_unanswered_staff_phone_says_so_on_the_page(app, client, referral, press_call_now):
    referral_id = referral()
    placed = press_call_now(referral_id)
    assert _staff_phone(client, placed).status_callback(placed.form["StatusCallback"], "no-answer") == 204
    assert _attempts(app) == [("staff_missed", None, None)]
    shown = client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    assert "Your phone was not answered, so they were not rung." in shown


def _never_the_callers_number(body: str) -> None:
    assert "<Dial" not in body and CALLER not in body and CALLER[3:] not in body
    assert "already been used, or has expired" in body and body.endswith("<Hangup /></Response>")


def test_connect_replayed_after_the_dial_finished_puts_nobody_through(app, client, referral, press_call_now):
    placed = press_call_now(referral())
    phone = _staff_phone(client, placed).answer(placed.form["Url"])
    connect = phone.waiting_for.get("action")
    assert phone.press("1").dialled == CALLER
    phone.dial_ends("completed", duration=30)

    code, body = phone.resend_and_read(connect, {"Digits": "1"})  # the signed press of 1, sent again
    assert code == 200
    _never_the_callers_number(body)
    assert _callbacks(app) == ["connected"] and _attempts(app) == [("connected", "completed", 30)]


def test_connect_after_the_token_expired_puts_nobody_through(app, client, referral, press_call_now):
    placed = press_call_now(referral())
    phone = _staff_phone(client, placed).answer(placed.form["Url"])
    connect = phone.waiting_for.get("action")
    with app.app_context():
        attempt = db.session.scalars(select(CallNowAttempt)).one()
        attempt.created_at -= timedelta(minutes=6)
        db.session.commit()

    code, body = phone.resend_and_read(connect, {"Digits": "1"})
    assert code == 200
    _never_the_callers_number(body)
    assert _callbacks(app) == []


def test_connect_after_the_staff_members_call_ended_puts_nobody_through(app, client, referral, press_call_now):
    placed = press_call_now(referral())
    phone = _staff_phone(client, placed).answer(placed.form["Url"])
    connect = phone.waiting_for.get("action")
    assert phone.status_callback(placed.form["StatusCallback"], "completed") == 204  # they hung up at the briefing

    code, body = phone.resend_and_read(connect, {"Digits": "1"})
    assert code == 200
    _never_the_callers_number(body)
    assert _attempts(app) == [("not_put_through", None, None)]
