"""Languages besides English: settings.yaml's `languages:`, offered at the main menu, each with its own prompts file
(prompts/<code>.yaml), voice, listening language and, where there is one, risk vocabulary (flows/risk.<code>.yaml).

A language is offered only when its file has every key English has, with the same {placeholders} and pauses, and a
qualified translator has signed it off (`translation: {reviewed: true}`); in development an unreviewed one is offered
too, and the line's log says so at start-up.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

from ivr.callflow.risk import Heard
from ivr.callflow.yamlfile import FlowError

ENGLISH = "en-GB"
# The call value holding the language a caller chose at the menu (absent: English); kept on the referral or enquiry.
CALL_LANGUAGE = "language"
# Twilio's language tags are BCP-47: a language and a region, "pl-PL"
# (https://www.twilio.com/docs/voice/twiml/say#language).
CODE = re.compile(r"^[a-z]{2,3}-[A-Z]{2}$")
OFFER_KEY = "language.offer"  # the offer, said in the language's own voice (not a key of any prompts file)
ENGLISH_OFFER_KEY = "language.english"  # its way back, said in English's voice (nor this)
# Said at a call's menu in another language to go back to English; the language's own words for English are in its
# prompts/words.<code>.yaml, under `choices: menu:` and its key, where its translator reviews them.
ENGLISH_WORDS = ("english", "in english")
FILE_KEYS = ("translation", "settings")  # a language file's own top-level keys besides the prompts


@dataclass(frozen=True)
class Language:
    """One language the line may offer at the main menu, as settings.yaml lists it."""

    code: str  # "pl-PL": the prompts file's name, the <Say> and <Gather> language
    key: str  # the menu key that chooses it
    offer: str  # "Po polsku, naciśnij 5.": said in its own words and voice at the menu
    voice: str  # a voice Twilio lists for this language
    speech: bool = True  # Twilio recognises speech in it; if not, its questions take keys only
    name: str = ""  # its name in English, as staff see it: "Polish"
    words: tuple[str, ...] = ()  # what a caller may say at the menu to choose it: "polski", "po polsku"
    english: str = ""  # "For English, press 5.": said in English's voice at the menu of a call in this language

    @property
    def english_key(self) -> str:
        """The prompt key of its way back to English, among English's prompts (the English offer)."""
        return f"{ENGLISH_OFFER_KEY}.{self.code}"


def offered_in(settings: dict, where: str) -> tuple[Language, ...]:
    """settings.yaml's `languages:`, checked: a code Twilio would take, a key, the offer and a voice for each."""
    languages = []
    for n, entry in enumerate(settings.get("languages") or []):
        if not isinstance(entry, dict):
            raise FlowError(f"{where}: languages: entry {n + 1} must be code, key, offer, voice, speech")
        code = str(entry.get("code", ""))
        if not CODE.match(code) or code == ENGLISH:
            raise FlowError(f"{where}: languages: '{code}' is not a language code such as pl-PL")
        key = str(entry.get("key", ""))
        if len(key) != 1 or not key.isdigit():
            raise FlowError(f"{where}: languages: {code} needs a key, one digit")
        if not str(entry.get("offer") or "").strip() or not str(entry.get("voice") or "").strip():
            raise FlowError(f"{where}: languages: {code} needs an offer (in its own words) and a voice")
        if not isinstance(entry.get("speech", True), bool):
            raise FlowError(f"{where}: languages: {code}: speech is true or false")
        words = tuple(w.strip().lower() for w in str(entry.get("words") or "").split(",") if w.strip())
        english = " ".join(str(entry.get("english") or f"For English, press {key}.").split())
        languages.append(Language(code, key, " ".join(str(entry["offer"]).split()), str(entry["voice"]).strip(),
                                  entry.get("speech", True), str(entry.get("name") or code), words, english))
    if len({language.key for language in languages}) != len(languages):
        raise FlowError(f"{where}: languages: two languages have the same key")
    return tuple(languages)


def _fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"(a stray { or })"}


def differences(english: dict[str, str], other: dict[str, str]) -> list[tuple[str, str]]:
    """How a language's prompts differ from English's in what must be the same: (key, what is wrong)."""
    found = [(key, "missing") for key in sorted(set(english) - set(other))]
    found += [(key, "extra: English has no such key") for key in sorted(set(other) - set(english))]
    for key in sorted(set(english) & set(other)):
        if (theirs := _fields(other[key])) != (ours := _fields(english[key])):
            found.append((key, f"placeholders {sorted(theirs)}, English has {sorted(ours)}"))
        elif english[key].count("|") != other[key].count("|"):
            found.append((key, f"{other[key].count('|')} pauses (|), English has {english[key].count('|')}"))
    return found


def reviewed(translation: Any) -> bool:
    """Whether a qualified translator has signed the file off (`translation: {reviewed: true}`)."""
    return isinstance(translation, dict) and translation.get("reviewed") is True


class EitherRisk:
    """The risk models a call in another language listens with: its own vocabulary first, then English's, since
    callers mix languages (and a name for a method or a service is often said in English)."""

    def __init__(self, *models: Any):
        self.models = [model for model in models if model is not None]

    def hear(self, text: str, *, yes_no: bool = False) -> Heard | None:
        """What the first model that hears something in the words hears."""
        for model in self.models:
            if (heard := model.hear(text, yes_no=yes_no)) is not None:
                return heard
        return None

    def to_check(self, text: str) -> list[str]:
        """The words to check that any of the models' lists has in the words, each once."""
        return list(dict.fromkeys(word for model in self.models for word in model.to_check(text)))
