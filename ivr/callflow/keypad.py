"""Names keyed as on a phone keypad (2=ABC ... 9=WXYZ), as dial-by-name does: which practices they could spell. Pure.

A caller keys the first letters of their practice's name and presses #. Key 9 alone is "help now" at every question,
so a name is never one key: it takes at least SHORTEST keys, ended by # (or by the pause Twilio waits for).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

Candidate = TypeVar("Candidate")

KEYPAD = {"2": "abc", "3": "def", "4": "ghi", "5": "jkl", "6": "mno", "7": "pqrs", "8": "tuv", "9": "wxyz"}
KEY_OF = {letter: key for key, letters in KEYPAD.items() for letter in letters}
SHORTEST = 2  # keys: a lone 9 stays "help now"
# Words a practice's name may start with that callers do not think of as its name ("The Valleys", "Dr Smith and
# Partners"): the keys are matched with and without them.
LEADING = {"the", "dr", "drs", "doctor", "doctors"}


def keys_for(name: str) -> str:
    """The keys that spell a name's letters ("Ivy Grove" -> 48947683); anything not a letter is left out."""
    return "".join(KEY_OF.get(letter, "") for letter in name.lower())


def spellings(name: str) -> set[str]:
    """How a caller might key a name: from its start, and without a leading "The" or "Dr"."""
    words = re.findall(r"[a-z]+", name.lower())
    shorter = words[1:] if words and words[0] in LEADING else words
    return {keys_for(" ".join(words)), keys_for(" ".join(shorter))} - {""}


def could_spell(keys: str) -> bool:
    """Whether a caller's keys could be the start of a name: only letter keys (2-9), and at least SHORTEST."""
    return len(keys) >= SHORTEST and all(key in KEYPAD for key in keys)


def keyed(keys: str, known: Iterable[tuple[Iterable[str], Candidate]]) -> list[Candidate]:
    """The candidates (each with every name it is known by) one of whose names the keys begin, in the order given."""
    return [candidate for names, candidate in known
            if any(spelling.startswith(keys) for name in names for spelling in spellings(name))]
