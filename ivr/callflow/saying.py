"""How the line says what it builds itself (digits, a date of birth, a practice, its opening hours, a language's name)
in the call's language: English's words for English, and no English word for another language. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import TYPE_CHECKING

from ivr.callflow.numbers import said_back, say_number, spoken_digits

if TYPE_CHECKING:
    from ivr.callflow.office_hours import OfficeHours

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass(frozen=True)
class Saying:
    """One language's way of saying the values the code fills into prompts ({date_of_birth_spoken} and the like)."""

    # 0 in a number read digit by digit. English says "oh". Another language's voice is sent the digit itself: each
    # digit, set apart by spaces, is a number, and Twilio's <Say> reads text in the voice's language
    # (https://www.twilio.com/docs/voice/twiml/say#language); Amazon Polly reads a number as a cardinal in the
    # voice's language (https://docs.aws.amazon.com/polly/latest/dg/say-as-tag.html), so Polly.Ewa says "zero",
    # "siedem", "cztery". Digits are what prompts/pl-PL.yaml writes too ("0800 ..." as "0 8 0 0, ...").
    zero: str = "0"
    months: tuple[str, ...] = ()  # a date's month as it is said in a date: "marca" in "14 marca 1988"
    practice_in: str = "{name}, {place}"  # a practice read back: place names are not declined
    # Opening hours: a run of days, one day, and a time ("od poniedziałku do piątku, od 9:00 do 17:00").
    days_from: tuple[str, ...] = ()  # the first day of a run, as "from" takes it ("od poniedziałku")
    days_to: tuple[str, ...] = ()  # the last day of a run ("do piątku")
    days_on: tuple[str, ...] = ()  # a day alone ("w sobotę")
    run: str = "{first} - {last}, {opens} - {closes}"
    day: str = "{day}, {opens} - {closes}"
    languages: dict[str, str] = field(default_factory=dict)  # an interpreter language's name -> as it is said
    articles: bool = False  # English's "a Polish", "an Urdu" (interpreter)

    def digits(self, number: str, groups: list[int] | None = None) -> str:
        """Digits read out in groups ("0 8 0 0, 0 2 8"; English: "oh 8 oh oh, oh 2 8")."""
        return spoken_digits(number, groups, zero=self.zero)

    def number(self, e164: str) -> str:
        """A UK number read back in short groups."""
        return say_number(e164, zero=self.zero)

    def unusual_number(self, e164: str) -> str:
        """A UK number phonenumbers does not know, read back in short groups."""
        return said_back(e164, zero=self.zero)

    def reference(self, digits: str) -> str:
        """A referral's six digits, in two threes (the "IPT-" is never read out)."""
        return self.digits(digits, [3, 3])

    def date(self, day: date) -> str:
        """'14 marca 1988' (English: '14 March 1988'); '14.03.1988' in a language without its months here."""
        if not self.months:
            return f"{day.day}.{day.month:02d}.{day.year}"
        return f"{day.day} {self.months[day.month - 1]} {day.year}"

    def practice(self, candidate: dict) -> str:
        """A practice read back with its place: 'Park Surgery in Heanor' (Polish: 'Park Surgery, Heanor')."""
        return self.practice_in.format(name=candidate["name"], place=candidate["place"])

    def hours(self, office_hours: OfficeHours) -> str:
        """The opening hours: 'od poniedziałku do piątku, od 9:00 do 17:00' (English: OfficeHours.spoken())."""
        if not self.days_on:
            return office_hours.spoken()
        return "; ".join(
            self.run.format(first=self.days_from[first], last=self.days_to[last], opens=_clock(opens),
                            closes=_clock(closes)) if last > first else
            self.day.format(day=self.days_on[first], opens=_clock(opens), closes=_clock(closes))
            for first, last, (opens, closes) in office_hours.runs())

    def language(self, name: str) -> str:
        """An interpreter language said back: English 'a Polish', 'an Urdu'; another language its own name for it."""
        if not self.articles:
            return self.languages.get(name, name)
        return f"{'an' if name[:1].upper() in 'AEIOU' else 'a'} {name}"


def _clock(moment: time) -> str:
    """'9:00', '16:30': a time as most languages other than English write it, on the 24-hour clock."""
    return f"{moment.hour}:{moment.minute:02d}"


ENGLISH = Saying(zero="oh", months=MONTHS, practice_in="{name} in {place}", articles=True)
# Polish (pl-PL): NOT REVIEWED by a translator, like prompts/pl-PL.yaml. Months in the genitive, as a date is said;
# days after "od" and "do" in the genitive, a day alone after "w" in the accusative; times on the 24-hour clock.
POLISH = Saying(
    months=("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
            "października", "listopada", "grudnia"),
    days_from=("poniedziałku", "wtorku", "środy", "czwartku", "piątku", "soboty", "niedzieli"),
    days_to=("poniedziałku", "wtorku", "środy", "czwartku", "piątku", "soboty", "niedzieli"),
    days_on=("w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek", "w sobotę", "w niedzielę"),
    run="od {first} do {last}, od {opens} do {closes}",
    day="{day}, od {opens} do {closes}",
)
SAYINGS = {"en-GB": ENGLISH, "pl-PL": POLISH}


def saying_for(code: str, languages: dict[str, str] | None = None) -> Saying:
    """How a language says the code's values; a language with no entry here is sent digits and numbers only (no
    English word), its dates as '14.03.1988'. `languages`: the interpreter languages' names as it says them."""
    found = SAYINGS.get(code, Saying())
    return replace(found, languages=languages) if languages else found
