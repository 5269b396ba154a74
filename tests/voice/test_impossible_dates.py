"""A date of birth no calendar holds, however it is said, is asked again kindly: never the apology."""

from __future__ import annotations

import logging

from ivr.extensions import current_line


def test_an_impossible_spoken_date_is_asked_again_and_nothing_fails(app, phone, caplog):
    with app.app_context():
        sorry = current_line().prompts.text(("common.sorry",))
        not_a_date = current_line().prompts.text(("referral.date_of_birth.invalid.impossible",))
    call = phone().press("2")
    with caplog.at_level(logging.ERROR):
        call.say("the 1st of March 99999999999999999999")
    assert not_a_date in call.said and sorry not in call.said
    assert call.waiting_for is not None and not call.ended
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    call.say("the 14th of March 1988")
    assert "14 March 1988" in call.said
