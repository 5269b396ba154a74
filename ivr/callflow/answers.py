"""Read what a caller keyed or said into an answer, or a reason to ask again. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from ivr.callflow import keypad, spoken_dates
from ivr.callflow.hearing import ENGLISH_ONLY, Hearing, fold
from ivr.callflow.numbers import (  # noqa: F401 (is_uk_mobile, say_number: read from here too)
    is_uk_mobile,
    said_back,
    say_number,
    spoken_digits,
    uk_number,
    unusual_uk_number,
)
from ivr.callflow.phrasing import is_a_sentence, name_said, yes_no_said
from ivr.callflow.saying import ENGLISH, Saying
from ivr.callflow.saying import MONTHS as MONTH_NAMES
from ivr.clock import age_on

if TYPE_CHECKING:
    from ivr.callflow.office_hours import OfficeHours

MONTHS = [month.lower() for month in MONTH_NAMES]  # a month said in a date, as words() reads it
SPOKEN_DIGITS = {
    "oh": "0", "o": "0", "zero": "0", "nought": "0", "one": "1", "two": "2", "to": "2", "too": "2",
    "three": "3", "four": "4", "for": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9",
}
OLDEST_PLAUSIBLE_AGE = 120
# The number a caller is ringing from, in their words: "same number", "this one", "the one I'm calling from".
SAME_NUMBER = re.compile(
    r"\b(?:same|this|that|my own)\s+(?:number|one|phone|mobile)\b|\bsame\s+as\b|\bsame\s+one\b|"
    r"\b(?:i'?m|i\s+am|i've|im)\s+(?:ringing|calling|phoning|rung|called|on)\b|\b(?:ringing|calling|phoning)\s+"
    r"(?:you\s+)?(?:on|from|with)\b|\bcaller\s+id\b"
)
# ... but not "I'm calling from a friend's phone", "not this number": that is another number, to be given.
NOT_SAME = re.compile(r"\b(?:not|isn'?t|friend'?s?|someone|somebody|another|different|other|work|borrowed)\b")
SHORTEST_NUMBER = 9  # fewer digits than any UK number (without its 0): no number given
# A day, a month or a year: a longer number said is no date (and a huge one would overflow `date`).
LONGEST_DATE_NUMBER = 4
# A town with more practices than this is not read out: the caller is asked for the practice's name.
TOWN_AT_MOST = 9


@dataclass(frozen=True)
class Event:
    """What Twilio told us the caller did: keyed digits, speech, a recording, or nothing."""

    kind: str  # start | digits | speech | recording | dial | no_input | resume
    text: str = ""
    recording: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """An understood answer: an outcome to branch on, a value to keep and how to say it back."""

    value: Any
    spoken: str = ""
    outcome: str = "ok"
    also: dict[str, Any] = field(default_factory=dict)  # other values the answer gives (a language named in it)


@dataclass(frozen=True)
class Retry:
    """Not understood; `reason` picks the re-prompt (e.g. 'future' for a date not yet come)."""

    reason: str = "no_match"


class PracticeMatcher(Protocol):
    """Anything that can turn a spoken practice into candidates (see ivr.directory.store)."""

    def match(self, text: str) -> list[dict[str, str]]: ...

    def town(self, text: str) -> tuple[str, list[dict[str, str]]]: ...

    def hints(self) -> str: ...

    def keyed(self, keys: str) -> list[dict[str, str]]: ...


@dataclass(frozen=True)
class Context:
    """What answers may depend on besides the caller: today's date, the practice directory, whether texts can go."""

    today: date
    practices: PracticeMatcher | None = None
    texts: bool = False  # the line can send a text receipt (a Twilio account and the line's number are set)
    now: datetime | None = None  # this turn's moment, for decisions by the clock (office hours)
    office_hours: OfficeHours | None = None
    caller_number: str | None = None  # the number the caller is ringing from (E.164), when it shows
    languages: dict[str, str] = field(default_factory=dict)  # interpreter languages: each word for one -> its name
    # The call's language: the words heard in it besides English's, and how values are said back in it.
    hearing: Hearing = ENGLISH_ONLY
    saying: Saying = ENGLISH


def words(text: str) -> list[str]:
    """Lower-case words of a transcript, without punctuation or accents ("zgadza się" -> zgadza, sie)."""
    return re.findall(r"[a-z0-9']+", fold(text))


def digits_in(event: Event, hearing: Hearing = ENGLISH_ONLY) -> str:
    """The digits a caller keyed, or said ("oh seven seven double oh ..."): the longest run of them said together,
    so that "call me on 07700 900123" is not read with its "to" as a 2. `hearing`: the call's language's digit
    words too ("dwa")."""
    if event.kind == "digits":
        return re.sub(r"\D", "", event.text)
    runs, run, double = [], [], 0
    for word in [*words(event.text.replace("-", " ")), ""]:
        if word in {"double", "treble", "triple"}:
            double = 2 if word == "double" else 3
            continue
        digit = SPOKEN_DIGITS.get(word, hearing.digits.get(word, word if word.isdigit() else None))
        if digit is None:  # a word that is no number ends a run
            runs.append("".join(run))
            run, double = [], 0
            continue
        run.append(digit * (double if double and len(digit) == 1 else 1))
        double = 0
    return max(runs, key=len)


def yes_no(event: Event, ctx: Context) -> Answer | Retry:
    """1 or 'yes' is yes; 2 or 'no' is no; "not sure" or "maybe" is unsure (never no)."""
    if event.kind == "digits":
        return {"1": Answer(True, outcome="yes"), "2": Answer(False, outcome="no")}.get(
            event.text, Retry()
        )
    said = yes_no_said(event.text, ctx.hearing)
    if said is None:
        return Retry()
    return Answer({"yes": True, "no": False}.get(said), outcome=said)


def date_of_birth(event: Event, ctx: Context) -> Answer | Retry:
    """Eight digits DDMMYYYY or six DDMMYY, or a spoken date ("the 14th of March 1988")."""
    found = _spoken_date(event.text, ctx.hearing) if event.kind == "speech" else None
    if isinstance(found, Retry):
        return found
    if found is None:
        digits = digits_in(event, ctx.hearing)
        if len(digits) not in (6, 8):
            return Retry("eight_digits")
        found = (int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    day, month, year = found
    if year < 100:  # "88": the most recent such year that has already come
        year += ctx.today.year // 100 * 100
        year -= 100 if (year, month, day) > (ctx.today.year, ctx.today.month, ctx.today.day) else 0
    try:
        born = date(year, month, day)
    except (ValueError, OverflowError):
        return Retry("impossible")
    if born > ctx.today:
        return Retry("future")
    if age_on(born, ctx.today) > OLDEST_PLAUSIBLE_AGE:
        return Retry("impossible")
    return Answer(born.isoformat(), spoken=ctx.saying.date(born))


def _spoken_date(text: str, hearing: Hearing) -> tuple[int, int, int] | Retry | None:
    said = words(text.replace("/", " ").replace(".", " "))
    month = next((MONTHS.index(w) + 1 if w in MONTHS else hearing.months[w] for w in said
                  if w in MONTHS or w in hearing.months), None)
    # Its day and year perhaps in words ("the fifth of November nineteen sixty"), or its month as a number said as
    # an ordinal ("the second of the eleventh nineteen eighty")
    if month or not spoken_dates.ORDINALS.keys().isdisjoint(said):
        said = spoken_dates.as_digits(said)
    spoken = [re.sub(r"(st|nd|rd|th)$", "", w) for w in said if re.fullmatch(r"\d+(st|nd|rd|th)?", w)]
    if not (month and len(spoken) == 2 or month is None and len(spoken) == 3):
        return None  # not a day, month and year: perhaps the eight digits, read by the caller's keys' rule
    if any(len(number) > LONGEST_DATE_NUMBER for number in spoken):
        return Retry("impossible")
    numbers = [int(number) for number in spoken]
    return (numbers[0], month, numbers[1]) if month else (numbers[0], numbers[1], numbers[2])


def callback_number(event: Event, ctx: Context) -> Answer | Retry:
    """A UK mobile or landline number, keyed or said; an unusual one (see above) to be confirmed; "the same
    number", "the one I'm ringing on": the number they are calling from."""
    digits = digits_in(event, ctx.hearing)
    said = event.text.lower().replace("\u2019", "'") if event.kind == "speech" else ""
    if len(digits) < SHORTEST_NUMBER and SAME_NUMBER.search(said) and not NOT_SAME.search(said):
        if ctx.caller_number is None:
            return Retry("not_showing")
        return Answer(ctx.caller_number, spoken=ctx.saying.number(ctx.caller_number))
    if not digits:
        return Retry()
    number = uk_number(digits)
    if number is not None:
        return Answer(number, spoken=ctx.saying.number(number))
    unusual = unusual_uk_number(digits)
    if unusual is None:
        return Retry("not_uk_number")
    return Answer(unusual, spoken=ctx.saying.unusual_number(unusual), outcome="unusual")


NAME_WORDS_AT_MOST = 6  # "Maria del Carmen Garcia Lopez" is 5; more is a sentence ("I don't know what to do ...")


def spoken_name(event: Event, ctx: Context) -> Answer | Retry:
    """A name, said aloud; a key pressed instead asks to record it (outcome 'keyed')."""
    if event.kind == "digits":
        return Answer(None, outcome="keyed")
    if event.kind != "speech":
        return Retry("say_it")
    name = name_said(event.text)
    if not name or len(name.split()) > NAME_WORDS_AT_MOST or is_a_sentence(event.text, name):
        return Retry()  # a sentence is no name: asked again, help offered
    return Answer(name, spoken=name)


def spoken_text(event: Event, ctx: Context) -> Answer | Retry:
    """Anything said, kept as the recogniser heard it (what help a caller needs to talk with us)."""
    if event.kind != "speech":
        return Retry("say_it")
    return Answer(event.text.strip())


# A key for each common need, for a caller who cannot say it (the flow says what each keeps for staff).
NEEDS_BY_KEY = {"1": "interpreter", "2": "bsl", "3": "text_relay", "4": "other"}


def communication_needs(event: Event, ctx: Context) -> Answer | Retry:
    """What help a caller needs to talk with us: said (kept as the recogniser heard it), or a key for a common
    need (its outcome: interpreter, bsl, text_relay, other)."""
    if event.kind == "digits":
        need = NEEDS_BY_KEY.get(event.text)
        return Answer(None, outcome=need) if need else Retry("keys")
    return spoken_text(event, ctx)


def reference(event: Event, ctx: Context) -> Answer | Retry:
    """A six-digit referral reference, keyed or said ('IPT 482 913')."""
    digits = digits_in(event, ctx.hearing)
    if len(digits) != 6:
        return Retry("six_digits")
    return Answer(f"IPT-{digits}", spoken=ctx.saying.reference(digits))


def practice(event: Event, ctx: Context) -> Answer | Retry:
    """A GP practice named by the caller, or the first letters of its name keyed: one candidate, several to choose
    from, or none."""
    if ctx.practices is not None and event.kind == "digits" and keypad.could_spell(event.text):
        return _keyed_practice(event.text, ctx.practices, ctx.saying)
    if event.kind != "speech" or ctx.practices is None:
        return Retry("say_it")
    candidates = ctx.practices.match(event.text)
    if len(candidates) == 1:
        only = candidates[0]
        return Answer(only, spoken=ctx.saying.practice(only), outcome="one")
    town, in_town = ctx.practices.town(event.text)  # a town alone: judged by the directory's practices
    if len(in_town) > TOWN_AT_MOST:
        return Retry("big_town")
    offered = {c["ods_code"] for c in candidates[:3]}
    if len(in_town) > 1 and not {c["ods_code"] for c in in_town} <= offered:  # else they are all offered below
        return Answer(in_town, spoken=town, outcome="town")
    if not candidates:
        return Retry()
    return Answer(candidates[:3], outcome="several")


def _keyed_practice(keys: str, practices: PracticeMatcher, saying: Saying) -> Answer | Retry:
    """The practices whose names start with the letters keyed: one to confirm, a few to choose from (outcome
    'keyed'), or too many (key more letters) or none."""
    found = practices.keyed(keys)
    if not found:
        return Retry("not_keyed")
    if len(found) > TOWN_AT_MOST:
        return Retry("more_letters")
    if len(found) == 1:
        return Answer(found[0], spoken=saying.practice(found[0]), outcome="one")
    return Answer(found, outcome="keyed")
