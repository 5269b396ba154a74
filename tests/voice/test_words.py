"""The words a caller hears: a menu that says each key and what to say instead, with 8 before 9; the referral's
thank-you, a pause and a reference that can be heard again; "Any of these"; information that can be skipped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ivr.callflow.answers import spoken_digits
from ivr.clock import LONDON
from ivr.extensions import db
from ivr.models import Referral
from ivr.tools.caller import step_asked
from tests.support.line import SENT, at

MENU = ("About I P T, press 1, or say information. To refer yourself, press 2, or say refer. "
        "Existing patients, press 3.")
THURSDAY_MORNING = datetime(2026, 11, 26, 10, 30, tzinfo=LONDON)  # reception open
SUNDAY_MORNING = datetime(2026, 11, 29, 10, 30, tzinfo=LONDON)  # reception closed


def test_the_menu_says_each_key_and_the_word_to_say_instead(app, phone):
    app.extensions["ivr_line"].clock = lambda: SUNDAY_MORNING  # 8 is offered only while reception is open
    said = phone().said
    assert said.endswith(f"{MENU} For help now, press 9.")
    assert "date of birth" in phone().say("refer").said
    assert "reference number" in phone().say("patient").said
    assert "skip to the next part" in phone().say("information").said


def test_in_opening_hours_8_comes_before_9(app, phone):
    app.extensions["ivr_line"].clock = lambda: THURSDAY_MORNING
    said = phone().said
    assert said.endswith(f"{MENU} To speak to someone, press 8, or say speak to someone. For help now, press 9.")


def reference_spoken(app) -> str:
    with app.app_context():
        reference = db.session.scalars(select(Referral.reference)).one()
    return spoken_digits(reference.removeprefix("IPT-"), [3, 3])


def test_thank_you_a_pause_then_the_reference_which_1_says_again(app, phone):
    call = at(phone(), "referral.urgent").press("2")  # not urgent: sent
    reference = f"Your reference is {reference_spoken(app)}. To hear it again, press 1."
    assert call.said == f"{SENT} {reference}"
    verbs = [(verb.tag, (verb.text or "").strip()) for verb in call.responses[-1]]
    assert verbs[:2] == [("Say", SENT), ("Pause", "")]  # a second's silence after "sent", before the reference
    assert verbs[2][0] == "Gather" and call.waiting_for.find("Say").text == reference  # a key cuts in
    assert call.press("1").said == reference and step_asked(call) == "referral.reference"
    assert call.say("again please").said == reference
    call.silence()  # nothing pressed: what happens next, and goodbye
    assert call.said.startswith("Our team will call you within 3 working days") and call.ended
    with app.app_context():
        assert db.session.scalars(select(Referral.status)).one() == "new"


def test_sessions_in_person_by_phone_or_video_are_left_to_the_assessment(app, phone):
    call = at(phone(), "referral.best_time").press("3")
    assert call.said.startswith("Are you pregnant or have a baby under one")  # the next question: priority
    assert "Sessions" not in " ".join(call.transcript)
    with app.app_context():
        assert db.session.scalars(select(Referral.session_preference)).one() is None


def test_each_information_part_can_be_skipped_with_1_while_it_is_said(phone):
    call = phone().press("1")
    assert call.said.startswith("You can press 1 at any time to skip to the next part. Interpersonal Therapy")
    first = [say.text for say in call.waiting_for.iter("Say")]
    assert any("Interpersonal Therapy" in text for text in first)  # the part itself is inside the <Gather>
    assert call.waiting_for.get("numDigits") == "1"
    call.press("1")  # pressed during the first part: the second begins
    assert call.said.startswith("I P T can help with depression") and "skip" not in call.said  # said once
    assert any("grief and loss" in say.text for say in call.waiting_for.iter("Say"))
