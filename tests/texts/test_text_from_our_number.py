"""The text receipt names, and is sent from, the one number the goodbye says we call from (settings.yaml)."""

from __future__ import annotations

from ivr.texts.compose import written_number
from tests.support.fake_messages import wait_for_texts
from tests.support.line import number_we_call_from, walk_referral


def test_the_text_names_and_comes_from_the_number_the_goodbye_says(app, twilio, caller):
    call = walk_referral(caller(), text="1")
    said = number_we_call_from(call.said)
    assert said == "+443001230542"  # prompts/settings.yaml, numbers: team
    assert app.config["TWILIO_PHONE_NUMBER"] != said  # the line's own number is another one
    wait_for_texts()
    [message] = twilio.messages
    assert message.sender == said
    assert f"from {written_number(said)}." in message.body
