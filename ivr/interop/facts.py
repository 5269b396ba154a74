"""What the exports say about a referral beyond its own columns: the one place to add what the call learns next.

Both exports (the FHIR Bundle and the data set's CSV) read a referral through `of()`. The line asks for an
interpreter (and hears its language) at the main menu and the communication question (issue 24); the caller may key
their NHS number, or staff find it on PDS after the call (issue 25, items 3 and 4); the line asks Derbyshire's
priority question (item 5). When a column arrives, set its field here, from the column by name, and both exports
carry it: the tests in tests/interop say where it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivr.models import Referral


@dataclass(frozen=True)
class Facts:
    """What a referral tells the patient record system, besides its answers; None is not known."""

    nhs_number: str | None = None  # ten digits: keyed on the call or found on PDS, not yet verified by staff
    interpreter_required: bool | None = None
    interpreter_language: str | None = None  # a BCP 47 code ("pl", "ur", "bfi" for British Sign Language)
    ex_forces: bool | None = None  # served in the UK armed forces
    pregnant_or_baby_under_one: bool | None = None

    @property
    def priority_flags(self) -> tuple[str, ...]:
        """Derbyshire's local priorities this person meets (issue 25): veterans, pregnancy or a baby under one."""
        return tuple(name for name, flag in (("ex_forces", self.ex_forces),
                                             ("pregnant_or_baby_under_one", self.pregnant_or_baby_under_one)) if flag)


# The BCP 47 (ISO 639-1 where there is one) code of each interpreter language in prompts/settings.yaml, by the
# name the line keeps (its first name there). A language added there without a code here is exported as an
# interpreter needed, language not coded: staff still read its name on the record.
LANGUAGE_CODES = {
    "Polish": "pl", "Urdu": "ur", "Punjabi": "pa", "Romanian": "ro", "Slovak": "sk", "Czech": "cs", "Arabic": "ar",
    "Kurdish": "ku", "Farsi": "fa", "Bengali": "bn", "Gujarati": "gu", "Lithuanian": "lt", "Portuguese": "pt",
    "Tigrinya": "ti",
}


def of(referral: Referral) -> Facts:
    """The facts a referral holds. Add each new column here, by name."""
    return Facts(nhs_number=referral.nhs_number, interpreter_required=referral.interpreter,
                 interpreter_language=LANGUAGE_CODES.get(referral.interpreter_language or "") or spoken(referral),
                 ex_forces=referral.ex_forces, pregnant_or_baby_under_one=referral.pregnant_or_baby_under_one)


def spoken(referral: Referral) -> str | None:
    """The language the caller chose at the menu, as a BCP 47 language ("pl-PL" -> "pl"), when no interpreter's
    language was said: they took the call in it, so it is the language to book one in. None for English."""
    language = (referral.language or "").split("-")[0]
    return language if language and language != "en" else None
