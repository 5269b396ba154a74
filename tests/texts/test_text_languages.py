"""Texts in the caller's language (issue 26, item 7): a caller who chose Polish at the menu gets the receipt from
prompts/texts.pl-PL.yaml, in Polish letters, which a phone carries as UCS-2: 70 characters in one text, 67 a part
(https://www.twilio.com/docs/glossary/what-sms-character-limit)."""

from __future__ import annotations

import pytest

from ivr.texts import compose
from ivr.tools.caller import Caller
from ivr.tools.phone import Phone
from tests.support.fake_messages import closing_transport, fake_messaging, wait_for_texts
from tests.support.languages import prompts_dir
from tests.support.line import AUTH_TOKEN, CALLER

POLISH_RECEIPT = """receipt: |-
  {service}: mamy Twoje skierowanie. Numer: {reference}.
  Zadzwonimy w ciągu {callback_working_days} dni roboczych z numeru {line_number}.
  Pilna pomoc: {emergency}, NHS {nhs_111} opcja 2, Samaritans {samaritans}.
discreet_service: NHS
"""


@pytest.mark.parametrize(("text", "encoding", "count"), [
    ("a" * 160, "GSM-7", 1), ("a" * 161, "GSM-7", 2), ("a" * 306, "GSM-7", 2), ("a" * 307, "GSM-7", 3),
    ("ą" * 70, "UCS-2", 1), ("ą" * 71, "UCS-2", 2), ("ą" * 134, "UCS-2", 2), ("ą" * 135, "UCS-2", 3),
    ("a" * 69 + "ł", "UCS-2", 1), ("😀" * 35, "UCS-2", 1), ("😀" * 36, "UCS-2", 2),  # an emoji is two UTF-16 units
])
def test_segments_are_counted_as_a_phone_carries_them(text, encoding, count):
    assert compose.segments(text) == (encoding, count)


def test_a_caller_who_chose_polish_gets_the_text_in_polish(another_app, tmp_path, practices):
    directory = prompts_dir(tmp_path)
    (directory / "texts.pl-PL.yaml").write_text(POLISH_RECEIPT, "utf-8")
    app = another_app(PROMPTS_DIR=str(directory))
    with fake_messaging(app) as twilio:
        phone = Phone(closing_transport(app.test_client()), AUTH_TOKEN, caller_number=CALLER).dial()
        Caller(phone, {"main.menu": ["5", "2"], "referral.practice": ["1", "489"], "referral.name": "1",
                       "referral.communication": "1", "referral.communication_what": "1",
                       "referral.text_consent": "1"}).to_the_end()
        wait_for_texts()
        [message] = twilio.messages
    assert "mamy Twoje skierowanie" in message.body and "Zadzwonimy w ciągu 3 dni roboczych" in message.body
    assert compose.segments(message.body)[0] == "UCS-2"


def test_prompts_check_counts_a_polish_text_in_ucs2(another_app, tmp_path):
    directory = prompts_dir(tmp_path)
    (directory / "texts.pl-PL.yaml").write_text(POLISH_RECEIPT.replace("Pilna pomoc", "Pilna pomoc " + "ż" * 200),
                                                "utf-8")
    result = another_app(PROMPTS_DIR=str(directory)).test_cli_runner().invoke(args=["prompts", "check"])
    assert result.exit_code != 0
    assert "texts.pl-PL.yaml receipt: the text is" in result.output and "characters in UCS-2" in result.output
