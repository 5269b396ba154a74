"""The answers a step can `expect`, by name, besides the engine's own menus, yes/no and recordings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ivr.callflow.answers import (
    Answer,
    Context,
    Event,
    Retry,
    callback_number,
    communication_needs,
    date_of_birth,
    practice,
    reference,
    spoken_name,
    spoken_text,
)
from ivr.callflow.nhs_number import UNKNOWN, nhs_number
from ivr.callflow.priority import OUTCOMES, priority


@dataclass(frozen=True)
class Reader:
    """How one kind of answer is read, and what a caller gives for it, in their words (for the simulator)."""

    read: Callable[[Event, Context], Answer | Retry]
    needs: str
    quick: frozenset[str] = frozenset()  # outcomes given in a key or a word ("I don't know it": #), not at length


# Each is a date, number, name or practice, so a caller takes a while over it (ivr.tools.timing counts it so).
READERS: dict[str, Reader] = {
    "date_of_birth": Reader(date_of_birth, "8 keys (DDMMYYYY) or 6 (DDMMYY), or the date said"),
    "callback_number": Reader(callback_number, "a phone number keyed or said"),
    "spoken_name": Reader(spoken_name, "speech: a first name and surname"),
    "spoken_text": Reader(spoken_text, "speech: anything, kept as said"),
    "reference": Reader(reference, "6 keys, or the reference said"),
    "practice": Reader(practice, "speech: the practice's name and place; or its first letters keyed, then #"),
    "communication_needs": Reader(communication_needs, "speech: anything, kept as said; or a key, 1 to 4"),
    "nhs_number": Reader(nhs_number, "10 keys (its check digit right), or # if not known", frozenset({UNKNOWN})),
    "priority": Reader(priority, "1 yes or 2 no, or the group said: pregnant or a baby, or the armed forces",
                       frozenset(OUTCOMES)),
}
