"""Hostile input on every /voice/ URL: always TwiML or a plain 4xx, never a crash or injected markup."""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from ivr.extensions import current_line
from ivr.models import Call, Referral
from ivr.voice.twiml import render
from tests.support.faults import watch_errors
from tests.support.line import AUTH_TOKEN, at
from tests.support.twiml import NASTY, PROPERTY, checked_twiml, text

ANSWER_FIELDS = ("Digits", "SpeechResult", "Confidence", "RecordingUrl", "RecordingSid", "RecordingDuration")
hostile_answer = st.fixed_dictionaries({}, optional={name: text for name in ANSWER_FIELDS}) | st.dictionaries(
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12), text, max_size=3
)
RECORDING = {"RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE1",
             "RecordingSid": "RE" + "1" * 32, "RecordingDuration": "12"}
# Answers that move a call on from each kind of question, so hostile ones land at every step.
GOOD = {
    "choice": [{"Digits": "1"}, {"Digits": "2"}, {"Digits": "3"}],
    "yes_no": [{"Digits": "1"}, {"SpeechResult": "yes", "Confidence": "0.9"}, {"Digits": "2"}],
    "date_of_birth": [{"Digits": "14031988"}, {"SpeechResult": "14th of March 1988", "Confidence": "0.8"}],
    "practice": [{"SpeechResult": "Arthur Medical Centre", "Confidence": "0.7"}],
    "pick": [{"Digits": "1"}],
    "spoken_name": [{"SpeechResult": "Jo Bloggs", "Confidence": "0.8"}, {"Digits": "5"}],
    "record": [RECORDING, {}],
    "callback_number": [{"Digits": "07700900123"}, {"SpeechResult": "oh one three three two", "Confidence": "1"}],
    "reference": [{"Digits": "482913"}],
}


def prompt(app, key: str) -> str:
    """What the line says for a prompt key, as the caller hears it."""
    with app.app_context():
        return current_line().prompts.text((key,))


def new_sid() -> str:
    return "CA" + secrets.token_hex(16)


def signed_post(client, path: str, form: dict[str, str]):
    """POST as Twilio would: the signature covers the absolute URL and every parameter."""
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"http://localhost{path}", form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def twilio_form(call_sid: str | None, extra: dict[str, str]) -> dict[str, str]:
    form = {"AccountSid": "AC" + "0" * 32, "From": "+447700900123", "To": "+441332000000",
            "Caller": "+447700900123", "Called": "+441332000000", "Direction": "inbound",
            "CallStatus": "in-progress", "ApiVersion": "2010-04-01", **extra}
    if call_sid is not None:
        form["CallSid"] = call_sid
    return form


def next_url(root: ET.Element | None) -> str | None:
    """Where Twilio would send the caller's next answer, or None if the line hung up."""
    if root is None:
        return None
    for verb in root:
        if verb.tag in {"Gather", "Record"}:
            return verb.get("action")
    return None


def good_answer(app, call_sid: str) -> st.SearchStrategy[dict[str, str]]:
    """Answers that suit the question the call is at."""
    with app.app_context():
        step = Call.query.filter_by(call_sid=call_sid).one().state.get("step") or ""
        expect = getattr(current_line().book.steps.get(step), "expect", "choice")
    return st.sampled_from(GOOD.get(expect, GOOD["choice"]))


@PROPERTY
@given(data=st.data())
def test_any_sequence_of_answers_gets_twiml_and_never_crashes(app, client, data):
    errors = watch_errors(app)
    sid = new_sid()
    root = checked_twiml(signed_post(client, "/voice/incoming", twilio_form(sid, {})))
    url, previous = next_url(root), None
    for _ in range(data.draw(st.integers(1, 24), label="turns")):
        if url is None:
            break
        kind = data.draw(st.sampled_from(["good"] * 6 + ["hostile"] * 3 + ["replay", "stale", "future"]))
        answer = data.draw(good_answer(app, sid) if kind == "good" else hostile_answer, label=kind)
        seq = int(parse_qs(urlsplit(url).query)["seq"][0])
        target = {"replay": previous or url, "stale": f"/voice/answer?seq={seq - 2}",
                  "future": f"/voice/answer?seq={seq + 3}"}.get(kind, url)
        root = checked_twiml(signed_post(client, target, twilio_form(sid, answer)))
        if kind in {"good", "hostile"}:
            previous, url = url, next_url(root)
    assert not errors.records, [r.getMessage() for r in errors.records]


@PROPERTY
@given(path=st.sampled_from(["/voice/incoming", "/voice/answer?seq=1", "/voice/answer?seq=5",
                             "/voice/answer?seq=-1", "/voice/answer?seq=x", "/voice/answer", "/voice/status"]),
       call_sid=st.one_of(st.none(), st.just(""), st.builds(new_sid), text),
       answer=hostile_answer,
       status=st.fixed_dictionaries({}, optional={"CallStatus": text, "CallDuration": text}))
def test_every_endpoint_answers_any_signed_request(app, client, path, call_sid, answer, status):
    errors = watch_errors(app)
    checked_twiml(signed_post(client, path, twilio_form(call_sid, {**answer, **status})))
    assert not errors.records, [r.getMessage() for r in errors.records]


def test_a_request_without_a_call_sid_is_refused_plainly(client):
    for path in ("/voice/incoming", "/voice/answer?seq=1"):
        response = signed_post(client, path, twilio_form(None, {"Digits": "2"}))
        assert response.status_code == 400
        assert "<Response" not in response.get_data(as_text=True)


def test_a_body_over_the_limit_is_refused_before_its_form_is_read(app, client):
    errors = watch_errors(app)
    form = twilio_form(new_sid(), {"SpeechResult": "a" * app.config["MAX_CONTENT_LENGTH"]})
    response = signed_post(client, "/voice/incoming", form)  # signed, even: too big is too big
    assert response.status_code == 403 and "<Response" not in response.get_data(as_text=True)
    assert not errors.records, [r.getMessage() for r in errors.records]
    with app.app_context():
        assert Call.query.count() == 0
    assert signed_post(client, "/voice/incoming", twilio_form(new_sid(), {})).status_code == 200


def test_an_unknown_call_arriving_mid_flow_is_welcomed_not_dropped(app, client):
    root = checked_twiml(signed_post(client, "/voice/answer?seq=5", twilio_form(new_sid(), {"Digits": "1"})))
    said = " ".join(say.text or "" for say in root.iter("Say"))
    assert prompt(app, "welcome.greeting") in said and "9 9 9" in said
    assert next_url(root) == "/voice/answer?seq=1&step=main.menu"


def test_a_stale_answer_gets_the_current_question_again_and_changes_nothing(app, client):
    sid = new_sid()
    signed_post(client, "/voice/incoming", twilio_form(sid, {}))
    asked = checked_twiml(signed_post(client, "/voice/answer?seq=1", twilio_form(sid, {"Digits": "2"})))
    date_of_birth = prompt(app, "referral.date_of_birth.ask")
    assert date_of_birth in " ".join(s.text or "" for s in asked.iter("Say"))
    # The menu answered again, late and differently: the caller stays at the date of birth.
    again = checked_twiml(signed_post(client, "/voice/answer?seq=0", twilio_form(sid, {"Digits": "1"})))
    assert date_of_birth in " ".join(s.text or "" for s in again.iter("Say"))
    assert prompt(app, "information.what_is") not in " ".join(s.text or "" for s in again.iter("Say"))
    with app.app_context():
        assert Call.query.filter_by(call_sid=sid).one().state["step"] == "referral.date_of_birth"


def test_a_replayed_webhook_gets_the_same_answer_and_saves_nothing_twice(app, client):
    sid = new_sid()
    signed_post(client, "/voice/incoming", twilio_form(sid, {}))
    signed_post(client, "/voice/answer?seq=1", twilio_form(sid, {"Digits": "2"}))
    signed_post(client, "/voice/answer?seq=2", twilio_form(sid, {"Digits": "14031988"}))
    first = signed_post(client, "/voice/answer?seq=3", twilio_form(sid, {"Digits": "1"}))  # yes: saved
    with app.app_context():
        steps = len(Call.query.filter_by(call_sid=sid).one().steps)
    replay = signed_post(client, "/voice/answer?seq=3", twilio_form(sid, {"Digits": "1"}))
    assert replay.get_data() == first.get_data()
    with app.app_context():
        call = Call.query.filter_by(call_sid=sid).one()
        assert len(call.steps) == steps
        [referral] = Referral.query.all()  # one referral, holding the date of birth once
        assert (referral.call_id, referral.date_of_birth) == (call.id, date(1988, 3, 14))
        assert call.state["step"] == parse_qs(urlsplit(next_url(ET.fromstring(first.get_data()))).query)["step"][0]


def test_markup_a_caller_says_is_spoken_as_words_not_obeyed(app, phone):
    call = at(phone(), "referral.practice")  # a question that reads back what was said
    for said in ("<Hangup/>", "</Say><Hangup/>", "<speak><prosody rate='x-slow'>hi</prosody></speak>"):
        root = call.say(said).responses[-1]
        assert next_url(root) is not None, "the caller was hung up on by their own words"
        assert not list(root.iter("speak")) and not list(root.iter("prosody"))


def test_prompts_filled_with_a_callers_words_escape_them(app):
    with app.test_request_context():
        line = current_line()
        from ivr.callflow.actions import Ask, Say

        ask = Ask(step="referral.name_confirm", prompts=(Say(("referral.name_confirm.ask",)),))
        body = render([ask], line.prompts, {"name": "</Say><Hangup/><Say>Jo <speak>"}, "/voice/answer?seq=9")
    root = ET.fromstring(body)
    assert [verb.tag for verb in root] == ["Gather", "Redirect"]
    assert "</Say><Hangup/><Say>Jo <speak>" in root.find("Gather/Say").text


def test_every_known_nasty_value_in_every_field_is_harmless(app, client):
    errors = watch_errors(app)
    sid = new_sid()
    signed_post(client, "/voice/incoming", twilio_form(sid, {}))
    root = checked_twiml(signed_post(client, "/voice/answer?seq=1", twilio_form(sid, {"Digits": "2"})))
    for name in (*ANSWER_FIELDS, "From", "CallStatus", "CallDuration", "Unexpected"):
        for value in NASTY:
            root = checked_twiml(signed_post(client, next_url(root), twilio_form(sid, {name: value})))
            if next_url(root) is None:  # given up on after too many misses: ring again
                sid = new_sid()
                root = checked_twiml(signed_post(client, "/voice/incoming", twilio_form(sid, {})))
            checked_twiml(signed_post(client, "/voice/status", twilio_form(new_sid(), {name: value})))
    assert not errors.records, [r.getMessage() for r in errors.records]
