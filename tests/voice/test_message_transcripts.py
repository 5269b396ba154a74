"""An existing patient's recorded message is transcribed by Twilio, and a transcript that discloses risk marks the
enquiry urgent; one the model hears nothing in but with words that may suggest distress, or none it can read, marks it
to check; the transcribeCallback is signed, taken once, and never fails for a callback it cannot place."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Enquiry
from ivr.tools.phone import Phone, flask_transport
from tests.support import twilio_docs as docs
from tests.support.faults import NOBODY_LISTENS, spooled
from tests.support.line import AUTH_TOKEN


def left_a_message(phone, seconds: int = 25) -> Phone:
    """An existing patient with no reference leaves a message, to be called back on this number, and hangs up."""
    call = phone().press("3").press("2")
    call.record(seconds=seconds)
    call.press("1").press("1")
    assert "passed to our team" in call.said
    call.hang_up()
    return call


def the_enquiry(app) -> Enquiry:
    with app.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        db.session.expunge(enquiry)
        return enquiry


def test_the_message_is_recorded_for_transcription_at_the_signed_callback(phone):
    call = phone().press("3").press("2")
    record = call.waiting_for
    assert (record.tag, record.get("transcribe"), record.get("transcribeCallback")) == (
        "Record", "true", "/voice/transcription")


def test_a_message_that_discloses_self_harm_marks_the_enquiry_urgent_with_its_words(app, phone):
    call = left_a_message(phone)
    assert call.transcription_ready("I've been self-harming again. Please call me.") == 204
    enquiry = the_enquiry(app)
    assert enquiry.message_transcript == "I've been self-harming again. Please call me."
    assert enquiry.transcription_status == "completed"
    assert (enquiry.urgent, enquiry.urgent_step) == (True, "enquiry.message")
    assert enquiry.urgent_reason in {"risk:acting_now", "risk:intent"}  # the risk model's category for self-harm
    assert enquiry.urgent_words == "I've been self-harming again. Please call me."
    assert enquiry.status == "new"  # still the caller's message to answer, now at the top of the queue


def test_an_ordinary_message_is_kept_and_not_urgent(app, phone):
    left_a_message(phone).transcription_ready("Can I move my appointment to Tuesday?")
    enquiry = the_enquiry(app)
    assert enquiry.message_transcript == "Can I move my appointment to Tuesday?"
    assert (enquiry.urgent, enquiry.urgent_reason, enquiry.urgent_words) == (False, None, None)
    assert (enquiry.message_to_check, enquiry.to_check_words) == (False, None)  # waits its turn, oldest first


# A goodbye the risk model does not hear as one, a minute into the message (past the 80 words it reads of one text)
GOODBYE = ("It's about my appointment next week, I wanted to check the time. " * 8
           + "The cat is with my neighbour now and she has got the keys. I just wanted to say goodbye and thank you "
             "all for trying.")


def test_a_message_the_model_hears_nothing_in_but_with_words_that_may_suggest_distress_is_marked_to_check(app,
                                                                                                        phone):
    assert len(GOODBYE.split()) > 80
    left_a_message(phone, seconds=60).transcription_ready(GOODBYE)
    enquiry = the_enquiry(app)
    assert (enquiry.urgent, enquiry.message_to_check) == (False, True)
    assert enquiry.to_check_words == "say goodbye, for trying"


# What existing patients' messages say every day: none of it is to check, or the mark would mean nothing
@pytest.mark.parametrize("said", [
    "Hi, I'm an existing patient, sorry for the short notice but I've got a sore throat so I can't come on Tuesday. "
    "Thanks, goodbye.",
    "It's Jo, I missed the bus, I'm afraid I'll be ten minutes late. Hang on, is it room 4?",
    "I had my blood test and I need a letter for work about my care plan. Can I do it online?",
    "I don't need the appointment anymore, I live in Leicester now, so please take me off the list.",
    "I was here for my appointment on Tuesday but nobody came out. I've got kidney stones, so a window on Friday is "
    "best, or I'm moving to Spain for good next month.",
])
def test_an_everyday_message_is_not_marked_to_check(app, phone, said):
    left_a_message(phone).transcription_ready(said)
    enquiry = the_enquiry(app)
    assert (enquiry.urgent, enquiry.message_to_check, enquiry.to_check_words) == (False, False, None)


@pytest.mark.parametrize("text, status", [("", "failed"), ("", "completed"), ("   ", "completed")])
def test_a_message_with_no_transcript_to_read_is_marked_to_check(app, phone, text, status):
    left_a_message(phone).transcription_ready(text, status=status)
    enquiry = the_enquiry(app)
    assert (enquiry.urgent, enquiry.message_to_check, enquiry.to_check_words) == (False, True, None)


def test_a_message_from_a_caller_who_may_not_have_spoken_english_is_marked_to_check(app, phone, staff, client):
    call = phone().say("Romanian").press("3").press("2").record(seconds=20).press("1").press("1")
    call.hang_up()
    call.transcription_ready("Can I move my appointment to Tuesday?")  # all Twilio's transcription reads is English
    enquiry = the_enquiry(app)
    assert (enquiry.interpreter, enquiry.urgent, enquiry.message_to_check) == (True, False, True)
    staff.make()
    staff.login()
    page = client.get(f"/staff/enquiries/{enquiry.id}").get_data(as_text=True)
    assert "Listen to this message next:</strong> it may not be in English, which is all the transcript reads." in page


def test_a_message_the_call_flagged_already_is_not_marked_to_check_too(app, phone):
    call = phone().press("3").press("2")
    call.record(seconds=20, ended_by="9")  # ended with 9: help now, and the enquiry is flagged
    call.hang_up()
    call.transcription_ready(GOODBYE)
    enquiry = the_enquiry(app)
    assert (enquiry.urgent, enquiry.urgent_reason, enquiry.message_to_check) == (True, "help_now_key", False)


def test_a_callback_twilio_did_not_sign_is_refused_and_changes_nothing(app, phone, client):
    call = left_a_message(phone)
    sent = {}

    def keep(url, form, headers):  # what Twilio would send, kept rather than sent
        sent.update(form)
        return 204, ""

    call.transport = keep
    call.transcription_ready("I've been self-harming again")
    assert set(sent) == docs.EVERY_REQUEST | docs.TRANSCRIPTION
    assert client.post("/voice/transcription", data=sent).status_code == 403
    forged = client.post("/voice/transcription", data=sent, headers={"X-Twilio-Signature": "bm90IHNpZ25lZA=="})
    assert forged.status_code == 403
    enquiry = the_enquiry(app)
    assert (enquiry.message_transcript, enquiry.urgent) == (None, False)


def test_a_callback_delivered_twice_changes_the_enquiry_once(app, phone):
    call = left_a_message(phone)
    before = the_enquiry(app).version
    assert call.transcription_ready("I've been self-harming again", deliveries=2) == 204
    enquiry = the_enquiry(app)
    assert enquiry.version == before + 1
    assert enquiry.urgent_words == "I've been self-harming again"  # not said twice


def test_a_failed_transcription_is_noted_and_nothing_fails(app, phone):
    assert left_a_message(phone).transcription_ready(status="failed") == 204
    enquiry = the_enquiry(app)
    assert (enquiry.transcription_status, enquiry.message_transcript, enquiry.urgent) == ("failed", None, False)
    assert enquiry.recording_sid  # staff still have the recording to listen to


def test_a_callback_for_a_call_or_recording_the_line_does_not_hold_is_taken_and_ignored(app, phone, client):
    call = left_a_message(phone)
    held = call._to_transcribe
    call._to_transcribe = (held[0], "RE" + "f" * 32)  # the caller's first try at the message, say, not kept
    assert call.transcription_ready("I've been self-harming again") == 204
    stranger = Phone(flask_transport(client), AUTH_TOKEN)  # a call the line never had
    stranger._to_transcribe = held
    assert stranger.transcription_ready("I've been self-harming again") == 204
    enquiry = the_enquiry(app)
    assert (enquiry.message_transcript, enquiry.transcription_status, enquiry.urgent) == (None, None, False)


def test_a_disclosure_a_minute_into_a_long_message_is_heard_and_its_words_shown(app, phone):
    text = ("It's about my appointment next week, I wanted to check the time. " * 12
            + "To be honest I've been self-harming again and I'm scared. " + "Please call me back. " * 6)
    assert len(text.split()) > 150  # past what the risk model reads of one text
    left_a_message(phone, seconds=110).transcription_ready(text)
    enquiry = the_enquiry(app)
    assert enquiry.urgent and enquiry.message_transcript == text.strip()
    assert "I've been self-harming again" in enquiry.urgent_words and len(enquiry.urgent_words) <= 301


def test_a_transcript_that_arrives_while_the_database_is_down_is_spooled_and_replayed(app, phone, runner,
                                                                                       another_app):
    call = left_a_message(phone)
    down = another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS)
    call.transport = flask_transport(down.test_client())
    assert call.transcription_ready("I've been self-harming again") == 200  # an apology Twilio ignores
    assert [entry["kind"] for entry in spooled(app)] == ["transcription"]
    assert the_enquiry(app).urgent is False
    result = runner.invoke(args=["spool", "replay"])
    assert result.exit_code == 0 and "Replayed 1 of 1" in result.output
    enquiry = the_enquiry(app)
    assert (enquiry.urgent, enquiry.message_transcript) == (True, "I've been self-harming again")
    with app.app_context():  # the call itself was not cut short: its enquiry is still as the caller sent it
        call_row = db.session.get(Enquiry, enquiry.id).call
        assert enquiry.status == "new" and "interrupted" not in [step.event for step in call_row.steps]
