"""No slip loses what a caller gave: every question of the referral and of the existing patients' message has its
own way on when its tries run out, never the give-up that hangs up (issue 24)."""

from __future__ import annotations

import pytest

from ivr.callflow.line import load_book
from tests.support.line import FLOWS

BOOK = load_book(str(FLOWS))
QUESTIONS = [name for name, step in BOOK.steps.items()
             if step.flow in {"referral", "enquiry"} and step.ask is not None]


def test_the_referral_and_the_message_have_questions():
    assert "referral.date_of_birth" in QUESTIONS and "enquiry.voicemail" in QUESTIONS


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_question_goes_on_after_its_tries(question):
    step = BOOK.steps[question]
    assert "max_retries" in step.on, f"{question}: its tries would end the call (add `on: max_retries:`)"
    assert step.on["max_retries"].next != BOOK.give_up
