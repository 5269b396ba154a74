"""Other languages (issue 26): the menu offers Polish in its own voice; a caller who presses 5 hears the rest of the
call in Polish and is listened to in Polish (or, in a language Twilio cannot recognise, by keys alone); a Polish
referral made by keypad reaches staff marked Polish; a file no translator has reviewed is not offered in production."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest
import yaml
from sqlalchemy import select

from ivr.callflow.line import load_line
from ivr.extensions import db
from ivr.models import Enquiry
from ivr.tools.caller import Caller, step_asked
from ivr.tools.phone import Phone, flask_transport
from tests.support.languages import KEYS_ONLY, POLISH_VOICE, prompts_dir
from tests.support.line import AUTH_TOKEN
from tests.support.records import the_referral

FLOWS = "flows"
ENGLISH_OFFER = "For English, press 5."  # settings.yaml's way back from Polish
# Every answer a key (tests/voice/test_keypad_only.py), after 5 for Polish and 2 to refer.
BY_KEYPAD = {
    "main.menu": ["5", "2"],
    "referral.practice": ["1", "489"],
    "referral.name": "1",
    "referral.communication": "1",
    "referral.communication_what": "1",
}


def _phone(app) -> Phone:
    return Phone(flask_transport(app.test_client()), AUTH_TOKEN).dial()


def _verbs(call: Phone, since: int) -> list[ET.Element]:
    """Every <Say> and <Gather> the line answered with from the `since`th response on."""
    return [verb for root in call.responses[since:] for verb in root.iter() if verb.tag in {"Say", "Gather"}]


@pytest.fixture
def polish(another_app, tmp_path):
    """The line with Polish offered (the real prompts/pl-PL.yaml, or one made from English's keys)."""
    return another_app(PROMPTS_DIR=str(prompts_dir(tmp_path)))


def test_the_menu_offers_polish_first_in_its_question_in_a_polish_voice(polish):
    call = _phone(polish)
    says = list(call.waiting_for.iter("Say"))
    assert call.waiting_for.tag == "Gather" and call.waiting_for.get("language") == "en-GB"
    offer = says[0]
    assert (offer.text, offer.get("language"), offer.get("voice")) == ("Po polsku, naciśnij 5.", "pl-PL", POLISH_VOICE)
    assert all(say.get("language") == "en-GB" for say in says[1:])
    assert call.said.index("9 9 9") < call.said.index("Po polsku")  # just after the crisis routes


def test_a_caller_who_presses_5_hears_only_polish_and_is_listened_to_in_polish(polish, practices):
    call = _phone(polish)
    first = len(call.responses)
    caller = Caller(call, BY_KEYPAD)
    caller.to_the_end()
    verbs = _verbs(call, first)
    says = [verb for verb in verbs if verb.tag == "Say" and verb.text != ENGLISH_OFFER]  # the way back aside
    assert says and all((s.get("language"), s.get("voice")) == ("pl-PL", POLISH_VOICE) for s in says)
    gathers = [verb for verb in verbs if verb.tag == "Gather"]
    assert gathers and all(g.get("language") == "pl-PL" for g in gathers)
    assert not any("Po polsku, naciśnij 5" in (s.text or "") for s in says)  # not offered again


def test_a_polish_caller_refers_themselves_by_keypad_and_staff_see_polish(polish, practices, staff, client):
    caller = Caller(_phone(polish), BY_KEYPAD)
    call = caller.to_the_end()
    assert call.ended and "referral.reference" in caller.asked
    referral = the_referral(polish)
    assert (referral.status, referral.language) == ("new", "pl-PL")
    staff.make()
    staff.login()
    queue = client.get("/staff/referrals").get_data(as_text=True)
    assert "Language: Polish" in queue
    assert "Language: Polish" in client.get(f"/staff/referrals/{referral.id}").get_data(as_text=True)
    assert "Language: Polish" in client.get("/staff/referrals?language=pl-PL").get_data(as_text=True)
    assert "Language: Polish" not in client.get("/staff/referrals?language=en-GB").get_data(as_text=True)


@pytest.mark.parametrize("back", [("press", "5"), ("say", "English"), ("say", "po angielsku"),
                                  ("say", "w języku angielskim")])
def test_a_caller_who_chose_polish_by_mistake_hears_the_way_back_in_english_and_takes_it(polish, back):
    call = _phone(polish).press("5")
    offers = [say for say in call.waiting_for.iter("Say") if say.text == ENGLISH_OFFER]
    assert [say.get("language") for say in offers] == ["en-GB"]  # in English's voice, inside the Polish menu
    hints = call.waiting_for.get("hints").split(", ")  # the pl-PL recogniser is told to listen for English too
    assert "English" in hints and "po angielsku" in hints
    getattr(call, back[0])(back[1])
    assert call.said.startswith("Welcome to the I P T line") and "9 9 9" in call.said
    assert call.waiting_for.get("language") == "en-GB" and "Po polsku, naciśnij 5." in call.said
    assert ENGLISH_OFFER not in call.said


def test_polish_said_at_the_menu_chooses_polish(polish):
    call = _phone(polish).say("po polsku")
    assert step_asked(call) == "main.menu"
    assert {say.get("language") for say in call.responses[-1].iter("Say") if say.text != ENGLISH_OFFER} == {"pl-PL"}


def test_a_keys_only_language_listens_for_keys_alone(another_app, tmp_path):
    app = another_app(PROMPTS_DIR=str(prompts_dir(tmp_path, KEYS_ONLY)))
    call = _phone(app).press("5")
    assert call.said.startswith("XX: ")
    gather = call.waiting_for
    assert (gather.get("input"), gather.get("language"), gather.get("hints")) == ("dtmf", KEYS_ONLY, None)
    assert gather.get("speechTimeout") is None
    call.press("2")
    assert call.waiting_for.get("input") == "dtmf" and call.said.startswith("XX: ")


def test_a_language_no_translator_has_reviewed_is_offered_in_development_only(tmp_path, caplog):
    prompts = str(prompts_dir(tmp_path, reviewed=False))
    assert not load_line(FLOWS, prompts).offers()  # production
    assert "pl-PL is not offered" in caplog.text and "NOT reviewed" in caplog.text
    assert [language.code for language in load_line(FLOWS, prompts, development=True).offers()] == ["pl-PL"]
    assert "offered in development though" in caplog.text


def test_a_reviewed_language_is_offered_in_production(tmp_path):
    assert [language.code for language in load_line(FLOWS, str(prompts_dir(tmp_path, reviewed=True))).offers()] \
        == ["pl-PL"]


def test_an_incomplete_language_is_not_offered(tmp_path, caplog):
    directory = prompts_dir(tmp_path, reviewed=True)
    path = directory / "pl-PL.yaml"
    path.write_text(path.read_text("utf-8").replace("greeting:", "greeted:", 1), "utf-8")
    assert not load_line(FLOWS, str(directory)).offers()
    assert "pl-PL is not offered" in caplog.text


def test_english_callers_are_not_offered_a_language_with_no_file(another_app, tmp_path):
    directory = prompts_dir(tmp_path)
    (directory / "pl-PL.yaml").unlink()
    call = _phone(another_app(PROMPTS_DIR=str(directory)))
    assert {say.get("language") for say in call.waiting_for.iter("Say")} == {"en-GB"}


def test_prompts_check_reports_each_language(another_app, tmp_path):
    directory = prompts_dir(tmp_path, reviewed=False)
    result = another_app(PROMPTS_DIR=str(directory)).test_cli_runner().invoke(args=["prompts", "check"])
    assert result.exit_code == 0, result.output
    assert "pl-PL (Polish, key 5, Polly.Ewa, keys and speech): complete, NOT reviewed by a translator" in result.output


def test_prompts_check_names_a_missing_key_and_a_changed_placeholder(another_app, tmp_path):
    directory = prompts_dir(tmp_path / "a")
    path = directory / "pl-PL.yaml"
    words = yaml.safe_load(path.read_text("utf-8"))
    del words["welcome"]["greeting"]
    words["common"]["goodbye"] += " {nowhere}"
    path.write_text(yaml.safe_dump(words, allow_unicode=True), "utf-8")
    result = another_app(PROMPTS_DIR=str(directory)).test_cli_runner().invoke(args=["prompts", "check"])
    assert result.exit_code != 0
    assert "prompts/pl-PL.yaml welcome.greeting: missing" in result.output
    assert "prompts/pl-PL.yaml common.goodbye: placeholders" in result.output
    assert "pl-PL (Polish" in result.output and "NOT offered" in result.output


def test_prompts_check_names_words_for_a_key_the_polish_menu_has_not(another_app, tmp_path):
    """Polish's own key is the way back to English on a Polish call, so its file may give words for it (5); once
    settings.yaml moves Polish to another key, words for 5 choose nothing, and the check says so."""
    directory = prompts_dir(tmp_path)
    app = another_app(PROMPTS_DIR=str(directory))
    assert app.test_cli_runner().invoke(args=["prompts", "check"]).exit_code == 0
    settings = yaml.safe_load((directory / "settings.yaml").read_text("utf-8"))
    settings["languages"][0]["key"] = "0"
    (directory / "settings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    result = another_app(PROMPTS_DIR=str(directory)).test_cli_runner().invoke(args=["prompts", "check"])
    assert result.exit_code != 0
    assert "prompts/words.pl-PL.yaml choices.menu.5: the question has no key 5" in result.output


def test_the_staff_export_and_facts_carry_the_language():
    from ivr.interop import facts
    from ivr.models import Referral

    assert facts.of(Referral(language="pl-PL")).interpreter_language == "pl"
    assert facts.of(Referral(language="pl-PL", interpreter_language="Urdu")).interpreter_language == "ur"
    assert facts.of(Referral()).interpreter_language is None


def test_a_polish_caller_who_says_risk_words_in_english_is_heard(polish):
    call = _phone(polish).press("5").press("2")
    call.say("I want to kill myself")
    assert step_asked(call).startswith("crisis.")
    assert {say.get("language") for say in call.responses[-1].iter("Say") if say.text != ENGLISH_OFFER} == {"pl-PL"}


def test_a_languages_own_risk_vocabulary_is_heard_beside_englishs(tmp_path):
    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    shutil.copy(flows / "risk.yaml", flows / "risk.pl-PL.yaml")  # a stand-in: the same structure, its own file
    line = load_line(str(flows), str(prompts_dir(tmp_path)), development=True)
    assert len(line.book_for("pl-PL").risk.models) == 2 and line.book_for(None).risk is line.book.risk
    assert line.book_for("pl-PL").risk.hear("I want to kill myself") is not None


def test_after_a_silence_at_the_menu_polish_is_offered_again_after_the_sorry(polish):
    call = _phone(polish).silence()
    says = list(call.waiting_for.iter("Say"))
    assert says[0].text.startswith("Sorry, I didn't hear anything.")
    assert (says[1].text, says[1].get("language")) == ("Po polsku, naciśnij 5.", "pl-PL")


def test_a_polish_callers_message_is_marked_for_staff_to_check_whatever_its_english_transcript_says(polish):
    call = _phone(polish).press("5").press("3").press("2").record(seconds=20).press("1").press("1")
    assert call.ended
    call.transcription_ready("Can I move my appointment to Tuesday?")  # all Twilio's transcription reads is English
    with polish.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        assert (enquiry.language, enquiry.urgent, enquiry.message_to_check) == ("pl-PL", False, True)
