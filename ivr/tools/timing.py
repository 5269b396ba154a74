"""How long each path through the flows takes a caller: prompts at 150 words a minute plus answering time.

Which paths: every route from main.welcome that ends where the call hangs up, or back at the main
menu, following the caller's answers, with these rules so the list stays meaningful:
- a path never visits a step twice, so "hear it again", "no, that's wrong" and "go through the
  questions again" loops are left out (they repeat what is already counted);
- answers that lead to the same next step count once (morning, afternoon or any time);
- the usual give-up after too many misses (main.give_up) is left out; an exit a flow names itself
  (practice not found twice, name not heard twice, no answer after the reference) is a path,
  with the re-asks and the caller's tries before it counted;
- shortcuts from inside a flow into another ("refer yourself now" from the information line) are
  left out: that referral is timed from the main menu, where the same questions follow.
Paths through "speak to someone" in office hours hear the main menu as it is then (with "to speak to
someone, press 8"); the rest are timed out of hours unless asked for (`in_office_hours`). A number
the line puts the caller through to that does not answer counts its ringing time.
The referral happy path is the quickest path that submits a referral without a missed answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ivr.callflow.actions import Ask
from ivr.callflow.answers import Context, Event, say_number, spoken_digits
from ivr.callflow.engine import advance, new_state
from ivr.callflow.flowbook import FlowBook, Step
from ivr.callflow.prompts import PAUSE, PAUSE_SECONDS, Prompts
from ivr.callflow.readers import READERS
from ivr.clock import LONDON
from ivr.tools.paths import Leg, enumerate_paths, legs_from

WORDS_PER_MINUTE = 150
# 3:35: issue 11's 3:15, 5 s for the languages' offer (issue 26), 15 s for the NHS number and priority (issue 25).
TARGET_SECONDS = 215
# Seconds to answer: one key; a short word said (the recogniser waits for a pause after it);
# a date, phone number, reference, name or practice, keyed or said (what readers.READERS read).
ONE_KEY, SHORT_SPEECH, LONG_ANSWER = 3, 4, 8
TYPICAL_PRACTICES = [
    {"name": "Park Surgery", "place": "Heanor", "ods_code": "C00000"},
    {"name": "Parkside Medical Centre", "place": "Allestree, Derby", "ods_code": "C00001"},
    {"name": "Park Lane Surgery", "place": "Chesterfield", "ods_code": "C00002"},
]
TYPICAL_VALUES = {
    "date_of_birth_spoken": "14 March 1988",
    "practice": TYPICAL_PRACTICES,
    "practice_spoken": "Park Surgery in Heanor",
    "name": "Sam Taylor",
    "caller_number_spoken": say_number("+447400123456"),
    "callback_number_spoken": say_number("+447400123456"),
    "reference_spoken": spoken_digits("482913", [3, 3]),
    "interpreter_language": "Polish",
    "interpreter_language_spoken": "a Polish",
    "nhs_number_spoken": spoken_digits("9434765919", [3, 3, 4]),
}


@dataclass
class Stop:
    """One step on a path: seconds of the line speaking there, and of the caller answering."""

    step: str
    spoken: float
    keypad: float = 0.0
    speech: float = 0.0


@dataclass
class PathTiming:
    """One path through the flows and how long it takes."""

    legs: list[Leg]
    end: str
    spoken_seconds: float
    keypad_seconds: float  # answering time, keys where the question takes keys
    speech_seconds: float  # answering time, all by voice
    questions: int
    description: str
    submits_referral: bool
    misses: int
    stops: list[Stop]

    @property
    def keypad_total(self) -> float:
        """Seconds in all, answering by keys."""
        return self.spoken_seconds + self.keypad_seconds

    @property
    def speech_total(self) -> float:
        """Seconds in all, answering by voice."""
        return self.spoken_seconds + self.speech_seconds

    def since(self, flow: str) -> tuple[float, float]:
        """(keypad, speech) seconds from the first step of a flow to the end, e.g. the referral's own part."""
        first = next((i for i, stop in enumerate(self.stops) if stop.step.startswith(f"{flow}.")), len(self.stops))
        rest = self.stops[first:]
        spoken = sum(s.spoken for s in rest)
        return spoken + sum(s.keypad for s in rest), spoken + sum(s.speech for s in rest)


def office_hours_moment(prompts: Prompts) -> datetime | None:
    """A moment reception is open (in the first fortnight of 2026), or None if it never is."""
    hours = prompts.office_hours
    for offset in range(14) if hours is not None else ():
        day = date(2026, 1, 5) + timedelta(days=offset)
        if day.weekday() in hours.days:
            moment = datetime.combine(day, hours.days[day.weekday()][0], tzinfo=LONDON)
            if hours.is_open(moment):
                return moment
    return None


def spoken_seconds(text: str) -> float:
    """Seconds to say text at 150 words a minute."""
    return len(re.findall(r"[\w'’]+", text)) * 60 / WORDS_PER_MINUTE + text.count(PAUSE) * PAUSE_SECONDS


def minutes(seconds: float) -> str:
    """182.4 -> '3:02'."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


class Timer:
    """Works out what is said and how long it takes, using the engine itself for each question."""

    def __init__(self, book: FlowBook, prompts: Prompts, in_office_hours: bool = False):
        self.book, self.prompts = book, prompts
        now = office_hours_moment(prompts) if in_office_hours else None
        self.ctx = Context(today=date.today(), now=now, office_hours=prompts.office_hours)
        # What each try at a step says, and how long that takes, and the ways on from each step: the same on every
        # path, so worked out once (a line has tens of thousands of paths).
        self._asked: dict[tuple[str, int], list[str]] = {}
        self._spoken: dict[tuple[str, int], float] = {}
        self._ways: dict[str, int] = {}

    def said_on_entering(self, name: str) -> list[str]:
        """What the line says when a call arrives at a step."""
        step = self.book.steps[name]
        if step.decide:
            return []
        if step.ask is None:
            return [self.prompts.text((key,), TYPICAL_VALUES) for key in step.say]
        return self._ask_texts(name, attempt=0)

    def said_on_reasking(self, name: str, attempt: int) -> list[str]:
        """What the line says when it asks a step's question again after a miss."""
        return self._ask_texts(name, attempt)

    def _ask_texts(self, name: str, attempt: int) -> list[str]:
        if (name, attempt) not in self._asked:
            self._asked[name, attempt] = self._run_ask(name, attempt)
        return self._asked[name, attempt]

    def _run_ask(self, name: str, attempt: int) -> list[str]:
        state = {**new_state(TYPICAL_VALUES), "step": name, "tries": {name: attempt - 1} if attempt else {}}
        event = Event("no_input") if attempt else Event("resume")
        _, actions = advance(self.book, state, event, self.ctx)
        ask = next(a for a in actions if isinstance(a, Ask))
        offers = [lang.offer for lang in self.prompts.offered] if name == self.book.menu else []  # each in its voice
        return offers + [self.prompts.text(p.keys, {**TYPICAL_VALUES, **p.params}) for p in ask.prompts]

    def answer_seconds(self, step: Step, by_voice: bool, answer: str = "ok") -> float:
        """Seconds a caller takes to give an answer to a step's question once."""
        if step.expect == "record":
            return min(step.max_length // 2, 60)
        if step.expect in READERS and answer not in READERS[step.expect].quick:
            return LONG_ANSWER
        return SHORT_SPEECH if by_voice else ONE_KEY

    def stops(self, legs: list[Leg]) -> list[Stop]:
        """Step by step along a path: what the line says there, and how long the caller takes to answer."""
        stops = [Stop(self.book.start, self._spoken_at(self.book.start))]
        for leg in legs:
            step, stop = self.book.steps[leg.step], stops[-1]
            if step.dial and leg.answer == "not_connected":
                stop.keypad = stop.speech = step.timeout  # it rang out
            if step.ask:
                tries = max(leg.misses, 1)
                if leg.answer == "no answer":
                    stop.keypad = stop.speech = step.timeout
                else:
                    stop.keypad = tries * self.answer_seconds(step, by_voice=False, answer=leg.answer)
                    stop.speech = tries * self.answer_seconds(step, by_voice=True, answer=leg.answer)
                stop.spoken += sum(self._spoken_at(step.name, a) for a in range(1, tries))
            stops.append(Stop(leg.target, self._spoken_at(leg.target)))
        return stops

    def _spoken_at(self, name: str, attempt: int = 0) -> float:
        """Seconds the line speaks on arriving at a step (attempt 0), or asking again after a miss."""
        if (name, attempt) not in self._spoken:
            texts = self.said_on_reasking(name, attempt) if attempt else self.said_on_entering(name)
            self._spoken[name, attempt] = sum(spoken_seconds(text) for text in texts)
        return self._spoken[name, attempt]

    def time(self, legs: list[Leg], end: str) -> PathTiming:
        """The timing of one path."""
        stops = self.stops(legs)
        effects = {effect for stop in stops for effect in self.book.steps[stop.step].effects}
        return PathTiming(
            legs=legs, end=end,
            spoken_seconds=sum(s.spoken for s in stops),
            keypad_seconds=sum(s.keypad for s in stops),
            speech_seconds=sum(s.speech for s in stops),
            questions=sum(1 for leg in legs if self.book.steps[leg.step].ask),
            description=self.describe(legs),
            misses=sum(leg.misses for leg in legs if leg.answer != "no answer"),
            submits_referral="submit_referral" in effects,
            stops=stops,
        )

    def describe(self, legs: list[Leg]) -> str:
        """The answers that make a path what it is: those at steps with more than one way on."""
        turns = [
            f"{leg.step.split('.', 1)[1]} {leg.answer}" for leg in legs
            if self._ways_on(leg.step) > 1
        ]
        return ", ".join(turns) or "straight through"

    def _ways_on(self, name: str) -> int:
        if name not in self._ways:
            self._ways[name] = len(legs_from(self.book.steps[name]))
        return self._ways[name]


def all_timings(book: FlowBook, prompts: Prompts, in_office_hours: bool = False) -> list[PathTiming]:
    """Every path's timing, grouped by where it ends, quickest first; all in office hours if asked."""
    timers = {hours: Timer(book, prompts, in_office_hours=hours) for hours in (False, True)}
    timings = [timers[in_office_hours or _open(book, legs)].time(legs, end) for legs, end in enumerate_paths(book)]
    return sorted(timings, key=lambda t: (t.end, t.keypad_total))


def _open(book: FlowBook, legs: list[Leg]) -> bool:
    """Whether a path only happens in office hours (it went the "open" way of the office_hours decision)."""
    return any(book.steps[leg.step].decide == "office_hours" and leg.answer == "open" for leg in legs)


def referral_happy_path(timings: list[PathTiming], texted: bool = False) -> PathTiming:
    """The quickest path that submits a referral with every answer understood first time; `texted`: the quickest
    that is also offered the text receipt (a caller on a UK mobile, on a line that can text)."""
    return min((t for t in timings if t.submits_referral and not t.misses
                and (not texted or TEXT_OFFERED in t.description)), key=lambda t: t.keypad_total)


def over_target(timings: list[PathTiming]) -> list[str]:
    """Which of the referral happy paths (without and with the text offer, by keypad and by voice) take longer than
    TARGET_SECONDS; empty when all are within it."""
    paths = {"": referral_happy_path(timings), " with the text offer": referral_happy_path(timings, texted=True)}
    return [f"the happy path{name} by {way} ({minutes(total)})" for name, path in paths.items()
            for way, total in (("keypad", path.keypad_total), ("voice", path.speech_total)) if total > TARGET_SECONDS]


TEXT_OFFERED = "text_offer ask"  # the text_offer decision's way to the question (flows/referral.yaml)
