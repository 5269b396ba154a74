"""The retention purge deletes a referral's text at Twilio (a fake of its Messages API on 127.0.0.1) with the
referral, through twilio's own client; a text Twilio will not delete yet keeps its referral for the next purge."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from ivr.extensions import db
from ivr.models import AuditEvent, Outbox, Referral
from ivr.tools.phone import Phone
from tests.support.fake_messages import closing_transport, fake_messaging, wait_for_texts
from tests.support.line import AUTH_TOKEN, walk_referral
from tests.support.records import age

CALLERS = ("+447400123456", "+447400765432", "+447400555666")


@pytest.fixture
def twilio(app):
    with fake_messaging(app) as account:
        yield account


@pytest.fixture
def texted(app, client, twilio) -> dict[str, tuple[str, str]]:
    """Three referrals, each texted: two closed long ago (past retention), one recent. Name -> (call, text SID)."""
    found = {}
    for name, number in zip(("old", "also_old", "recent"), CALLERS, strict=True):
        call = walk_referral(Phone(closing_transport(client), AUTH_TOKEN, caller_number=number).dial(), text="1")
        call.hang_up()
        wait_for_texts()
        found[name] = (call.call_sid, twilio.messages[-1].sid)
    with app.app_context():
        for name in ("old", "also_old"):
            age(found[name][0], 400, status="closed", closed_days_ago=200)
    return found


def referral_calls(app) -> set[str]:
    with app.app_context():
        return {referral.call.call_sid for referral in db.session.scalars(select(Referral))}


def test_purging_a_referral_deletes_its_text_at_twilio(app, runner, twilio, texted):
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert "0 incomplete and 2 closed referrals" in result.output and "2 texts at Twilio" in result.output
    assert sorted(twilio.deletes) == sorted([texted["old"][1], texted["also_old"][1]])  # the recent one's stays
    assert twilio.deleted == set(twilio.deletes)
    assert referral_calls(app) == {texted["recent"][0]}
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).all()
        assert (event.detail["texts_deleted"], event.detail["texts_not_deleted"]) == (2, 0)


def test_a_text_twilio_will_not_delete_yet_keeps_its_referral_for_the_next_purge(app, runner, twilio, texted):
    twilio.still_sending.add(texted["old"][1])  # Twilio: error 20009, not finished with it
    first = runner.invoke(args=["retention", "purge"])
    assert first.exit_code == 1  # an operator's cron sees it
    assert "0 incomplete and 1 closed referrals" in first.output and "Texts not deleted: 1" in first.output
    assert referral_calls(app) == {texted["old"][0], texted["recent"][0]}
    with app.app_context():
        assert db.session.scalars(select(Outbox.twilio_sid).join(Outbox.referral)).all().count(texted["old"][1]) == 1

    twilio.still_sending.clear()  # done with it: the next purge deletes it, then its referral
    second = runner.invoke(args=["retention", "purge"])
    assert second.exit_code == 0 and "0 incomplete and 1 closed referrals" in second.output, second.output
    assert twilio.deletes.count(texted["old"][1]) == 2 and texted["old"][1] in twilio.deleted
    assert referral_calls(app) == {texted["recent"][0]}


def test_a_text_not_yet_sent_keeps_its_referral(app, runner, twilio, texted):
    with app.app_context():  # claimed by a sender that has not heard back from Twilio: its SID is not known yet
        db.session.execute(update(Outbox).where(Outbox.twilio_sid == texted["old"][1])
                           .values(status="sending", twilio_sid=None))
        db.session.commit()
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 1 and "Texts not deleted: 1" in result.output
    assert twilio.deletes == [texted["also_old"][1]]
    assert texted["old"][0] in referral_calls(app)


def test_a_dry_run_deletes_no_text(app, runner, twilio, texted):
    result = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert "would delete 0 recordings at Twilio, and 2 texts at Twilio" in result.output
    assert twilio.deletes == [] and len(referral_calls(app)) == 3
