"""Self-referral by phone, end to end with the signing test phone."""

import xml.etree.ElementTree as ET
from datetime import date

from sqlalchemy import select
from twilio.request_validator import RequestValidator

from ivr.callflow.answers import spoken_digits
from ivr.extensions import db
from ivr.models import Call, CallStep, Referral
from ivr.tools.caller import Caller, step_asked
from tests.support.line import AUTH_TOKEN, SENT, at, to_practice


def referrals() -> list[Referral]:
    return list(db.session.scalars(select(Referral)))


def test_referral_by_keypad_and_speech_is_stored_for_callback(app, phone, practices):
    call = to_practice(phone)
    assert "Which GP practice" in call.said
    call.say("Arthur Medical Centre in Horsley Woodhouse")
    assert "Arthur Medical Centre" in call.said and "Horsley Woodhouse" in call.said
    call.press("1")
    assert "What's your full name" in call.said
    call.say("Sam Smith")
    assert "Sam Smith. Is that right?" in call.said
    call.say("yes")
    assert "If you know your NHS number, key it now. If not, press hash." in call.said
    call.press("#")  # not known: on at once
    assert "oh 7 4 oh oh, 1 2 3, 4 5 6" in call.said  # offers the number they are calling from
    assert step_asked(call) == "referral.callback_offer"
    # this number, voicemail OK, no help to talk needed, mornings, by phone, not urgent
    Caller(call, {"referral.best_time": "mornings"}).to_the_end()
    said = " ".join(call.transcript[-4:])  # each answer was confirmed as given: the referral is sent
    assert said.index(SENT) < said.index("Your reference is")
    assert "within 3 working days, from oh 3 oh oh, 1 2 3, oh 5 4 2" in said and "If you miss it" in said
    assert "If things get worse, call NHS 1 1 1, option 2, or 9 9 9" in said and call.ended

    with app.app_context():
        [referral] = referrals()
        assert referral.status == "new" and referral.submitted_at is not None
        assert referral.date_of_birth == date(1988, 3, 14)
        assert referral.practice_ods_code == "C81017"
        assert referral.name == "Sam Smith"
        assert referral.callback_number == "+447400123456"
        assert (referral.voicemail_ok, referral.best_time, referral.session_preference) == (True, "morning", None)
        assert referral.urgent is False
        spoken = spoken_digits(referral.reference.removeprefix("IPT-"), [3, 3])
        assert f"Your reference is {spoken}. To hear it again, press 1." in " ".join(call.transcript)


def test_the_step_log_lists_the_callers_path_in_order(app, phone, practices):
    """Staff read a call's path from its step log; a turn that passes through several steps keeps their order."""
    caller = Caller(phone(), {"referral.practice": "Arthur Medical Centre in Horsley Woodhouse",
                              "referral.name": "Sam Smith", "referral.name_confirm": "yes",
                              "referral.best_time": "mornings"})
    caller.to_the_end()
    with app.app_context():
        logged = [(step.step, step.event) for step in db.session.scalars(select(CallStep).order_by(CallStep.id))]
    entered = [step for step, event in logged if event == "enter"]
    assert len(entered) == len(logged) == len(set(entered))  # each step once, each entered: nothing went wrong
    # Every question, in the order it was asked; and the steps that only speak or decide, in their places.
    assert [step for step in entered if step in caller.asked] == caller.asked
    path = ["main.welcome", "main.menu", "referral.start", "referral.date_of_birth", "referral.age_check",
            "referral.practice", "referral.name", "referral.callback", "referral.callback_offer",
            "referral.text_offer", "referral.urgent", "referral.submitted", "referral.reference",
            "referral.next_steps"]
    assert [step for step in entered if step in path] == path


def test_under_16_hears_where_to_go_and_nothing_is_kept(app, phone):
    call = phone().press("2").press("01012012").press("1")
    assert "aged 16 and over" in call.said
    assert "school nurse" in call.said and "9 9 9" in call.said
    assert call.ended
    with app.app_context():
        assert referrals() == []
        [stored] = db.session.scalars(select(Call)).all()
        assert stored.caller_number is None and stored.outcome == "under_16"
        assert stored.state["values"] == {}


def test_withheld_number_must_key_one(app, phone, practices):
    call = at(phone(caller_number="anonymous"), "referral.callback_key",  # practice not found: registered here, yes
              {"referral.practice": ["no idea", "still no idea"], "referral.name": "Alex Jones"})
    assert "Your number isn't showing" in call.said
    call.press("01332123456")
    assert "oh 1 3 3 2, 1 2 3, 4 5 6" in call.said
    call.press("1")
    assert "voicemail" in call.said
    with app.app_context():
        [referral] = referrals()
        assert referral.callback_number == "+441332123456"
        assert referral.practice_to_check is True
        assert referral.practice_said == "still no idea"


def test_caller_can_give_another_landline_number_and_bad_numbers_are_reprompted(app, phone, practices):
    call = at(phone(), "referral.callback_offer", {"referral.practice": "Arthur Medical Centre Horsley Woodhouse",
                                                   "referral.name": "Alex Jones"})
    call.press("2")
    assert "say or key the number" in call.said
    call.press("12345")
    assert "isn't a UK mobile or landline number" in call.said
    call.press("01246 819444".replace(" ", "")).press("1")
    with app.app_context():
        assert referrals()[0].callback_number == "+441246819444"


def test_hang_up_midway_keeps_an_incomplete_referral(app, phone, practices):
    call = to_practice(phone)
    call.say("Arthur Medical Centre Horsley Woodhouse").press("1")
    assert call.hang_up(status="completed", duration=95) == 204
    with app.app_context():
        [referral] = referrals()
        assert referral.status == "incomplete"
        assert referral.date_of_birth == date(1988, 3, 14)
        assert referral.practice_ods_code is not None
        stored = referral.call
        assert (stored.end_status, stored.duration_seconds) == ("completed", 95)
        last = db.session.scalars(select(CallStep).order_by(CallStep.id.desc())).first()
        assert (last.step, last.event) == ("referral.name", "hangup")


def test_unrecognised_practice_is_kept_for_staff_to_check(app, phone, practices):
    call = to_practice(phone).say("the one by the big roundabout")
    assert "Please say the name of your GP surgery" in call.said
    call.say("I can't remember its name")
    assert "Are you registered with a GP in Derby or Derbyshire" in call.said
    call.press("1")
    assert "What's your full name" in call.said
    with app.app_context():
        [referral] = referrals()
        assert referral.practice_to_check and referral.practice_ods_code is None
        assert referral.practice_said == "I can't remember its name"


def test_out_of_area_caller_is_told_where_to_go_and_nothing_is_kept(app, phone, practices):
    call = to_practice(phone).say("Dove River Practice in Tutbury")
    # A practice outside Derbyshire is not in the directory: never offered, asked again, then "registered here?"
    assert call.said.startswith("Sorry") and step_asked(call) == "referral.practice"
    call.say("Dove River Practice Tutbury")
    assert step_asked(call) == "referral.registered_here"
    assert "Are you registered with a GP in Derby or Derbyshire" in call.said
    call.press("2")
    assert "find your local NHS Talking Therapies service" in call.said and call.ended
    with app.app_context():
        assert referrals() == []
        assert db.session.scalars(select(Call)).one().outcome == "out_of_area"


def test_urgent_referral_repeats_crisis_routes_and_is_flagged(app, phone, practices):
    call = at(phone(), "referral.urgent", {"referral.practice": "Arthur Medical Centre Horsley Woodhouse",
                                           "referral.name": "Sam Smith", "referral.voicemail": "2",
                                           "referral.best_time": "3"})
    call.press("1")
    assert "marked your referral as urgent, so our team sees it first" in call.said and "9 9 9" in call.said
    assert "put through to the 24-hour helpline" in call.said
    with app.app_context():
        referral = referrals()[0]
        assert (referral.urgent, referral.urgent_reason, referral.urgent_step) == (
            True, "urgency_yes", "referral.urgent")


def test_name_is_recorded_when_recognition_fails_twice(app, phone, practices):
    call = at(phone(), "referral.name", {"referral.practice": "Arthur Medical Centre Horsley Woodhouse"})
    call.say("Sam Smith").press("2").say("Sam Smyth").press("2")
    assert "After the tone" in call.said and call.waiting_for.tag == "Record"
    call.record(seconds=4, sid="RE" + "a" * 32)
    assert step_asked(call) not in {"referral.name", "referral.name_record"} and not call.ended  # on to what's next
    with app.app_context():
        referral = referrals()[0]
        assert referral.name is None
        assert referral.name_recording_sid == "RE" + "a" * 32


def test_a_webhook_delivered_twice_changes_nothing_more(app, client, phone, practices):
    call = to_practice(phone)
    call.say("Arthur Medical Centre Horsley Woodhouse")
    first = call.responses[-1]
    url = call._url
    # Twilio retries the same request: same URL, same parameters, same signature.
    form = {
        "CallSid": call.call_sid, "AccountSid": "AC" + "0" * 32, "From": call.caller_number,
        "To": "+441332000000", "Caller": call.caller_number, "Called": "+441332000000", "CallStatus": "in-progress",
        "Direction": "inbound", "ApiVersion": "2010-04-01", "SpeechResult": "Arthur Medical Centre Horsley Woodhouse",
        "Confidence": "0.90000000",
    }
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
    again = client.post(url, data=form, headers={"X-Twilio-Signature": signature})
    assert ET.tostring(ET.fromstring(again.get_data(as_text=True))) == ET.tostring(first)
    call.press("1")
    assert "What's your full name" in call.said
    with app.app_context():
        assert len(referrals()) == 1
