"""Twilio's fallback URL: when a webhook fails or times out, the caller hears the apology and nothing is lost."""

from __future__ import annotations

import logging
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from ivr.extensions import db
from ivr.models import Call, Referral
from ivr.tools.phone import Phone
from tests.support.faults import NOBODY_LISTENS, heard_the_apology, spooled
from tests.support.line import AUTH_TOKEN, at
from tests.support.twiml import PROPERTY, checked_twiml, text

FALLBACK = "https://ivr.example.nhs.uk/voice/fallback"


def primary_down_then_fallback(fallback_client, error_code: str = "11200"):
    """Twilio with the primary server gone (a proxy's 502): it re-sends each webhook to the fallback URL."""

    def send(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        retry = {**form, "ErrorCode": error_code, "ErrorUrl": url}
        signature = RequestValidator(AUTH_TOKEN).compute_signature(FALLBACK, retry)
        response = fallback_client.post(FALLBACK, data=retry, headers={"X-Twilio-Signature": signature})
        return response.status_code, response.get_data(as_text=True)

    return send


def fallback_post(client, form: dict[str, str], signed: bool = True):
    headers = {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(FALLBACK, form)} if signed else {}
    return client.post(FALLBACK, data=form, headers=headers)


def crashes(app) -> list[logging.LogRecord]:
    """Logged exceptions: the fallback must answer without any."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = lambda record: records.append(record) if record.exc_info else None
    app.logger.addHandler(handler)
    return records


def test_a_failed_answer_gets_the_apology_and_is_replayed_from_the_spool(app, phone, client, runner, caplog):
    call = at(phone(), "referral.date_of_birth_confirm")
    assert "14 March 1988" in call.said
    call.transport = primary_down_then_fallback(client)

    call.press("1")  # the answer that would save the date of birth: Twilio could not get it from us
    heard_the_apology(app, call)
    assert any(call.call_sid in r.getMessage() and "error 11200" in r.getMessage() for r in caplog.records)
    [entry] = spooled(app)
    assert (entry["kind"], entry["seq"], entry["form"]["Digits"]) == ("answer", 3, "1")
    assert "ErrorCode" not in entry["form"] and "ErrorUrl" not in entry["form"]

    result = runner.invoke(args=["spool", "replay"])
    assert result.exit_code == 0 and "Replayed 1 of 1" in result.output, result.output
    with app.app_context():
        referral = Referral.query.one()
        assert referral.date_of_birth == date(1988, 3, 14) and referral.status == "incomplete"
        # Were Twilio to retry, the replayed turn's answer sends the next answer to the live webhook.
        assert 'action="/voice/answer?seq=4&amp;step=' in referral.call.last_response


def test_the_fallback_answers_with_the_database_down_and_the_call_is_kept(app, runner, another_app):
    down = another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS)
    errors = crashes(down)
    call = Phone(primary_down_then_fallback(down.test_client()), AUTH_TOKEN).dial()

    heard_the_apology(app, call)
    assert not errors, [record.getMessage() for record in errors]  # the view never reached for the database
    response = fallback_post(down.test_client(), {
        "CallSid": "CA" + "7" * 32, "From": "+447700900123", "ErrorCode": "11205",
        "ErrorUrl": "https://ivr.example.nhs.uk/voice/answer?seq=4", "Digits": "1"})
    assert (response.status_code, response.mimetype) == (200, "text/xml")
    assert "9 9 9" in response.get_data(as_text=True) and response.get_data(as_text=True).endswith(
        "<Hangup /></Response>")
    assert not errors
    assert [(e["kind"], e["seq"]) for e in spooled(app)] == [("incoming", None), ("answer", 4)]

    runner.invoke(args=["spool", "replay"])  # the database is back
    with app.app_context():
        saved = db.session.scalars(select(Call).where(Call.call_sid == call.call_sid)).one()
        assert saved.caller_number == call.caller_number
        assert "interrupted" in [step.event for step in saved.steps]


def test_unsigned_or_forged_fallbacks_are_refused_and_keep_nothing(app, client):
    form = {"CallSid": "CA" + "1" * 32, "ErrorCode": "11200", "ErrorUrl": "https://ivr.example.nhs.uk/voice/incoming"}
    assert fallback_post(client, form, signed=False).status_code == 403
    forged = client.post(FALLBACK, data=form, headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"})
    assert forged.status_code == 403
    assert spooled(app) == []


def test_an_error_url_that_is_not_ours_still_keeps_the_call(app, client, runner):
    sid = "CA" + "2" * 32
    response = fallback_post(client, {"CallSid": sid, "From": "+447700900123", "ErrorUrl": "https://x/y?seq=2"})
    assert response.status_code == 200 and "<Hangup />" in response.get_data(as_text=True)
    assert [e["kind"] for e in spooled(app)] == ["fallback"]
    runner.invoke(args=["spool", "replay"])
    with app.app_context():
        assert db.session.scalars(select(Call).where(Call.call_sid == sid)).one().steps[-1].event == "interrupted"


@PROPERTY
@given(call_sid=st.one_of(st.none(), st.just(""), text), error_code=text, error_url=text,
       answer=st.dictionaries(st.sampled_from(["Digits", "SpeechResult", "RecordingSid", "Other"]), text))
def test_any_signed_fallback_gets_the_apology(app, client, call_sid, error_code, error_url, answer):
    form = {**answer, "ErrorCode": error_code, "ErrorUrl": error_url}
    if call_sid is not None:
        form["CallSid"] = call_sid
    root = checked_twiml(fallback_post(client, form))
    assert root is not None and root[-1].tag == "Hangup"
