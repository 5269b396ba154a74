"""Any key ends a recording, as the line says; * records it again without the crisis routes, and the recording it
replaces is deleted at Twilio like any other; 9 keeps it and is help now.

Twilio's <Record> ends on any key of finishOnKey and sends the key as Digits with the recording
(https://www.twilio.com/docs/voice/twiml/record#finishonkey); the pretend phone sends what Twilio documents.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Enquiry, RecordingToDelete, Referral
from ivr.tools.caller import Caller, step_asked
from tests.support.fake_twilio import PREFIX, fake_twilio
from tests.support.line import at, heard_sent

FIRST, SECOND = "RE" + "1" * 32, "RE" + "2" * 32
ROUTES = "Samaritans are on"  # the crisis routes said before the message's first tone


@pytest.fixture
def twilio(app):
    with fake_twilio(app) as account:
        account.held.update({FIRST, SECOND})
        yield account


def at_the_message(phone):
    """An existing patient with no reference to give, at the tone, having heard the crisis routes."""
    call = phone().press("3").press("2")
    assert call.waiting_for.tag == "Record" and ROUTES in call.said
    return call


def the_enquiry(app) -> Enquiry:
    with app.app_context():
        return db.session.scalars(select(Enquiry)).one()


def queued(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(RecordingToDelete.recording_sid)))


@pytest.mark.parametrize("key", ["1", "5", "0", "#"])
def test_any_key_ends_the_message_as_the_line_says(app, phone, key):
    call = at_the_message(phone)
    assert "Press any key, or hang up, when you've finished." in call.said
    assert call.waiting_for.get("finishOnKey") == "0123456789*#"
    call.record(seconds=20, sid=FIRST, ended_by=key)
    assert "Can we call you on" in call.said
    assert the_enquiry(app).recording_sid == FIRST and queued(app) == []


def test_star_records_the_message_again_without_the_crisis_routes_and_the_first_is_deleted(
        app, phone, runner, twilio):
    call = at_the_message(phone)
    assert "To start again, press star." in call.said
    call.record(seconds=30, sid=FIRST, ended_by="*")
    assert call.said.startswith("All right, let's start again. After the tone")
    assert ROUTES not in call.said and "straight away" not in call.said and call.waiting_for.tag == "Record"
    call.record(seconds=25, sid=SECOND, ended_by="#")
    assert "Can we call you on" in call.said
    call.press("1").press("1")  # on this number; a voicemail is all right
    assert call.ended and "Your message has been passed to our team" in call.said
    call.hang_up()
    enquiry = the_enquiry(app)
    assert (enquiry.status, enquiry.recording_sid, enquiry.recording_seconds) == ("new", SECOND, 25)
    assert queued(app) == [FIRST]
    assert twilio.requests == []  # the caller's webhook never waited on Twilio

    purged = runner.invoke(args=["retention", "purge"])
    assert purged.exit_code == 0 and "deleted 1 recordings at Twilio" in purged.output, purged.output
    assert twilio.requests == [("DELETE", f"{PREFIX}{FIRST}.json")] and SECOND in twilio.held
    assert queued(app) == []


def test_a_message_recorded_again_from_the_menu_replaces_the_first_which_is_deleted(app, phone, twilio):
    call = at_the_message(phone).record(seconds=30, sid=FIRST)
    call.press("0").press("0").press("3").press("2")  # back to the main menu, and the message again
    call.record(seconds=12, sid=SECOND).press("1").press("1")
    assert call.ended
    assert the_enquiry(app).recording_sid == SECOND and queued(app) == [FIRST]


def test_star_records_the_name_again_and_the_first_is_queued_for_deletion(app, phone, twilio):
    call = at(phone(), "referral.name")
    call.press("1")  # a key at the name question: record it instead
    assert call.said == "After the tone, please say your first name and surname, then press any key."
    call.record(seconds=4, sid=FIRST, ended_by="*")
    assert call.said == "All right, let's start again. After the tone, please say your first name and surname, " \
                        "then press any key."
    call.record(seconds=3, sid=SECOND, ended_by="7")
    assert step_asked(call) not in {"referral.name", "referral.name_record"} and not call.ended  # on to what's next
    Caller(call).to_the_end()
    assert heard_sent(call)
    with app.app_context():
        assert db.session.scalars(select(Referral.name_recording_sid)).one() == SECOND
    assert queued(app) == [FIRST]


def test_nine_ends_the_message_keeps_it_and_is_help_now_then_carries_on(app, phone, twilio):
    call = at_the_message(phone).record(seconds=40, sid=FIRST, ended_by="9")
    assert call.said.startswith("Help is there right now.") and "press 1" in call.said
    enquiry = the_enquiry(app)
    assert (enquiry.recording_sid, enquiry.urgent, enquiry.urgent_reason) == (FIRST, True, "help_now_key")
    call.press("2")  # carry on with this call: on from the message, not back to its tone
    assert "Can we call you on" in call.said
    call.press("1").press("1")
    assert call.ended and the_enquiry(app).status == "new" and queued(app) == []


def test_trying_again_after_no_message_gives_the_tone_without_the_crisis_routes_again(app, phone):
    call = at_the_message(phone).silence().silence()  # nothing recorded, twice
    assert "I didn't get a message" in call.said
    call.press("1")  # try again
    assert call.said.startswith("After the tone") and ROUTES not in call.said and call.waiting_for.tag == "Record"
    call.record(seconds=9, sid=FIRST)
    assert "Can we call you on" in call.said and the_enquiry(app).recording_sid == FIRST
