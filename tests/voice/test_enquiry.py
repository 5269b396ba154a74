"""Existing patients: a reference, a recorded message and a number to call back."""

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Enquiry


def test_existing_patient_leaves_a_message_with_their_reference(app, phone):
    call = phone().say("existing patient")
    assert "reference number" in call.said
    call.press("1")
    call.say("my reference is 482 913")
    assert "After the tone" in call.said and "2 minutes" in call.said
    record = call.waiting_for
    assert record.tag == "Record"
    assert (record.get("maxLength"), record.get("finishOnKey")) == ("120", "#")
    call.record(seconds=37, sid="RE" + "b" * 32)
    assert "Can we call you back on this number" in call.said
    call.press("1")
    assert "Your message has been passed to our team" in call.said and call.ended
    with app.app_context():
        [enquiry] = db.session.scalars(select(Enquiry)).all()
        assert enquiry.status == "new" and enquiry.submitted_at is not None
        assert enquiry.reference_given == "IPT-482913"
        assert enquiry.recording_sid == "RE" + "b" * 32
        assert enquiry.recording_url.endswith(enquiry.recording_sid)
        assert enquiry.recording_seconds == 37
        assert enquiry.callback_number == "+447400123456"
        assert enquiry.call.caller_number == "+447400123456"


def test_enquiry_without_reference_from_a_withheld_number(app, phone):
    call = phone(caller_number="anonymous").press("3").press("2")
    call.record(seconds=12)
    assert "Your number isn't showing" in call.said
    call.press("07400123457").press("1")
    assert call.ended
    with app.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        assert enquiry.reference_given is None
        assert enquiry.callback_number == "+447400123457"
        assert enquiry.call.caller_number is None


def test_silence_instead_of_a_message_still_reaches_a_callback(app, phone):
    call = phone().press("3").press("2").silence()
    assert "Please leave your message after the tone" in call.said
    call.silence()
    assert "Can we call you back on this number" in call.said
    call.hang_up()
    with app.app_context():
        assert db.session.scalars(select(Enquiry)).all() == []
