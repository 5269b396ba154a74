"""The words a flow may use, each known from the code that acts on it, and the nearest one to a misspelling."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from difflib import get_close_matches

# A known word this close (difflib's ratio, 0-1) to an unknown one is offered as what was meant.
NEAR = 0.6
# With nothing near, a vocabulary this small is listed whole: the author sees every word they could use.
LISTED = 6


@dataclass(frozen=True)
class Vocabulary:
    """Every word a flow may use: the engine's own, and what the app that runs the line keeps and does.

    The engine's: `expect:` (its answer readers and input kinds), `decide:` (its decisions), `flag:` (the urgent
    reasons). The app's, given by it (None: not checked, for a line loaded without the app): `record:` and the
    fields `save:`, `set:` and `transcript:` may name on it (`records`), and `effects:` (`effects`). `carried`: what
    a flow without a record may still `set:`, the call's communication needs, kept on whichever record the call makes.
    """

    expects: frozenset[str]
    decisions: frozenset[str]
    flags: frozenset[str]
    records: Mapping[str, frozenset[str]] | None = None
    effects: frozenset[str] | None = None
    carried: frozenset[str] = frozenset()


def unknown(kind: str, word: object, known: Collection[str]) -> str:
    """"unknown save field 'date_of_brith' (did you mean 'date_of_birth'?)": the word, and the nearest known one."""
    return f"unknown {kind} '{word}'{nearest(word, known)}"


def nearest(word: object, known: Collection[str]) -> str:
    """" (did you mean 'date_of_birth'?)" for the known word nearest to this one; the few known, if none is near."""
    near = get_close_matches(str(word), sorted(known), n=1, cutoff=NEAR)
    if near:
        return f" (did you mean '{near[0]}'?)"
    if 0 < len(known) <= LISTED:
        return f" (one of {', '.join(sorted(known))})"
    return ""
