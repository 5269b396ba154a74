"""The text receipt's words (prompts/texts.yaml, and prompts/texts.<code>.yaml for a caller who chose another language
at the menu): loaded and filled in, and checked as a phone will carry them.

A text in GSM-7 characters goes as one message of up to 160 characters, or in parts of 153; a single character
outside GSM-7 (a curly quote, an en dash, a Polish ą) turns the whole text into UCS-2: one message of up to 70, or
parts of 67 (https://www.twilio.com/docs/glossary/what-sms-character-limit). English's is kept to GSM-7; another
language's may need UCS-2 (Polish letters), and is allowed more parts.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers

from ivr.callflow.flowbook import FlowError, read_yaml
from ivr.callflow.numbers import call_from

FILE = "texts.yaml"
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # sent as two characters each
ONE_TEXT, PART = 160, 153  # characters in a single text, and in each part of a longer one
UCS2_ONE_TEXT, UCS2_PART = 70, 67  # the same in UCS-2, counted in UTF-16 code units
MAX_PARTS = 2
MAX_UCS2_PARTS = 4  # another language's text in UCS-2: 268 characters, about as much as English's two
CRISIS_NUMBERS = ("emergency", "nhs_111", "samaritans")
# All a text may hold. Anything else a template names (a name, a date of birth, a practice) is refused.
FIELDS = {"service", "reference", "callback_working_days", "line_number", *CRISIS_NUMBERS}
TYPICAL_REFERENCE, TYPICAL_LINE = "IPT-482913", "+441332000000"


class TextProblem(ValueError):
    """The text template cannot be used; the message says why."""


@dataclass(frozen=True)
class TextTemplate:
    """The receipt's wording and the service facts it is filled in from."""

    receipt: str
    discreet_service: str
    settings: dict[str, Any] = field(default_factory=dict)
    language: str | None = None  # another language's (texts.pl-PL.yaml), which may need UCS-2; None: English

    @property
    def call_from(self) -> str:
        """The number we call callers from (settings.yaml `numbers: team`), in E.164: the text names it and is sent
        from it, as the goodbye says and Call now shows."""
        return call_from(self.settings) or ""

    def fill(self, reference: str, line_number: str, name_the_service: bool) -> str:
        """The text for one referral; the service is named only where the caller agreed to a voicemail naming it."""
        numbers = self.settings.get("numbers") or {}
        service = str(self.settings.get("service_name", "")) if name_the_service else self.discreet_service
        return self.receipt.format_map({
            "service": service or self.discreet_service,
            "reference": reference,
            "callback_working_days": self.settings.get("callback_working_days", ""),
            "line_number": written_number(line_number),
            **{name: str(numbers.get(name, "")) for name in CRISIS_NUMBERS},
        })


def written_number(e164: str) -> str:
    """A number as people write it: '01332 000000' for a UK number, '+1 202-555-0100' otherwise."""
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, style.NATIONAL if number.country_code == 44 else style.INTERNATIONAL)


def fields(text: str) -> set[str]:
    """The {names} a template fills in."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:
        raise TextProblem(f"'receipt' cannot be filled in: {error}") from None


def file_for(language: str | None = None) -> str:
    """texts.yaml, or another language's texts.pl-PL.yaml."""
    return f"texts.{language}.yaml" if language else FILE


def load(prompts_dir: str | Path, language: str | None = None) -> TextTemplate | None:
    """The template in prompts/texts.yaml (or a language's own), checked; None when there is no such file (for
    English: no texts are offered; for another language: its callers get English's)."""
    directory = Path(prompts_dir)
    name = file_for(language)  # as errors name it
    if not (directory / name).exists():
        return None
    data = read_yaml(directory / name)
    receipt = data.get("receipt")
    if not isinstance(receipt, str) or not receipt.strip():
        raise FlowError(f"{name}: 'receipt' (the text's words) is missing")
    try:
        unknown = fields(receipt) - FIELDS
    except TextProblem as problem:
        raise FlowError(f"{name}: {problem}") from None
    if unknown:
        raise FlowError(
            f"{name}: 'receipt' names {', '.join('{' + f + '}' for f in sorted(unknown))}, which a text may not "
            f"hold: nothing personal (name, date of birth, practice) goes in a text. It may name "
            f"{', '.join('{' + f + '}' for f in sorted(FIELDS))}.")
    settings = read_yaml(directory / "settings.yaml")
    return TextTemplate(receipt.strip(), str(data.get("discreet_service") or "NHS"), settings, language)


def length(text: str) -> int | None:
    """How many GSM-7 characters the text takes, or None when it holds a character outside GSM-7."""
    if not set(text) <= GSM7 | GSM7_EXTENDED:
        return None
    return sum(2 if char in GSM7_EXTENDED else 1 for char in text)


def parts(characters: int) -> int:
    """How many texts a GSM-7 text of this many characters goes as."""
    return 1 if characters <= ONE_TEXT else math.ceil(characters / PART)


def ucs2_parts(text: str) -> int:
    """How many texts a text in UCS-2 goes as: 70 characters in one, 67 a part when longer (UTF-16 code units:
    an emoji takes two)."""
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= UCS2_ONE_TEXT else math.ceil(units / UCS2_PART)


def segments(text: str) -> tuple[str, int]:
    """The encoding a text goes in ("GSM-7" or "UCS-2") and how many texts it takes."""
    characters = length(text)
    return ("GSM-7", parts(characters)) if characters is not None else ("UCS-2", ucs2_parts(text))


def check(template: TextTemplate, line_number: str = TYPICAL_LINE) -> list[str]:
    """What is wrong with the text as a caller would get it, named or discreet; [] when it is fine."""
    problems = []
    service_name = str(template.settings.get("service_name", ""))
    for named in (True, False):
        which = "the text" if named else "the text without the service's name"
        text = template.fill(TYPICAL_REFERENCE, line_number, name_the_service=named)
        characters = length(text)
        if characters is None and template.language:  # Polish letters: UCS-2, 70 in one text, 67 a part
            if (count := ucs2_parts(text)) > MAX_UCS2_PARTS:
                problems.append(f"{which} is {len(text)} characters in UCS-2, {count} texts (at most "
                                f"{MAX_UCS2_PARTS}: {UCS2_PART * MAX_UCS2_PARTS} characters)")
        elif characters is None:
            odd = "".join(sorted(set(text) - GSM7 - GSM7_EXTENDED))
            problems.append(f"{which} has characters outside GSM-7 (“{odd}”): each part would hold only 70")
        elif parts(characters) > MAX_PARTS:
            problems.append(f"{which} is {characters} characters, {parts(characters)} texts "
                            f"(at most {MAX_PARTS}: {PART * MAX_PARTS} characters)")
        numbers = template.settings.get("numbers") or {}
        missing = [str(numbers.get(name)) for name in CRISIS_NUMBERS if str(numbers.get(name, "")) not in text]
        if TYPICAL_REFERENCE not in text or missing:
            problems.append(f"{which} must give the reference and the crisis numbers"
                            + (f" (missing: {', '.join(missing)})" if missing else ""))
        if not named and service_name and (service_name in text or "Talking Therapies" in text):
            problems.append(f"{which} still names the service: a shared phone must not show it")
    return problems
