"""A captured signed webhook posted again learns nothing new and changes nothing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select
from twilio.request_validator import RequestValidator

from ivr.extensions import current_line, db
from ivr.models import Call, CallStep
from tests.support.line import AUTH_TOKEN


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
    call = phone().press("2").press("14031988")
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
    call.press("1")  # the caller carries on, unaware
    with app.app_context():
        assert current_line().prompts.text(("referral.practice.ask",)) in call.said


def test_a_repeated_status_callback_is_applied_once(app, client, phone):
    call = phone().press("2").press("14031988").press("1")
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
