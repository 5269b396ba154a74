"""Every recording a caller leaves reaches staff, however it ended: by #, by hanging up, at the time limit.

Twilio's <Record> action carries Digits as well as the recording: the key that ended it, 'hangup',
or nothing (https://www.twilio.com/docs/voice/twiml/record). A recording read as a keypress is lost.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Enquiry, Referral
from ivr.tools.caller import Caller
from tests.support.fake_twilio import SOUND, fake_twilio
from tests.support.line import at

MESSAGE = "RE" + "e" * 32
NAME = "RE" + "f" * 32


@pytest.fixture
def twilio(app):
    with fake_twilio(app) as account:
        account.held.update({MESSAGE, NAME})
        yield account


def at_the_message(phone):
    """An existing patient with no reference to give, at the tone."""
    call = phone().press("3").press("2")
    assert call.waiting_for.tag == "Record"
    return call


def the_enquiry(app) -> Enquiry:
    with app.app_context():
        return db.session.scalars(select(Enquiry)).one()


def shown_to_staff(client, staff, plural: str, record_id: int) -> str:
    """The record's page for a logged-in member of staff, after checking its recording plays."""
    staff.make()
    staff.login()
    page = client.get(f"/staff/{plural}/{record_id}").get_data(as_text=True)
    assert f'src="/staff/{plural}/{record_id}/recording"' in page and "cannot be played" not in page
    sound = client.get(f"/staff/{plural}/{record_id}/recording")
    assert (sound.status_code, sound.data) == (200, SOUND)
    return page


def test_a_message_ended_with_hash_is_kept_and_shown_to_staff(app, phone, staff, client, twilio):
    call = at_the_message(phone).record(seconds=25, sid=MESSAGE, ended_by="#")
    assert "didn't hear" not in call.said and "Can we call you on" in call.said
    call.press("1").press("1")  # on this number; a voicemail is all right
    assert call.ended
    call.hang_up()
    enquiry = the_enquiry(app)
    assert (enquiry.status, enquiry.recording_sid, enquiry.recording_seconds) == ("new", MESSAGE, 25)
    assert "25 s long" in shown_to_staff(client, staff, "enquiries", enquiry.id)


def status_callbacks_lost(transport):
    """Twilio's status callback never arrives (or not yet): the recording's own request must be enough."""

    def send(url, form, headers):
        return (204, "") if url.endswith("/voice/status") else transport(url, form, headers)

    return send


def test_a_message_ended_by_hanging_up_is_kept_and_left_for_a_callback(app, phone, staff, client, twilio):
    call = at_the_message(phone)
    call.transport = status_callbacks_lost(call.transport)
    call.record(seconds=40, sid=MESSAGE, ended_by="hangup")
    assert call.ended
    enquiry = the_enquiry(app)
    assert (enquiry.recording_sid, enquiry.recording_seconds) == (MESSAGE, 40)
    assert enquiry.status == "incomplete"  # as the caller left it: in the queue for a callback
    page = shown_to_staff(client, staff, "enquiries", enquiry.id)
    assert "Incomplete (call dropped)" in page and "07400 123456" in page
    queue = client.get("/staff/enquiries?filter=incomplete").get_data(as_text=True)
    assert f"/staff/enquiries/{enquiry.id}\"" in queue


def test_a_hang_up_during_the_message_then_the_status_callback_keeps_one_incomplete_enquiry(app, phone, twilio):
    at_the_message(phone).record(seconds=40, sid=MESSAGE, ended_by="hangup")  # the phone sends both, as Twilio
    enquiry = the_enquiry(app)
    assert (enquiry.status, enquiry.recording_sid) == ("incomplete", MESSAGE)
    with app.app_context():
        assert db.session.get(Enquiry, enquiry.id).call.end_status == "completed"


@pytest.mark.parametrize("seconds, ended_by, kept_seconds", [
    (500, "#", 120),  # still talking at the two-minute limit: Twilio stops it, Digits empty
    (30, "timeout", 30),  # stopped talking: silence ends it, Digits empty
])
def test_a_message_ended_by_the_time_limit_or_silence_is_kept(app, phone, twilio, seconds, ended_by, kept_seconds):
    call = at_the_message(phone).record(seconds=seconds, sid=MESSAGE, ended_by=ended_by)
    assert "Can we call you on" in call.said
    enquiry = the_enquiry(app)
    assert (enquiry.recording_sid, enquiry.recording_seconds) == (MESSAGE, kept_seconds)


def test_a_recording_with_no_audio_is_not_sent_and_the_caller_is_asked_again(app, phone):
    sent = []
    call = at_the_message(phone)
    send = call.transport
    call.transport = lambda url, form, headers: sent.append(form) or send(url, form, headers)
    call.record(seconds=0)  # Twilio does not request the action URL: it goes on to our <Redirect>
    assert [form for form in sent if "RecordingUrl" in form or "Digits" in form] == []
    assert len(sent) == 1 and "Please leave your message after the tone" in call.said
    assert call.waiting_for.tag == "Record"
    with app.app_context():
        assert db.session.scalars(select(Enquiry)).all() == []


def test_a_name_recorded_after_two_misses_shows_on_the_referrals_page(app, phone, staff, client, twilio):
    call = at(phone(), "referral.name")  # practice not understood; registered
    call.say("Sam Smith").press("2").say("Sam Smyth").press("2")  # the name misheard twice: recorded instead
    assert call.waiting_for.tag == "Record"
    call.record(seconds=4, sid=NAME, ended_by="#")
    assert "didn't hear" not in call.said
    # this number, voicemail OK, no help to talk with us, mornings, by phone, safe: sent
    Caller(call).to_the_end()
    assert call.ended, call.transcript[-3:]
    call.hang_up()
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert (referral.status, referral.name, referral.name_recording_sid) == ("new", None, NAME)
    assert "The caller recorded their name" in shown_to_staff(client, staff, "referrals", referral.id)
