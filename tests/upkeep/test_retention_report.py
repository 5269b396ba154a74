"""Nothing is kept past retention silently: `flask retention report` lists open referrals past the period and
urgent ones no one has worked (which the purge never deletes), by id, status and age, and is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Referral
from tests.support.fake_twilio import fake_twilio
from tests.support.line import at
from tests.support.records import age, call_for

FIVE_YEARS = 5 * 365


@pytest.fixture
def twilio(app):
    with fake_twilio(app) as account:
        yield account


def urgent_then_dropped(phone) -> str:
    """A caller who said they were at risk, heard the crisis routes, and hung up before the referral was sent."""
    call = at(phone(), "referral.urgent")
    call.press("1")  # thoughts of harm, or feeling unsafe: yes
    assert "urgent" in call.said
    call.hang_up()
    return call.call_sid


def dropped(phone) -> str:
    call = at(phone(), "referral.practice")
    call.hang_up()
    return call.call_sid


def referral_id(sid: str) -> int:
    return call_for(sid).referral.id


def test_open_referrals_past_retention_are_reported_not_kept_silently(app, runner, referral, twilio):
    old, urgent_old, recent = referral(), referral(urgent=True), referral()
    with app.app_context():
        for referral_id_, days, status in ((old, FIVE_YEARS, "new"), (urgent_old, 400, "contacted")):
            age(db.session.get(Referral, referral_id_).call.call_sid, days, status=status)

    purged = runner.invoke(args=["retention", "purge"])
    assert purged.exit_code == 0, purged.output
    assert ("Kept, for staff: 2 open referrals and 0 open enquiries older than 180 days, and 0 urgent referrals"
            in purged.output)
    report = runner.invoke(args=["retention", "report"])
    assert report.exit_code == 1  # for the operator's cron or monitoring to alert on
    rows = [line.split() for line in report.output.splitlines() if line.startswith("referral ")]
    assert [row[:5] for row in rows] == [["referral", str(old), "new", str(FIVE_YEARS), "no"],
                                         ["referral", str(urgent_old), "contacted", "400", "yes"]]
    with app.app_context():
        assert {r.id for r in db.session.scalars(select(Referral))} == {old, urgent_old, recent}  # none deleted
        references = [r.reference for r in db.session.scalars(select(Referral))]
    for personal in ("Jane", "Smith", "1988", "07400", "+44", *references):
        assert personal not in report.output + purged.output


def test_an_urgent_referral_left_incomplete_is_kept_and_reported_until_staff_work_it(app, runner, phone, twilio):
    urgent, plain = urgent_then_dropped(phone), dropped(phone)
    with app.app_context():
        assert call_for(urgent).referral.urgent and call_for(urgent).referral.status == "incomplete"
        age(urgent, 45)
        age(plain, 45)
        urgent_id = referral_id(urgent)

    result = runner.invoke(args=["retention", "purge"])
    assert "Deleted: 1 incomplete and 0 closed referrals" in result.output  # the plain one only
    assert "and 1 urgent referrals and 0 urgent enquiries left incomplete that no one has worked" in result.output
    report = runner.invoke(args=["retention", "report"])
    assert report.exit_code == 1
    assert [line.split()[:5] for line in report.output.splitlines() if line.startswith("referral ")] == [
        ["referral", str(urgent_id), "incomplete", "45", "yes"]]
    assert "urgent, incomplete, not yet worked by staff" in report.output
    with app.app_context():
        assert call_for(urgent).referral is not None and call_for(plain).referral is None

    with app.app_context():  # staff work it (a status change) and close it; once closed long enough, it goes
        age(urgent, 400, status="closed", closed_days_ago=200)
    assert "Deleted: 0 incomplete and 1 closed referrals" in runner.invoke(args=["retention", "purge"]).output
    again = runner.invoke(args=["retention", "report"])
    assert again.exit_code == 0 and "Nothing is kept past retention." in again.output


def test_each_report_is_audited_with_counts_and_ids_only(app, runner, referral, phone, twilio):
    old = referral()
    urgent = urgent_then_dropped(phone)
    with app.app_context():
        age(db.session.get(Referral, old).call.call_sid, FIVE_YEARS)
        age(urgent, 31)
        urgent_id = referral_id(urgent)
    runner.invoke(args=["retention", "report"])
    runner.invoke(args=["retention", "purge"])
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.report")).all()
        assert event.actor == "system"
        assert event.detail["open_referrals_past_retention"] == 1
        assert event.detail["urgent_referrals_not_worked"] == 1
        assert sorted(event.detail["referral_ids"]) == sorted([old, urgent_id])
        [purge] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).all()
        assert (purge.detail["open_referrals_past_retention"], purge.detail["urgent_referrals_not_worked"]) == (1, 1)
        written = str(event.detail) + str(purge.detail)
    for personal in ("1988", "+44", "07400", "IPT-", "Jane"):
        assert personal not in written


def test_a_report_with_nothing_kept_exits_0(app, runner, referral):
    referral()
    result = runner.invoke(args=["retention", "report"])
    assert (result.exit_code, result.output.strip()) == (0, "Nothing is kept past retention.")


def message_then_dropped(phone, transcript: str) -> str:
    """An existing patient records a message, hangs up straight after, and Twilio's transcript of it arrives."""
    call = phone().press("3").press("2")
    call.record(seconds=30, ended_by="hangup")
    assert call.transcription_ready(transcript) == 204
    return call.call_sid


def test_an_urgent_enquiry_left_incomplete_is_kept_and_a_plain_one_goes_with_its_transcript(app, runner, phone, twilio):
    urgent = message_then_dropped(phone, "I've been self-harming again")
    plain = message_then_dropped(phone, "Can I move my appointment to Tuesday?")
    with app.app_context():
        assert call_for(urgent).enquiry.urgent and call_for(urgent).enquiry.status == "incomplete"
        age(urgent, 45)
        age(plain, 45)
        urgent_id = call_for(urgent).enquiry.id
    purged = runner.invoke(args=["retention", "purge"])
    assert "1 incomplete and 0 closed enquiries" in purged.output
    assert "0 urgent referrals and 1 urgent enquiries left incomplete that no one has worked" in purged.output
    report = runner.invoke(args=["retention", "report"])
    assert [line.split()[:5] for line in report.output.splitlines() if line.startswith("enquiry ")] == [
        ["enquiry", str(urgent_id), "incomplete", "45", "yes"]]
    with app.app_context():
        assert call_for(plain).enquiry is None  # its transcript, in the same row, went with it
        assert call_for(urgent).enquiry.message_transcript == "I've been self-harming again"
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.report")).all()
        assert event.detail["urgent_enquiries_not_worked"] == 1
    with app.app_context():  # staff work it and close it; once closed long enough, it goes, transcript and all
        age(urgent, 400, status="closed", closed_days_ago=200)
    assert "0 incomplete and 1 closed enquiries" in runner.invoke(args=["retention", "purge"]).output
    with app.app_context():
        assert call_for(urgent).enquiry is None
