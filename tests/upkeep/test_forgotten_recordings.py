"""A referral forgotten mid-call (under 16, out of area) does not leave its recorded name at Twilio for ever."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Call, Referral
from ivr.tools.caller import Caller
from tests.support.fake_twilio import PREFIX, fake_twilio
from tests.support.line import at

NAME = "RE" + "d" * 32


@pytest.fixture
def twilio(app):
    with fake_twilio(app) as account:
        yield account


def recorded_name_then_forgotten(phone, ending: str):
    """A caller records their name, goes back to the menu to start again, and turns out under 16 or out of area."""
    call = at(phone(), "referral.name")  # practice not understood; registered
    call.say("Sam Smith").press("2").say("Sam Smyth").press("2")  # the name misheard twice: recorded instead
    call.record(seconds=4, sid=NAME)
    at(call, "referral.communication")  # this number, voicemail OK
    call.press("0").press("0").press("2")  # back to the main menu, and start the referral again
    if ending == "under_16":
        Caller(call, {"referral.date_of_birth": "14032015"}).to_the_end()
    else:  # not registered here
        Caller(call, {"referral.practice": ["nowhere I know", "still nowhere"],
                      "referral.registered_here": "2"}).to_the_end()
    assert call.ended
    return call


@pytest.mark.parametrize("ending", ["under_16", "out_of_area"])
def test_a_forgotten_callers_recording_is_queued_and_deleted_by_the_purge(app, phone, runner, twilio, ending):
    twilio.held.add(NAME)
    call = recorded_name_then_forgotten(phone, ending)
    assert twilio.requests == []  # the caller's webhook never waited on Twilio
    with app.app_context():
        assert Referral.query.count() == 0
        assert db.session.scalars(select(Call)).one().outcome == ending
    assert call.hang_up() == 204

    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 recordings at Twilio" in result.output
    assert twilio.requests == [("DELETE", f"{PREFIX}{NAME}.json")]
    assert NAME not in twilio.held
    runner.invoke(args=["retention", "purge"])
    assert len(twilio.requests) == 1  # done with: not asked again


def test_a_queued_recording_twilio_would_not_delete_is_retried(app, phone, runner, twilio):
    twilio.held.add(NAME)
    twilio.failing.add(NAME)
    recorded_name_then_forgotten(phone, "under_16")
    dry = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert "would delete 1 recordings at Twilio" in dry.output and twilio.requests == []
    failed = runner.invoke(args=["retention", "purge"])
    assert failed.exit_code == 1 and "Recordings not deleted: 1" in failed.output
    twilio.failing.clear()
    again = runner.invoke(args=["retention", "purge"])
    assert again.exit_code == 0, again.output
    assert NAME not in twilio.held
