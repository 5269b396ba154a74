"""The retention purge deletes recordings at Twilio (a fake on 127.0.0.1) and never forgets one it could not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Enquiry, Referral
from tests.support.fake_twilio import PREFIX, fake_twilio
from tests.support.line import at
from tests.support.records import age

NAME = "RE" + "a" * 32  # a referral's recorded name
MESSAGE = "RE" + "b" * 32  # an enquiry's recorded message
RECENT = "RE" + "c" * 32  # a message left last week: not due


@pytest.fixture
def twilio(app):
    with fake_twilio(app) as account:
        yield account


def dropped_referral_with_a_recorded_name(phone) -> str:
    call = at(phone(), "referral.name")  # practice not understood; registered
    call.say("Sam Smith").press("2").say("Sam Smyth").press("2")  # the name misheard twice: recorded instead
    assert call.waiting_for.tag == "Record"
    call.record(seconds=4, sid=NAME)
    call.hang_up()
    return call.call_sid


def dropped_enquiry_with(phone, sid: str) -> str:
    call = phone().press("3").press("2").record(seconds=30, sid=sid)
    call.hang_up()
    return call.call_sid


@pytest.fixture
def recorded(app, phone, twilio):
    """An old referral with a recorded name and an old enquiry with a message (both due), and a recent one."""
    sids = {NAME: dropped_referral_with_a_recorded_name(phone), MESSAGE: dropped_enquiry_with(phone, MESSAGE),
            RECENT: dropped_enquiry_with(phone, RECENT)}
    with app.app_context():
        age(sids[NAME], 40)
        age(sids[MESSAGE], 40)
        age(sids[RECENT], 5)
        assert Referral.query.one().name_recording_sid == NAME
    twilio.held.update({NAME, MESSAGE, RECENT})
    return sids


def deletes(twilio) -> list[str]:
    return sorted(path.removeprefix(PREFIX) for method, path in twilio.requests if method == "DELETE")


def purge_detail(app) -> list[dict]:
    with app.app_context():
        return [event.detail for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention.purge").order_by(AuditEvent.id))]


def recording_sids(app) -> set[str]:
    with app.app_context():
        return {*db.session.scalars(select(Referral.name_recording_sid)),
                *db.session.scalars(select(Enquiry.recording_sid))}


def test_the_purge_deletes_the_recordings_of_what_it_removes_and_no_others(app, runner, twilio, recorded):
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 incomplete and 0 closed referrals, 1 incomplete and 0 closed enquiries" in result.output
    assert "deleted 2 recordings at Twilio" in result.output
    assert deletes(twilio) == [f"{NAME}.json", f"{MESSAGE}.json"]
    assert twilio.held == {RECENT}
    assert recording_sids(app) == {RECENT}
    [detail] = purge_detail(app)
    assert (detail["recordings_deleted"], detail["recordings_not_deleted"]) == (2, 0)


def test_a_recording_twilio_no_longer_has_counts_as_deleted(app, runner, twilio, recorded):
    twilio.held.discard(MESSAGE)  # deleted in Twilio's console already: 404
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert recording_sids(app) == {RECENT}
    assert purge_detail(app)[0]["recordings_deleted"] == 2


def test_a_recording_twilio_would_not_delete_is_reported_kept_and_retried(app, runner, twilio, recorded):
    twilio.failing.add(MESSAGE)  # Twilio answers 500 for this one
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 1
    assert "Recordings not deleted: 1" in result.output
    assert "0 incomplete and 0 closed enquiries" in result.output and "deleted 1 recordings" in result.output
    assert recording_sids(app) == {MESSAGE, RECENT}  # the enquiry keeps its SID for the next purge
    detail = purge_detail(app)[0]
    assert (detail["recordings_deleted"], detail["recordings_not_deleted"], detail["enquiries_incomplete"]) == (
        1, 1, 0)
    assert MESSAGE not in str(detail)

    twilio.failing.clear()
    again = runner.invoke(args=["retention", "purge"])
    assert again.exit_code == 0, again.output
    assert "1 incomplete and 0 closed enquiries" in again.output
    assert deletes(twilio).count(f"{MESSAGE}.json") == 2
    assert MESSAGE not in twilio.held and recording_sids(app) == {RECENT}


def test_an_unreachable_twilio_or_missing_account_details_delete_nothing(app, runner, twilio, recorded):
    app.config["TWILIO_API_BASE_URL"] = "http://127.0.0.1:9"  # nothing listens there
    unreachable = runner.invoke(args=["retention", "purge"])
    assert unreachable.exit_code == 1 and "Recordings not deleted: 2" in unreachable.output
    app.config["TWILIO_ACCOUNT_SID"] = ""
    unconfigured = runner.invoke(args=["retention", "purge"])
    assert unconfigured.exit_code == 1 and "Recordings not deleted: 2" in unconfigured.output
    assert recording_sids(app) == {NAME, MESSAGE, RECENT}


def test_a_dry_run_deletes_no_recording(app, runner, twilio, recorded):
    result = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would delete 2 recordings at Twilio" in result.output
    assert twilio.requests == [] and twilio.held == {NAME, MESSAGE, RECENT}
    assert recording_sids(app) == {NAME, MESSAGE, RECENT}


def test_a_sid_that_cannot_name_a_twilio_recording_does_not_block_the_purge(app, runner, twilio, recorded):
    with app.app_context():
        db.session.scalars(select(Enquiry).where(Enquiry.recording_sid == MESSAGE)).one().recording_sid = "RE1"
        db.session.commit()
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert deletes(twilio) == [f"{NAME}.json"] and recording_sids(app) == {RECENT}
