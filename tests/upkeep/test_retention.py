"""`flask retention purge`: what is past retention goes, with its calls' personal data; the counts are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Call, CallStep, Enquiry, Note, Referral, StatusChange
from tests.support.fake_twilio import fake_twilio
from tests.support.line import at
from tests.support.records import age, call_for


def dropped_referral(phone) -> str:
    """A caller who gave and confirmed a date of birth, then hung up: an incomplete referral."""
    call = at(phone(), "referral.practice")
    call.hang_up()
    return call.call_sid


def dropped_enquiry(phone) -> str:
    call = phone().press("3").press("2").record(seconds=30)
    call.hang_up()
    return call.call_sid


@pytest.fixture
def twilio(app):
    """Twilio's Recordings API, faked on 127.0.0.1."""
    with fake_twilio(app) as account:
        yield account


@pytest.fixture
def calls(app, phone, twilio):
    """One of each: old and recent incomplete, long- and recently-closed, old but never worked on."""
    sids = {name: dropped_referral(phone) for name in ("old_incomplete", "recent_incomplete", "long_closed",
                                                       "recently_closed", "old_new")}
    sids["old_enquiry"] = dropped_enquiry(phone)
    with app.app_context():
        age(sids["old_incomplete"], 31)
        age(sids["recent_incomplete"], 5)
        age(sids["long_closed"], 400, status="closed", closed_days_ago=200)
        age(sids["recently_closed"], 400, status="closed", closed_days_ago=10)
        age(sids["old_new"], 100, status="new")
        age(sids["old_enquiry"], 45)
        twilio.held.update(db.session.scalars(select(Enquiry.recording_sid)))  # the message left
    return sids


def test_purge_deletes_what_is_past_retention_and_keeps_the_rest(app, runner, calls):
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted: 1 incomplete and 1 closed referrals, 1 incomplete and 0 closed enquiries" in result.output
    with app.app_context():
        kept = {call.call_sid for call in db.session.scalars(select(Call)) if call.referral or call.enquiry}
        assert kept == {calls["recent_incomplete"], calls["recently_closed"], calls["old_new"]}
        assert [note.referral.call.call_sid for note in db.session.scalars(select(Note))] == [
            calls["recently_closed"]]
        assert [change.referral.call.call_sid for change in db.session.scalars(select(StatusChange))] == [
            calls["recently_closed"]]
        assert Enquiry.query.count() == 0


def test_purged_calls_keep_their_step_log_but_no_personal_data(app, runner, calls):
    with app.app_context():
        before = call_for(calls["old_incomplete"])
        steps = len(before.steps)
        assert before.caller_number and before.state["values"]["date_of_birth"] == "1988-03-14"
    runner.invoke(args=["retention", "purge"])
    with app.app_context():
        for name in ("old_incomplete", "long_closed", "old_enquiry"):
            call = call_for(calls[name])
            assert call.caller_number is None and call.last_response is None
            assert call.state["values"] == {}
        assert db.session.scalar(select(CallStep.id).where(
            CallStep.call_id == call_for(calls["old_incomplete"]).id).limit(1)) is not None
        assert len(call_for(calls["old_incomplete"]).steps) == steps
        assert call_for(calls["recent_incomplete"]).caller_number is not None


def test_purge_is_audited_with_counts_and_nothing_personal(app, runner, calls):
    runner.invoke(args=["retention", "purge"])
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).all()
        assert event.actor == "system"
        assert event.detail["referrals_incomplete"] == 1 and event.detail["referrals_closed"] == 1
        assert event.detail["enquiries_incomplete"] == 1 and event.detail["incomplete_days"] == 30
        written = str(event.detail)
        for personal in ("1988", "+44", "07", "IPT-"):
            assert personal not in written


def test_a_dry_run_counts_and_changes_nothing(app, runner, calls):
    result = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert "Would delete: 1 incomplete and 1 closed referrals" in result.output
    with app.app_context():
        assert Referral.query.count() == 5 and Enquiry.query.count() == 1
        assert call_for(calls["old_incomplete"]).caller_number is not None
        assert AuditEvent.query.filter_by(action="retention.purge").count() == 0


def test_a_second_purge_finds_nothing_more(app, runner, calls):
    runner.invoke(args=["retention", "purge"])
    again = runner.invoke(args=["retention", "purge"])
    assert "Deleted: 0 incomplete and 0 closed referrals, 0 incomplete and 0 closed enquiries" in again.output
    assert "personal data of 0 calls" in again.output


def test_the_periods_come_from_configuration(app, runner, calls):
    app.config["RETENTION_INCOMPLETE_DAYS"] = 3
    result = runner.invoke(args=["retention", "purge"])
    assert "Deleted: 2 incomplete" in result.output and "incomplete after 3 days" in result.output
