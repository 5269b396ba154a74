"""A captured signed webhook posted again learns nothing new and changes nothing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select
from twilio.request_validator import RequestValidator

from ivr.callflow.answers import say_number
from ivr.extensions import current_line, db
from ivr.models import Call, CallStep, Enquiry, Referral
from ivr.tools.phone import Phone, flask_transport
from tests.support.faults import NOBODY_LISTENS
from tests.support.line import AUTH_TOKEN, CALLER, at, taken_date_of_birth, walk_referral

# What a referral's call reads back to the caller, in every form: none of it may reach a replay after the call.
READ_BACK = ("Jane", "Smith", "March", "1988", CALLER, CALLER[3:], say_number(CALLER), "oh 7 4 oh oh")


def post_again(client, call, path: str, **params: str):
    """Post, signed as Twilio signed it, what Twilio sent for this call (an attacker's captured copy)."""
    url = call.base_url + path
    form = {"CallSid": call.call_sid, "AccountSid": "AC" + "0" * 32, "From": call.caller_number,
            "To": "+441332000000", "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01",
            **params}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
    return client.post(url, data=form, headers={"X-Twilio-Signature": signature})


def saved(call_sid: str) -> Call:
    return db.session.scalars(select(Call).where(Call.call_sid == call_sid)).one()


def test_a_repeated_first_webhook_gets_the_first_answer_not_the_date_of_birth(app, client, phone):
    call = at(phone(), "referral.date_of_birth_confirm")
    assert "14 March 1988" in call.said  # the line is reading back the date of birth
    with app.app_context():
        before = saved(call.call_sid).seq
        greeting = current_line().prompts.text(("welcome.greeting",))

    replayed = post_again(client, call, "/voice/incoming")
    assert replayed.status_code == 200
    body = replayed.get_data(as_text=True)
    assert "1988" not in body and "March" not in body
    assert greeting in body
    assert ET.tostring(ET.fromstring(body)) == ET.tostring(call.responses[0])  # the very first answer
    with app.app_context():
        assert saved(call.call_sid).seq == before  # and the call is where it was
    taken_date_of_birth(call.press("1"))  # the caller carries on, unaware
    with app.app_context():
        assert current_line().prompts.text(("referral.practice.ask",)) in call.said


def test_a_repeated_status_callback_is_applied_once(app, client, phone):
    call = at(phone(), "referral.practice")
    assert call.hang_up(duration=95) == 204
    with app.app_context():
        first = saved(call.call_sid)
        ended_at, hangups = first.ended_at, db.session.scalars(
            select(CallStep).where(CallStep.call_id == first.id, CallStep.event == "hangup")).all()
    assert len(hangups) == 1

    again = post_again(client, call, "/voice/status", CallStatus="no-answer", CallDuration="4000")
    assert again.status_code == 204
    with app.app_context():
        ended = saved(call.call_sid)
        assert (ended.end_status, ended.duration_seconds, ended.ended_at) == ("completed", 95, ended_at)
        assert [step.event for step in ended.steps].count("hangup") == 1


def keeping_every_request(client, kept: list):
    """The phone's transport, keeping each signed request as it goes (as an attacker on the path could)."""
    genuine = flask_transport(client)

    def send(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        kept.append((url, form, headers))
        return genuine(url, form, headers)

    return send


def what_the_call_left(call_sid: str) -> tuple:
    call = saved(call_sid)
    referral = call.referral
    return (call.seq, call.last_response, call.outcome, call.ended_at, [(s.step, s.event) for s in call.steps],
            referral.status, referral.name, referral.date_of_birth, referral.callback_number, referral.updated_at)


def heard_only_goodbye(app, response) -> None:
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    root = ET.fromstring(body)
    with app.app_context():
        goodbye = current_line().prompts.text(("common.goodbye",))
    assert [verb.tag for verb in root] == ["Say", "Hangup"]
    assert (root[0].text, root[0].get("language")) == (goodbye, "en-GB")
    for personal in READ_BACK:
        assert personal not in body, personal


def test_every_earlier_answer_replayed_after_the_call_ended_reads_back_nothing_and_changes_nothing(app, client):
    kept: list = []
    call = walk_referral(Phone(keeping_every_request(client, kept), AUTH_TOKEN).dial())
    assert "Jane Smith" in " ".join(call.transcript) and "14 March 1988" in " ".join(call.transcript)
    assert call.hang_up(duration=185) == 204
    with app.app_context():
        before = what_the_call_left(call.call_sid)
    webhooks = [request for request in kept if "/voice/incoming" in request[0] or "/voice/answer" in request[0]]
    assert len(webhooks) >= 14  # every turn of the referral, the first webhook too

    for url, form, headers in webhooks:
        heard_only_goodbye(app, client.post(url, data=form, headers=headers))
    with app.app_context():
        assert what_the_call_left(call.call_sid) == before
        assert saved(call.call_sid).referral.status == "new"


def test_a_hang_up_during_a_recording_that_arrives_after_the_status_callback_is_still_kept(app, client, phone):
    """Twilio sends the recording's request and the status callback as the call ends, in no promised order: the
    recording the caller hung up during is the call's last answer, not a replay, and is kept."""
    held: list = []
    genuine = flask_transport(client)

    def status_callback_first(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        if form.get("Digits") == "hangup":
            held.append((url, form, headers))
            return 200, ""
        return genuine(url, form, headers)

    call = phone().press("3").press("2")  # an existing patient, at the tone
    call.transport = status_callback_first
    call.record(seconds=40, sid="RE" + "e" * 32, ended_by="hangup")
    [(url, form, headers)] = held
    heard_only_goodbye(app, client.post(url, data=form, headers=headers))
    with app.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        assert (enquiry.recording_sid, enquiry.recording_seconds, enquiry.status) == ("RE" + "e" * 32, 40,
                                                                                     "incomplete")
        steps = len(enquiry.call.steps)
    heard_only_goodbye(app, client.post(url, data=form, headers=headers))  # and sent again, changes nothing
    with app.app_context():
        assert len(db.session.scalars(select(Enquiry)).one().call.steps) == steps


def test_an_answer_spooled_in_a_fault_is_replayed_though_the_status_callback_came_in_first(app, client, phone,
                                                                                           runner, another_app):
    call = at(phone(), "referral.date_of_birth_confirm")
    call.transport = flask_transport(another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS).test_client())
    call.press("1")  # the database is down: the confirmed date of birth is spooled
    call.transport = flask_transport(client)
    assert call.hang_up() == 204  # ...and back for the status callback
    result = runner.invoke(args=["spool", "replay"])
    assert result.exit_code == 0 and "Replayed 1 of 1" in result.output, result.output
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert (str(referral.date_of_birth), referral.status) == ("1988-03-14", "incomplete")
