"""Every sentence the line speaks, looked up by key from prompts/, with the service's facts."""

from __future__ import annotations

import logging
import re
import string
from pathlib import Path
from typing import Any

from ivr.callflow import hearing, office_hours
from ivr.callflow.flowbook import FlowBook, prompt_keys
from ivr.callflow.hearing import fold
from ivr.callflow.languages import ENGLISH, FILE_KEYS, Language, offered_in, reviewed
from ivr.callflow.numbers import CALL_FROM, dialable
from ivr.callflow.saying import ENGLISH as ENGLISH_SAYING
from ivr.callflow.saying import saying_for
from ivr.callflow.vocabulary import nearest, unknown
from ivr.callflow.yamlfile import FlowError, label, read_yaml

log = logging.getLogger(__name__)
# A lone | in a prompt is a second's silence (<Pause>), between numbers said slowly.
PAUSE, PAUSE_SECONDS = "|", 1


class _Blank(dict):
    """Values for str.format_map: a missing one is left out and logged, never an error on a call."""

    def __missing__(self, key: str) -> str:
        log.warning("prompt value '%s' is missing", key)
        return ""


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = " ".join(str(value).split())
    return flat


def _speech(settings: dict) -> tuple[str | None, str]:
    """speech_model (None: Twilio chooses) and speech_timeout for <Gather>, as Twilio accepts them.

    With a speechModel, speechTimeout must be a whole number of seconds: 'auto' then draws Twilio's
    warning 13335 (https://www.twilio.com/docs/api/errors/13335).
    """
    model = str(settings.get("speech_model") or "").strip() or None
    timeout = str(settings.get("speech_timeout", "auto")).strip()
    if not (timeout == "auto" or (timeout.isdigit() and int(timeout) > 0)):
        raise FlowError(f"settings.yaml: speech_timeout is 'auto' or a whole number of seconds, not '{timeout}'")
    if model and timeout == "auto":
        raise FlowError(f"settings.yaml: with speech_model '{model}', speech_timeout must be a whole number of "
                        "seconds (Twilio warns 13335 about 'auto' with a model)")
    return model, timeout


def _entries(settings: dict, where: str) -> list[list[str]]:
    """settings.yaml's `interpreter_languages` ("Farsi, Persian": a language's name, then other words callers may use
    for it), each entry as its words."""
    found = []
    for entry in settings.get("interpreter_languages") or []:
        names = [name.strip() for name in str(entry).split(",") if name.strip()]
        if not names or any(len(name.split()) != 1 for name in names):
            raise FlowError(f"{where}: interpreter_languages: '{entry}' must be one word, or words separated by commas")
        found.append(names)
    return found


def _languages(settings: dict, where: str) -> dict[str, str]:
    """The interpreter languages as each word for one, in lower case (and without accents, as answers.words() reads
    them), -> the name said back in English and shown to staff."""
    return {fold(name): names[0] for names in _entries(settings, where) for name in names}


# An interpreting provider's access code, as Twilio's SendDigits takes it: digits, A to D, * and #, w or W to wait
# (https://www.twilio.com/docs/api/errors/21206).
ACCESS_CODE = re.compile(r"^[0-9ABCD*#wW]{1,32}$")


def _interpreting(settings: dict, where: str) -> tuple[str, str] | None:
    """settings.yaml's `interpreting:` provider as (its number in E.164, the access code), None when neither is set;
    one without the other, or either unusable, is refused at start-up."""
    found = settings.get("interpreting") or {}
    raw_number = str(found.get("provider_number") or "").strip()
    code = str(found.get("access_code") or "").strip()
    if not (raw_number or code):
        return None
    number = dialable(raw_number)
    if number is None or not ACCESS_CODE.match(code):
        raise FlowError(f"{where}: interpreting: provider_number must be a phone number that can be dialled and "
                        "access_code the keys to press (digits, * and #; w waits), both or neither")
    return number, code


class Prompts:
    """The prompt texts (prompts/en-GB.yaml, or another language's) and service settings (prompts/settings.yaml)."""

    def __init__(self, directory: str | Path, language: Language | None = None):
        directory = Path(directory)
        code = language.code if language else ENGLISH
        self.file = label(directory / f"{code}.yaml")  # as errors name it: "prompts/en-GB.yaml"
        self.settings_file = label(directory / "settings.yaml")
        self.settings = read_yaml(directory / "settings.yaml")
        words = read_yaml(directory / f"{code}.yaml")
        # Another language's file: its translator's sign-off, and its words for the settings that are spoken.
        own = {key: words.pop(key, None) for key in FILE_KEYS} if language else {}
        self.translation = own.get("translation")
        self.texts = _flatten(words)
        spoken = own.get("settings") if isinstance(own.get("settings"), dict) else {}
        # What callers say for an interpreter's language: English's words, and the language's own (callers mix them);
        # the language's own name for each is the second word of its entry ("Polish, polski, ...": "polski").
        self.languages = _languages(self.settings, self.settings_file)
        own_names = {entry[0]: entry[1] for entry in _entries(spoken, self.file) if len(entry) > 1}
        self.languages.update(_languages(spoken, self.file))
        # How this language says the values the code builds (digits, dates, hours): ivr.callflow.saying.
        self.saying = saying_for(code, own_names) if language else ENGLISH_SAYING
        self.hearing = hearing.load(directory, code) if language else hearing.ENGLISH_ONLY
        numbers = self.settings.get("numbers", {})
        self.facts = {k: v for k, v in self.settings.items() if not isinstance(v, dict)}
        self.facts.update(numbers)
        self.facts.update({k: self.saying.digits(str(v)) for k, v in numbers.items()})
        self.office_hours = office_hours.from_settings(self.settings)
        if self.office_hours is not None:
            self.facts["opening_hours"] = self.saying.hours(self.office_hours)  # "Monday to Friday, 9 am to 5 pm"
        self.facts.update({k: " ".join(str(v).split()) for k, v in spoken.items() if not isinstance(v, dict | list)})
        self.offered = offered_in(self.settings, self.settings_file)  # the other languages the menu offers
        self.code = code
        self.voice = language.voice if language else self.settings.get("voice", "Polly.Amy-Neural")
        self.language = code if language else self.settings.get("language", ENGLISH)
        # A language Twilio cannot recognise speech in: its questions take keys only (and its file says "press").
        self.keys_only = bool(language and not language.speech)
        self.speech_model, self.speech_timeout = _speech(self.settings)
        self.interpreting = _interpreting(self.settings, self.settings_file)  # the provider conferenced in, if any

    @property
    def reviewed(self) -> bool:
        """English, or a language whose file a qualified translator has signed off."""
        return self.code == ENGLISH or reviewed(self.translation)

    def dial_number(self, name: str) -> str:
        """A number from settings.yaml's `numbers:` in E.164, for <Dial>: '0800 028 0077' -> '+448000280077'."""
        number = dialable(str(self.settings.get("numbers", {}).get(name, "")))
        if number is None:
            raise FlowError(f"{self.settings_file}: numbers.{name} is not a phone number that can be dialled")
        return number

    @property
    def call_from(self) -> str:
        """The one number we call callers from, in E.164 (see numbers.call_from); checked at start-up."""
        return self.dial_number(CALL_FROM)

    def has(self, key: str) -> bool:
        return key in self.texts

    def text(self, keys: tuple[str, ...], values: dict[str, Any] | None = None) -> str:
        """The first of the keys that exists, filled in; '' where the last choice is ''."""
        for key in keys:
            if key == "":
                return ""
            if key in self.texts:
                return self.texts[key].format_map(_Blank({**self.facts, **(values or {})}))
        raise KeyError(f"no prompt for any of {', '.join(keys)}")

    def check(self, book: FlowBook) -> None:
        """Fail fast if a step has no prompt to say, or a prompt names an unknown fact."""
        numbers = self.settings.get("numbers") or {}
        for step in book.steps.values():
            for key in prompt_keys(step):
                if key not in self.texts:
                    raise FlowError(f"{book.where(step.name)}: {self.file} has no prompt '{key}'"
                                    f"{nearest(key, self.texts)}")
            if step.dial and step.dial not in numbers:
                raise FlowError(f"{book.where(step.name)}: {unknown('number to dial', step.dial, numbers)}")
            if step.dial:
                self.dial_number(step.dial)
        self.dial_number(CALL_FROM)  # the goodbye, the text receipt and Call now all use it
        for key in ("common.no_match", "common.no_input", "common.keys_help", "common.sorry"):
            if key not in self.texts:
                raise FlowError(f"{self.file}: prompt '{key}' is missing")
        for key, text in self.texts.items():
            try:
                list(string.Formatter().parse(text))
            except ValueError as error:
                raise FlowError(f"{self.file}: prompt '{key}': {error}") from None
