"""A date's numbers said as words, as a recogniser may write them ("the fifth of November nineteen sixty", "twenty
fifth of December two thousand and four"), written as digits for the date reader ("5th", "1960"). Pure.

Only the words of a day and a year (and of a month said as an ordinal, "of the eleventh") are read, and only in a
date said with its month or an ordinal (ivr.callflow.answers): a date said digit by digit ("one four oh three ...")
is read as keys are, and is left alone here."""

from __future__ import annotations

UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
            "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
            "twentieth": 20, "thirtieth": 30}
CENTURIES = {"nineteen": 19, "twenty": 20}  # "nineteen seventy nine", "twenty oh four"
ZEROS = {"oh", "o", "zero", "nought"}


def as_digits(said: list[str]) -> list[str]:
    """The words with each day and year said in words as digits: "twenty", "fifth" -> "25th"; "nineteen", "seventy",
    "nine" -> "1979"; "two", "thousand", "and", "four" -> "2004"; "eighty", "five" -> "85". Other words unchanged."""
    out, at = [], 0
    while at < len(said):
        value, used = _number_at(said, at)
        out.append(value if used else said[at])
        at += used or 1
    return out


def _number_at(said: list[str], at: int) -> tuple[str, int]:
    """The number said from `at`, as digits, and how many words it took (0: none)."""
    word, after = said[at], said[at + 1:]
    following = after[0] if after else ""
    if word in TENS and ORDINALS.get(following, 10) < 10:
        return f"{TENS[word] + ORDINALS[following]}th", 2
    if word in ORDINALS:
        return f"{ORDINALS[word]}th", 1
    if word in CENTURIES and (year := _rest_of_year(after)):
        return str(CENTURIES[word] * 100 + year[0]), 1 + year[1]
    if word == "two" and following == "thousand":
        rest = after[2:] if after[1:2] == ["and"] else after[1:]
        tail = _tens_and_units(rest)
        return str(2000 + tail[0]), 2 + (after[1:2] == ["and"] and bool(tail[1])) + tail[1]
    number = _tens_and_units(said[at:])
    return (str(number[0]), number[1]) if number[1] else ("", 0)


def _rest_of_year(after: list[str]) -> tuple[int, int] | None:
    """The last two digits of a year said after its century ("seventy nine", "oh four", "hundred"), and the words."""
    first = after[0] if after else ""
    if first == "hundred":
        return 0, 1
    if first in ZEROS and len(after) > 1 and after[1] in UNITS:
        return UNITS[after[1]], 2
    if first in TEENS or first in TENS:
        return _tens_and_units(after)
    return None


def _tens_and_units(said: list[str]) -> tuple[int, int]:
    """A number from 1 to 99 said at the start of `said` ("eighty five", "fifteen", "seven"), and its words."""
    first = said[0] if said else ""
    if first in TENS:
        unit = UNITS.get(said[1], 0) if len(said) > 1 else 0
        return TENS[first] + unit, 1 + bool(unit)
    if first in TEENS:
        return TEENS[first], 1
    if first in UNITS:
        return UNITS[first], 1
    return 0, 0
