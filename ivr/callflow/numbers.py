"""Phone numbers and references as a caller hears them, and which UK numbers we can ring back. Pure."""

from __future__ import annotations

import phonenumbers


def spoken_digits(number: str, groups: list[int] | None = None, zero: str = "oh") -> str:
    """Digits as they should be read out: in groups, with 0 said as 'oh' ("oh 8 oh oh, ..."), or as `zero` says in
    another language (ivr.callflow.saying)."""
    chunks = number.split() if groups is None else _split(number, groups)
    return ", ".join(" ".join(zero if d == "0" else d for d in chunk) for chunk in chunks)


def _split(number: str, groups: list[int]) -> list[str]:
    chunks, at = [], 0
    for size in groups:
        if at < len(number):
            chunks.append(number[at:at + size])
        at += size
    if at < len(number):
        chunks.append(number[at:])
    return chunks


CALL_FROM = "team"  # the key in settings.yaml's `numbers:` of the number we call callers from
UK_LINE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def uk_number(raw: str) -> str | None:
    """A UK mobile or landline number in E.164 form, or None if it is not one."""
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number_for_region(number, "GB"):
        return None
    if phonenumbers.number_type(number) not in UK_LINE_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def dialable(raw: str) -> str | None:
    """Any valid number as written in settings.yaml ('0300 123 0542'), in E.164; None if it is not one."""
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if (
        phonenumbers.is_valid_number(number)) else None


def call_from(settings: dict) -> str | None:
    """The one number we call callers from (settings.yaml `numbers: team`), in E.164: the goodbye says it, the text
    receipt names it and is sent from it, and Call now shows it to the caller. None if it is not a number."""
    return dialable(str((settings.get("numbers") or {}).get(CALL_FROM, "")))


def is_callable_uk(e164: str | None) -> bool:
    """True for a valid UK mobile or landline number written in E.164: what Call now may ring. Never premium-rate
    (09), directory enquiries (118), shared-cost or personal numbers, nor a range phonenumbers does not know."""
    return bool(e164) and e164.startswith("+44") and uk_number(e164) == e164


def is_uk_mobile(e164: str | None) -> bool:
    """True for a UK mobile number (one a text can be sent to), False for a landline or anything else."""
    try:
        number = phonenumbers.parse(e164 or "", "GB")
    except phonenumbers.NumberParseException:
        return False
    return number.country_code == 44 and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


def say_number(e164: str, zero: str = "oh") -> str:
    """A UK number read back in short groups: 'oh 7 4 oh oh, 1 2 3, 4 5 6'."""
    national = phonenumbers.format_number(
        phonenumbers.parse(e164, "GB"), phonenumbers.PhoneNumberFormat.NATIONAL
    )
    # "07400 123456" is easier to follow as "07400, 123, 456".
    first, *rest = national.split()
    groups = [first] + [group for part in rest for group in (_threes(part) if len(part) > 4 else [part])]
    return spoken_digits(" ".join(groups), zero=zero)


def _threes(digits: str) -> list[str]:
    return [digits[i:i + 3] for i in range(0, len(digits), 3)]


def unusual_uk_number(raw: str) -> str | None:
    """A UK number that could exist but that phonenumbers does not know as valid (a new range, or a slip),
    in E.164; None for anything else. The caller hears it read back and keeps it only if they confirm it."""
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None
    national = str(number.national_number)
    if number.country_code != 44 or phonenumbers.is_valid_number(number) or len(national) not in (9, 10):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if (
        phonenumbers.is_possible_number(number)) else None


def said_back(e164: str, zero: str = "oh") -> str:
    """Any UK number read back in short groups, whether or not phonenumbers knows it: '07700 900 123'."""
    national = "0" + e164.removeprefix("+44")
    return spoken_digits(" ".join([national[:5], *_threes(national[5:])]), zero=zero)
