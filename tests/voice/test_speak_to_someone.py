"""A person, in office hours: "speak to someone" puts the caller through to reception, or says when we answer.

The line's clock is fixed for each test, so these hold at any time of day."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ivr.app import create_app
from ivr.clock import LONDON
from ivr.extensions import db
from ivr.models import Call
from ivr.tools.phone import Phone, flask_transport
from tests.support.line import AUTH_TOKEN, FLOWS

RECEPTION = "+443007900265"  # settings.yaml's numbers.reception, "0300 790 0265", in E.164
THURSDAY_MORNING = datetime(2026, 11, 26, 10, 30, tzinfo=LONDON)
THURSDAY_EVENING = datetime(2026, 11, 26, 18, 5, tzinfo=LONDON)
SATURDAY = datetime(2026, 11, 28, 11, 0, tzinfo=LONDON)
BOXING_DAY_OBSERVED = datetime(2026, 12, 28, 10, 30, tzinfo=LONDON)  # a Monday, in working hours
OFFER = "To speak to someone, press 8, or say speak to someone."
HOURS = "Our team answers the phone Monday to Friday, 9 am to 5 pm, except bank holidays."
CLOSED_OFFER = ("To refer yourself on this call, press 1. To leave a message for the team, press 2. "
                "To go back to the main menu, press 3.")


def _outcome(app, call: Phone) -> str | None:
    with app.app_context():
        return db.session.scalars(select(Call.outcome).where(Call.call_sid == call.call_sid)).one()


def test_in_office_hours_the_menu_offers_a_person_and_puts_the_caller_through(app, at):
    call = at(THURSDAY_MORNING)
    assert OFFER in call.said
    call.press("8")
    assert "Putting you through to our reception team now." in call.said
    assert call.dialled == RECEPTION
    assert call.waiting_for.get("action")  # Twilio tells us how it ended
    call.dial_ends("completed", duration=240)
    assert call.ended and "Goodbye" in call.said
    assert _outcome(app, call) == "put_through"


def test_saying_speak_to_someone_works_too(at):
    call = at(THURSDAY_MORNING).say("can I speak to someone please")
    assert call.dialled == RECEPTION


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed"])
def test_busy_or_unanswered_is_said_kindly_with_the_other_ways(at, status):
    call = at(THURSDAY_MORNING).press("8").dial_ends(status)
    assert "I'm sorry, nobody could answer just now." in call.said
    for offer in ("To refer yourself on this call, press 1.", "To leave a message for the team, press 2.",
                  "To hear other ways to reach us, press 3."):
        assert offer in call.said
    assert call.waiting_for.tag == "Gather" and not call.ended


def test_after_no_answer_the_caller_can_refer_leave_a_message_or_hear_the_other_ways(at):
    assert "date of birth" in at(THURSDAY_MORNING).press("8").dial_ends("busy").press("1").said
    message = at(THURSDAY_MORNING).press("8").dial_ends("no-answer").press("2")
    assert message.waiting_for.tag == "Record"
    other = at(THURSDAY_MORNING).press("8").dial_ends("busy").say("other ways please")
    assert "refer yourself on our website" in other.said and "9 9 9" in other.said and other.ended


@pytest.mark.parametrize("moment", [THURSDAY_EVENING, SATURDAY, BOXING_DAY_OBSERVED],
                         ids=["evening", "weekend", "bank_holiday"])
def test_out_of_hours_the_caller_hears_the_hours_and_carries_on(at, moment):
    call = at(moment)
    assert OFFER not in call.said and "press 8" not in call.said
    call.press("8")
    assert HOURS in call.said and call.dialled is None
    assert CLOSED_OFFER in call.said and call.waiting_for.tag == "Gather"  # never a dead end
    assert "To refer yourself, press 2" in call.press("3").said  # back at the menu, as offered
    assert "date of birth" in call.press("2").said


def test_a_closure_the_service_adds_is_closed(app, tmp_path):
    prompts = tmp_path / "prompts"
    shutil.copytree(FLOWS.parent / "prompts", prompts)
    settings = prompts / "settings.yaml"
    settings.write_text(settings.read_text().replace("closures: []", "closures: [2026-11-26]"))
    closed_app = create_app({**app.config, "PROMPTS_DIR": str(prompts)})
    closed_app.extensions["ivr_line"].clock = lambda: THURSDAY_MORNING
    try:
        call = Phone(flask_transport(closed_app.test_client()), AUTH_TOKEN).dial()
        assert OFFER not in call.said
        assert HOURS in call.press("8").said and call.dialled is None
    finally:
        with closed_app.app_context():
            db.engine.dispose()  # its own connections, closed now rather than by the garbage collector


def test_the_clock_is_uk_time(at):
    assert OFFER in at(datetime(2026, 7, 1, 8, 15, tzinfo=UTC)).said  # 09:15 in summer time
    assert OFFER not in at(datetime(2026, 1, 7, 8, 15, tzinfo=UTC)).said  # 08:15 in winter
