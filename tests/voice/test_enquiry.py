"""Existing patients: a reference, a recorded message, a number to call back, and whether a voicemail is OK."""

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Call, Enquiry


def test_existing_patient_leaves_a_message_with_their_reference(app, phone):
    call = phone().say("existing patient")
    assert "reference number" in call.said
    call.press("1")
    call.say("my reference is 482 913")
    said = call.said
    assert "aren't answered straight away" in said and "9 9 9" in said and "oh 8 oh oh, oh 2 8, oh oh 7 7" in said
    assert said.index("9 9 9") < said.index("After the tone") and "2 minutes" in said  # crisis routes first
    record = call.waiting_for
    assert record.tag == "Record"
    assert record.get("maxLength") == "120" and "Press any key, or hang up, when you've finished." in said
    call.record(seconds=37, sid="RE" + "b" * 32, ended_by="1")  # any key ends it
    assert "Can we call you on" in call.said
    call.press("1")
    assert "voicemail" in call.said
    call.press("2")
    assert "Your message has been passed to our team" in call.said and call.ended
    with app.app_context():
        [enquiry] = db.session.scalars(select(Enquiry)).all()
        assert enquiry.status == "new" and enquiry.submitted_at is not None
        assert enquiry.reference_given == "IPT-482913"
        assert enquiry.recording_sid == "RE" + "b" * 32
        assert enquiry.recording_url.endswith(enquiry.recording_sid)
        assert enquiry.recording_seconds == 37
        assert enquiry.callback_number == "+447400123456"
        assert enquiry.voicemail_ok is False
        assert enquiry.call.caller_number == "+447400123456"


def test_enquiry_without_reference_from_a_withheld_number(app, phone):
    call = phone(caller_number="anonymous").press("3").press("2")
    call.record(seconds=12)
    assert "Your number isn't showing" in call.said
    call.press("07400123457").press("1").press("1")
    assert call.ended
    with app.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        assert enquiry.reference_given is None
        assert (enquiry.callback_number, enquiry.voicemail_ok) == ("+447400123457", True)
        assert enquiry.call.caller_number is None


def test_an_enquiry_with_nothing_recorded_is_not_thanked_and_can_try_again(app, phone):
    call = phone().press("3").press("2").silence()
    assert "Please leave your message after the tone" in call.said
    call.silence()
    assert "I didn't get a message" in call.said and "passed to our team" not in call.said
    call.press("1")  # try again
    assert call.waiting_for.tag == "Record" and "After the tone" in call.said
    call.record(seconds=9)
    assert "Can we call you on" in call.said
    with app.app_context():
        assert db.session.scalars(select(Enquiry)).one().recording_seconds == 9


def test_an_enquiry_with_nothing_recorded_ends_with_the_other_ways_and_no_thanks(app, phone):
    call = phone().press("3").press("2").silence().silence()
    call.press("2")
    said = call.said
    assert call.ended and "call us again" in said and "Goodbye" in said
    assert "passed to our team" not in " ".join(call.transcript)
    call.hang_up()
    with app.app_context():
        assert db.session.scalars(select(Enquiry)).all() == []
        assert db.session.scalars(select(Call)).one().outcome == "no_message"


def test_a_message_ended_by_hanging_up_is_kept_for_a_callback(app, phone):
    call = phone().press("3").press("2")
    call.record(seconds=30, sid="RE" + "c" * 32)  # Twilio posts the recording when the caller hangs up
    call.hang_up()
    with app.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        assert (enquiry.recording_sid, enquiry.status) == ("RE" + "c" * 32, "incomplete")
