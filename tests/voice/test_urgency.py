"""The urgency question fails safe: only a clear no (or key 2) is no; what follows a yes is honest."""

from __future__ import annotations

import pytest

from tests.support.line import SENT, at, sent_and_goodbye, taken_date_of_birth
from tests.support.records import the_referral


def to_urgent(phone):
    """A referral at its last question: thoughts of harm, or feeling unsafe?"""
    call = at(phone(), "referral.urgent", {"referral.name": "Sam Taylor"})
    assert "Are you having thoughts of harming yourself, or do you feel unsafe?" in call.said
    return call


TOLD = "Thank you for telling me. I've marked your referral as urgent, so our team sees it first."
UNSURE = "That's all right. I've marked your referral as urgent, so our team sees it first."
SILENT = "I didn't hear an answer, so I've marked your referral as urgent, to be safe."


@pytest.mark.parametrize(("answers", "reasons", "begins"), [
    (["1"], {"urgency_yes"}, TOLD),
    (["say:yes"], {"urgency_yes"}, TOLD),
    (["say:I'm not sure"], {"urgency_unsure"}, UNSURE),
    (["say:maybe"], {"urgency_unsure"}, UNSURE),
    (["say:sometimes"], {"urgency_unsure", "risk:passive"}, None),  # hedged: flagged, gently, either way
    (["say:yes I'm not safe"], {"risk:acting_now"}, TOLD),
    (["say:I've thought about ending my life"], {"risk:intent"}, TOLD),
    (["", "", ""], {"urgency_no_answer"}, None),
    (["say:banana", "7", "say:pardon me what", "say:hmm"], {"urgency_no_answer"}, None),
])
def test_anything_but_a_clear_no_flags_the_referral_and_gives_help_now(app, phone, answers, reasons, begins):
    call = to_urgent(phone)
    for answer in answers:
        if answer.startswith("say:"):
            call.say(answer[4:])
        elif answer:
            call.press(answer)
        else:
            call.silence()
    said = call.said
    assert said.startswith(begins or "")
    if answers[0] == "":  # silence is not thanked for telling
        assert SILENT in said and "Thank you for telling" not in said
    assert "oh 8 oh oh, oh 2 8, oh oh 7 7" in said and "put through to the 24-hour helpline now" in said
    call.press("2")  # carry on: the referral is sent
    assert SENT in call.said and sent_and_goodbye(call).ended
    heard = " ".join(call.transcript)
    assert "don't wait for our call" not in heard and "calls you first" not in heard  # no promise later broken
    referral = the_referral(app)
    assert (referral.status, referral.urgent, referral.urgent_step) == ("new", True, "referral.urgent")
    assert referral.urgent_reason in reasons


@pytest.mark.parametrize("answer", ["2", "say:no", "say:No, I'm fine", "say:not at all", "say:nope"])
def test_only_a_clear_no_is_no(app, phone, answer):
    call = to_urgent(phone)
    call.press(answer) if not answer.startswith("say:") else call.say(answer[4:])
    assert call.said.startswith(SENT) and sent_and_goodbye(call).ended
    referral = the_referral(app)
    assert (referral.urgent, referral.urgent_reason) == (False, None)


def test_i_am_fine_is_asked_again_not_taken_for_no(app, phone):
    call = to_urgent(phone).say("I'm OK")
    assert "Press 1 for yes, or 2 for no." in call.said and not call.ended


def test_i_am_not_sure_at_an_ordinary_yes_no_question_is_never_a_no(app, phone):
    call = at(phone(), "referral.date_of_birth_confirm").say("I'm not sure")
    assert call.said.startswith("That's all right.") and "Is your date of birth 14 March 1988?" in call.said
    assert "Which GP practice" in taken_date_of_birth(call.press("1")).said
