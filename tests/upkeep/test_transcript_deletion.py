"""A purged enquiry's transcript is deleted at Twilio too (Twilio keeps it apart from the recording), and an
enquiry whose transcript Twilio would not delete is kept for the next purge."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Enquiry
from tests.support.fake_twilio import API, fake_twilio
from tests.support.records import age, call_for


@pytest.fixture
def twilio(app):
    with fake_twilio(app) as account:
        yield account


def transcribed_and_old(app, phone, twilio) -> str:
    """An existing patient's message, transcribed by Twilio, left incomplete 40 days ago; its transcription SID."""
    call = phone().press("3").press("2").record(seconds=30, ended_by="hangup")
    assert call.transcription_ready("Can I move my appointment to Tuesday?") == 204
    with app.app_context():
        enquiry = call_for(call.call_sid).enquiry
        twilio.held.update({enquiry.recording_sid, enquiry.transcription_sid})
        sid = enquiry.transcription_sid
        age(call.call_sid, 40)
    return sid


def test_the_purge_deletes_a_messages_transcript_at_twilio_with_its_enquiry(app, runner, phone, twilio):
    sid = transcribed_and_old(app, phone, twilio)
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert "with 1 transcripts of messages" in result.output
    assert ("DELETE", f"{API}/Transcriptions/{sid}.json") in twilio.requests and twilio.held == set()
    with app.app_context():
        assert db.session.scalars(select(Enquiry)).all() == []


def test_a_transcript_twilio_would_not_delete_keeps_its_enquiry_for_the_next_purge(app, runner, phone, twilio):
    sid = transcribed_and_old(app, phone, twilio)
    twilio.failing.add(sid)
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 1 and "Transcripts not deleted: 1" in result.output
    with app.app_context():
        assert db.session.scalars(select(Enquiry.transcription_sid)).one() == sid
    twilio.failing.clear()
    assert runner.invoke(args=["retention", "purge"]).exit_code == 0
    with app.app_context():
        assert db.session.scalars(select(Enquiry)).all() == []
