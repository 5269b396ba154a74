"""Enquiries get the queue-and-page treatment; recordings play through the app, never from Twilio's URL."""

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Enquiry
from tests.support.fake_twilio import SOUND, fake_twilio


@pytest.fixture
def twilio(app):
    """The fake Twilio REST API on 127.0.0.1, with the app pointed at it."""
    with fake_twilio(app) as account:
        yield account


def _enquiry(app, phone) -> tuple[int, str]:
    """An existing patient leaves a recorded message on a real signed call."""
    call = phone(caller_number="+447400123456").press("3").press("2")  # no reference to give
    call.record(seconds=25)
    call.press("1").press("1")  # call me back on this number; a voicemail is all right
    assert call.ended
    call.hang_up()
    with app.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        return enquiry.id, enquiry.recording_sid


def test_an_enquiry_is_in_its_queue_and_its_message_plays_through_the_app(app, phone, staff, client, twilio):
    enquiry_id, sid = _enquiry(app, phone)
    twilio.held.add(sid)
    staff.make()
    staff.login()
    queue = client.get("/staff/enquiries").get_data(as_text=True)
    assert f"/staff/enquiries/{enquiry_id}\"" in queue and "07400 123456" in queue and "25 s" in queue
    page = client.get(f"/staff/enquiries/{enquiry_id}").get_data(as_text=True)
    assert f'src="/staff/enquiries/{enquiry_id}/recording"' in page
    assert "twilio.com" not in page and "127.0.0.1" not in page and sid not in page
    sound = client.get(f"/staff/enquiries/{enquiry_id}/recording")
    assert sound.status_code == 200 and sound.data == SOUND and sound.mimetype == "audio/mpeg"
    assert sound.headers["Cache-Control"] == "no-store"
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == enquiry_id)))
    assert {"enquiry.viewed", "enquiry.recording_played"} <= actions


def test_when_twilio_cannot_give_the_recording_playing_it_says_so(app, phone, staff, client, twilio):
    enquiry_id, sid = _enquiry(app, phone)
    staff.make()
    staff.login()
    assert client.get(f"/staff/enquiries/{enquiry_id}").status_code == 200
    gone = client.get(f"/staff/enquiries/{enquiry_id}/recording")
    assert gone.status_code == 502
    assert "Twilio no longer has this recording" in gone.get_data(as_text=True)
    twilio.held.add(sid)
    twilio.down = True
    down = client.get(f"/staff/enquiries/{enquiry_id}/recording")
    assert down.status_code == 502 and "Twilio answered with an error (HTTP 503)" in down.get_data(as_text=True)


def test_wrong_credentials_and_an_unreachable_twilio_are_explained(app, phone, staff, client, twilio):
    enquiry_id, sid = _enquiry(app, phone)
    twilio.held.add(sid)
    staff.make()
    staff.login()
    played = f"/staff/enquiries/{enquiry_id}/recording"
    app.config["TWILIO_AUTH_TOKEN"] = "not-the-token"
    assert "Twilio refused the app" in client.get(played).get_data(as_text=True)
    app.config["TWILIO_API_BASE_URL"] = "http://127.0.0.1:9"  # nothing listens there
    assert "Twilio could not be reached just now" in client.get(played).get_data(as_text=True)
    app.config["TWILIO_ACCOUNT_SID"] = ""
    assert "has not been given the Twilio account details" in client.get(played).get_data(as_text=True)


def test_an_enquiry_can_be_worked_like_a_referral(app, phone, staff, client):
    enquiry_id, _ = _enquiry(app, phone)
    staff.make()
    staff.login()
    page = f"/staff/enquiries/{enquiry_id}"
    with app.app_context():
        version = db.session.get(Enquiry, enquiry_id).version
    staff.post(f"{page}/callback", {"version": version, "attempted_at": "2025-11-20T09:00",
                                    "outcome": "reached"}, page=page)
    with app.app_context():
        version = db.session.get(Enquiry, enquiry_id).version
    staff.post(f"{page}/status", {"version": version, "status": "closed", "closing_reason": "other"}, page=page)
    shown = client.get(page).get_data(as_text=True)
    assert "Callback attempt: <strong>Reached</strong>" in shown and "Other (see notes)" in shown
    assert f"/staff/enquiries/{enquiry_id}\"" in client.get("/staff/enquiries?filter=closed").get_data(as_text=True)
