"""What a text receipt may say (checked by `flask prompts check` and at start-up), who is asked for one,
and that a text goes with its referral when retention deletes it."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import select

from ivr.app import create_app
from ivr.callflow.answers import Context, Event
from ivr.callflow.engine import Ask, advance, new_state
from ivr.callflow.flowbook import FlowError
from ivr.callflow.line import load_book
from ivr.config import ConfigError
from ivr.extensions import db
from ivr.models import Outbox, Referral
from ivr.tools.phone import Phone
from tests.support.fake_messages import closing_transport, fake_messaging, wait_for_texts
from tests.support.line import AUTH_TOKEN, FLOWS, walk_referral
from tests.support.records import age

PROMPTS = FLOWS.parent / "prompts"
SAMARITANS = " or Samaritans on {samaritans}."


@pytest.mark.parametrize("number, caller, line_can_text, asked", [
    ("+447400123456", "+447400123456", True, "referral.text_consent"),  # their own UK mobile, on a line that texts
    ("+447400123456", "+441332123456", True, "referral.text_own"),  # keyed: is it their own?
    ("+447400123456", None, True, "referral.text_own"),  # keyed by a withheld caller: is it their own?
    ("+441332123456", None, True, "referral.voicemail"),  # a landline
    ("+447400123456", "+447400123456", False, "referral.voicemail"),  # a line that cannot send texts
    ("+33612345678", None, True, "referral.voicemail"),  # a mobile, but not a UK one
])
def test_only_a_uk_mobile_on_a_line_that_can_text_is_asked(number, caller, line_can_text, asked):
    state = {**new_state({"callback_number": number, "caller_number": caller}), "step": "referral.callback_confirm"}
    _, actions = advance(load_book(FLOWS), state, Event("digits", "1"),
                         Context(today=date(2025, 6, 1), texts=line_can_text))
    [question] = [action.step for action in actions if isinstance(action, Ask)]
    assert question == asked


def prompts_with(tmp_path, old: str, new: str):
    prompts = tmp_path / "prompts"
    shutil.copytree(PROMPTS, prompts)
    texts = prompts / "texts.yaml"
    wording = texts.read_text(encoding="utf-8")
    assert old in wording
    texts.write_text(wording.replace(old, new), encoding="utf-8")
    return prompts


def checked(app, runner, prompts) -> str:
    app.config["PROMPTS_DIR"] = str(prompts)
    result = runner.invoke(args=["prompts", "check"])
    assert result.exit_code == 1
    return result.output


@pytest.mark.parametrize("field", ["name", "date_of_birth", "practice_said", "callback_number"])
def test_a_text_that_would_hold_something_personal_is_refused(app, runner, tmp_path, field):
    prompts = prompts_with(tmp_path, "{service}: we have", f"{{service}}: {{{field}}}, we have")
    assert f"texts.yaml: 'receipt' names {{{field}}}, which a text may not hold" in checked(app, runner, prompts)
    with pytest.raises(FlowError, match="nothing personal"):
        create_app({"PROMPTS_DIR": str(prompts), "TESTING": True})


def test_characters_outside_gsm7_are_flagged(app, runner, tmp_path):
    prompts = prompts_with(tmp_path, "we have your referral", "we’ve got your referral – thank you")
    assert "outside GSM-7 (“–’”)" in checked(app, runner, prompts)


def test_a_text_longer_than_two_parts_is_flagged(app, runner, tmp_path):
    prompts = prompts_with(tmp_path, SAMARITANS, SAMARITANS + " Thank you for getting in touch with us today." * 2)
    assert "texts (at most 2: 306 characters)" in checked(app, runner, prompts)


def test_a_text_must_keep_the_crisis_numbers(app, runner, tmp_path):
    prompts = prompts_with(tmp_path, SAMARITANS, ".")
    assert "must give the reference and the crisis numbers (missing: 116 123)" in checked(app, runner, prompts)


def test_the_discreet_text_must_not_name_the_service(app, runner, tmp_path):
    prompts = prompts_with(tmp_path, "{service}: we have", "{service} Talking Therapies: we have")
    assert "the text without the service's name still names the service" in checked(app, runner, prompts)


def test_the_line_number_must_be_e164(database_url):
    with pytest.raises(ConfigError, match="TWILIO_PHONE_NUMBER"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "TWILIO_PHONE_NUMBER": "01332 000000"})


def test_retention_deletes_a_referrals_text_with_it(app, client, runner):
    calls = []
    with fake_messaging(app) as twilio:
        for number in ("+447400123456", "+447400765432"):  # two callers: a number gets one text a day
            calls.append(walk_referral(Phone(closing_transport(client), AUTH_TOKEN, caller_number=number).dial(),
                                       text="1"))
            calls[-1].hang_up()
        wait_for_texts()
        assert len(twilio.messages) == 2
        old, recent = calls
        with app.app_context():
            age(old.call_sid, 400, status="closed", closed_days_ago=200)  # closed long ago: past retention
        result = runner.invoke(args=["retention", "purge"])  # Twilio is there to delete the text at
    assert result.exit_code == 0 and "0 incomplete and 1 closed referrals" in result.output, result.output
    assert twilio.deletes == [m.sid for m in twilio.messages if m.to == "+447400123456"]  # the old caller's text
    with app.app_context():
        [kept] = db.session.scalars(select(Outbox)).all()
        assert kept.referral.call.call_sid == recent.call_sid


def test_a_referral_deleted_by_the_app_takes_its_text_with_it(app, client):
    with fake_messaging(app):
        walk_referral(Phone(closing_transport(client), AUTH_TOKEN).dial(), text="1")
        wait_for_texts()
    with app.app_context():
        db.session.delete(db.session.scalars(select(Referral)).one())
        db.session.commit()
        assert db.session.scalars(select(Outbox)).all() == []
