"""A sentence the line offered help after (not read as an answer, or said besides one) is kept on the call's referral
or enquiry for staff, with the words of flows/risk.yaml's `to_check:` in it: the risk model heard no risk, but may
have missed some. Nothing is flagged, and the caller hears nothing more than the offer."""

from __future__ import annotations

from sqlalchemy import func, select

from ivr.extensions import db
from ivr.models import Enquiry, Referral, SafetyFollowUp, Status
from ivr.tools.caller import step_asked
from tests.support.line import CALLER, at, walk_referral

HELP_OFFER = "If you need help right now, press 9."
KNOWN = "Arthur Medical Centre in Horsley Woodhouse"  # a practice the directory knows, read back and confirmed
ALONE = "the kids are at their dad's tonight and I'm on my own with the tablets"  # no risk heard; two words to check


def referral(app) -> Referral:
    with app.app_context():
        return db.session.scalars(select(Referral)).one()


def test_a_sentence_with_words_to_check_is_kept_for_staff_when_the_call_drops(app, phone):
    call = at(phone(), "referral.practice").say(ALONE)
    assert HELP_OFFER in call.said and "Thank you for telling" not in call.said
    call.say(ALONE)  # asked again, and said again word for word: kept once
    call.hang_up()
    kept = referral(app)
    assert kept.status == Status.INCOMPLETE and not kept.urgent
    assert (kept.said_besides, kept.said_besides_to_check) == (ALONE, "tonight, tablets")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SafetyFollowUp)) == 0


def test_sentences_said_before_the_referral_began_are_kept_on_it_in_the_order_said(app, phone, practices):
    menu = "refer please, I've had a really rough time since the funeral"  # the choice taken, the rest kept
    call = phone().say(menu)
    assert call.said.startswith(HELP_OFFER)
    call.say("I've been sat looking at the tablets all night and I keep looking at them")  # the date of birth
    assert call.said.startswith("Sorry") and HELP_OFFER in call.said
    at(call, "referral.reference", {"referral.practice": KNOWN})
    kept = referral(app)
    assert kept.said_besides == f"{menu} / I've been sat looking at the tablets all night and I keep looking at them"
    assert kept.said_besides_to_check == "tablets" and not kept.urgent


def test_an_everyday_sentence_is_kept_with_no_words_to_check(app, phone, practices):
    said = "honestly I don't even know what I'm doing with any of this today"
    call = at(phone(), "referral.name", {"referral.practice": KNOWN}).say(said)
    at(call, "referral.reference")
    kept = referral(app)
    assert (kept.said_besides, kept.said_besides_to_check) == (said, None)


def test_answers_alone_keep_nothing_besides(app, phone, practices):
    walk_referral(phone(), answers={"referral.practice": KNOWN})
    kept = referral(app)
    assert (kept.said_besides, kept.said_besides_to_check) == (None, None)


def test_a_disclosure_heard_is_flagged_and_not_kept_besides(app, phone):
    call = at(phone(), "referral.practice").say("I've taken all my tablets tonight")
    assert call.said.startswith("If you've taken something, hurt yourself, or you're in danger")
    call.hang_up()
    kept = referral(app)
    assert kept.urgent and kept.said_besides is None


def test_an_existing_patient_keeps_what_they_said_besides_on_their_enquiry(app, phone):
    call = phone().press("3").say("yes, it's about my appointment but I've been sat with the tablets all night")
    assert step_asked(call) == "enquiry.reference" and call.said.startswith(HELP_OFFER)
    call.press("123456").record(seconds=20)
    call.hang_up()
    with app.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        assert enquiry.said_besides_to_check == "tablets" and not enquiry.urgent


def test_words_to_check_said_before_anything_was_kept_leave_a_follow_up_when_the_call_ends(app, phone):
    call = phone().say("I don't know why I'm ringing, I'm on my own tonight with the tablets")
    assert call.said.startswith(f"Sorry, I didn't catch that. {HELP_OFFER}")
    call.hang_up()
    with app.app_context():
        followup = db.session.scalars(select(SafetyFollowUp)).one()
        assert (followup.category, followup.step, followup.caller_number) == (
            "words_to_check", "main.menu", CALLER)
        assert followup.words == "I don't know why I'm ringing, I'm on my own tonight with the tablets"
        assert db.session.scalar(select(func.count()).select_from(Referral)) == 0


def test_an_everyday_sentence_before_anything_was_kept_leaves_no_follow_up(app, phone):
    phone().say("honestly I don't even know what I'm doing with any of this today").hang_up()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SafetyFollowUp)) == 0
