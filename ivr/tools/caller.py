"""A pretend caller who answers by step name ({"referral.date_of_birth": "14031988"}), not by key presses in order.

The line names the step asking in each question's answer URL (`?seq=4&step=referral.date_of_birth`), as a real
Twilio client sees it, so the caller knows exactly where it is, whatever the prompts say. A test gives only the
answers it cares about; the rest come from REFERRAL's defaults, so a new question changes only the tests about it.
Shared by the tests, the load bench, the warm-up and the simulator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from urllib.parse import parse_qs, urlsplit

from ivr.tools.phone import KEYS, LineError, Phone

# An answer: keys ("14031988"), words ("Jane Smith"), None (silence), a function of the phone (a recording, a
# dialled call ending), or a list of these for the first, second, ... time the step asks (the last one repeats).
Answer = str | None | Callable[[Phone], Phone] | Sequence["str | None | Callable[[Phone], Phone]"]

# A whole self-referral from the main menu, the answers staff see in the tests: the practice is not recognised,
# so the caller says they are registered here; their own number; no text; no urgency.
REFERRAL: dict[str, Answer] = {
    "main.menu": "2",
    "main.interpreter_language": "Polish",  # after key 7 (an interpreter)
    "referral.date_of_birth": "14031988",
    "referral.date_of_birth_confirm": "1",
    "referral.over_16": "1",  # asked only when no date of birth was taken
    "referral.practice": ["somewhere I cannot name", "still no idea"],
    "referral.practice_confirm": "1",
    "referral.practice_choose": "1",
    "referral.practice_town": "1",
    "referral.registered_here": "1",
    "referral.name": "Jane Smith",
    "referral.name_confirm": "1",
    "referral.name_record": lambda phone: phone.record(seconds=3),
    "referral.nhs_number": None,  # not known: # pressed alone sends no digits, so the line hears silence
    "referral.nhs_number_confirm": "1",
    "referral.callback_offer": "1",
    "referral.callback_key": "07700900123",
    "referral.callback_confirm": "1",
    "referral.text_consent": "2",
    "referral.text_own": "2",
    "referral.voicemail": "1",
    "referral.communication": "2",
    "referral.communication_what": "an interpreter",
    "referral.best_time": "1",
    "referral.priority": "2",
    "referral.priority_which": "1",
    "referral.urgent": "2",
    "referral.reference": None,  # heard once, not asked for again: on to what happens next
    "crisis.offer": "2",  # carry on: the referral is sent
    # The offer after each kind of disclosure (flows/crisis.yaml): carry on.
    "crisis.now": "2",
    "crisis.acting_now": "2",
    "crisis.intent": "2",
    "crisis.harm_from_others": "2",
    "crisis.harm_to_others": "2",
    "crisis.put_through": lambda phone: phone.dial_ends("completed"),
    "crisis.after_call": "1",
}


class Lost(LineError):
    """The line asked something the caller has no answer for, or kept asking the same question."""


def step_asked(phone: Phone) -> str | None:
    """The step the line is waiting on, as its answer URL names it; None if it is not waiting."""
    verb = phone.waiting_for
    if phone.ended or verb is None:
        return None
    return parse_qs(urlsplit(verb.get("action") or "").query).get("step", [None])[0]


class Caller:
    """Answers whatever step the line asks from `answers`, then REFERRAL's defaults."""

    def __init__(self, phone: Phone, answers: Mapping[str, Answer] | None = None, most_asks: int = 5):
        self.phone, self.answers = phone, {**REFERRAL, **(answers or {})}
        self.most_asks = most_asks
        self.asked: list[str] = []  # every step answered, in order

    @property
    def step(self) -> str | None:
        """The step the line is asking now."""
        return step_asked(self.phone)

    def answer(self) -> Phone:
        """Answer the question being asked, once."""
        step = self.step
        if step is None:
            raise Lost(f"the line is not asking a question it names: {self.phone.said[-160:]!r}")
        if step not in self.answers:
            raise Lost(f"no answer for {step}: {self.phone.said[-160:]!r}")
        times = self.asked.count(step)
        if times >= self.most_asks:
            raise Lost(f"{step} asked {times + 1} times: {self.phone.said[-160:]!r}")
        self.asked.append(step)
        return self._give(self.answers[step], times)

    def until(self, step: str) -> Phone:
        """Answer questions until the line asks `step` (left unanswered)."""
        while self.step != step:
            if self.phone.ended:
                raise Lost(f"the call ended before {step}: {self.phone.said[-160:]!r}")
            self.answer()
        return self.phone

    def to_the_end(self) -> Phone:
        """Answer questions until the line ends the call."""
        while not self.phone.ended:
            self.answer()
        return self.phone

    def _give(self, answer: Answer, times: int) -> Phone:
        if isinstance(answer, (list, tuple)):
            answer = answer[min(times, len(answer) - 1)]
        if answer is None:
            return self.phone.silence()
        if callable(answer):
            return answer(self.phone)
        if set(answer) <= KEYS:
            return self.phone.press(answer)
        return self.phone.say(answer)

