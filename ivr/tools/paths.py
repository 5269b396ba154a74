"""Every path a caller can take through the flows, leg by leg: what ivr/tools/timing.py times.

Every route from main.welcome that ends where the call hangs up, or back at the main menu, following the caller's
answers; the rules that keep the list meaningful are in timing.py's docstring.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivr.callflow.flowbook import FlowBook, Step

# Ways only a caller who asked at the main menu (for an interpreter, or text relay) can take later: the way back to
# the menu is not walked twice, so neither are these (the referral's communication question skipped).
AFTER_THE_MENU = {("needs_known", "known")}


@dataclass(frozen=True)
class Leg:
    """One way out of a step, as a caller takes it."""

    step: str
    target: str
    answer: str
    misses: int = 0  # tries that were not understood before leaving this way


PLAIN = {"ok", "yes", "no"}


def legs_from(step: Step) -> list[Leg]:
    """The ways a caller can leave a step; retries back and repeated targets left out."""
    if step.hangup:
        return []
    # Answers first, a plain one before others, the tries running out last: a way that another answer shares is
    # named by it ("communication no", not "language"; an answer, not the tries running out).
    ways = [(c.key, c.then) for c in step.choices]
    ways += sorted(step.on.items(), key=lambda way: (way[0] == "max_retries", way[0] not in PLAIN))
    legs: list[Leg] = []
    for answer, transition in ways:
        if transition.retry or any(leg.target == transition.next for leg in legs):
            continue
        if answer == "no_input":  # silence leads on, as the step's answer: its timeout, waited once
            legs.append(Leg(step.name, transition.next, "no answer"))
        elif answer == "max_retries":
            tries = step.retries + 1
            answer = "no answer" if step.retries == 0 else f"{tries} misses"
            legs.append(Leg(step.name, transition.next, answer, misses=tries))
        else:
            legs.append(Leg(step.name, transition.next, answer))
    return legs


def enumerate_paths(book: FlowBook) -> list[tuple[list[Leg], str]]:
    """Every path from the start (see the module's rules), with where it ends."""
    found: list[tuple[list[Leg], str]] = []

    def walk(name: str, seen: frozenset[str], legs: list[Leg]) -> None:
        step = book.steps[name]
        if step.hangup:
            found.append((legs, name))
        for leg in legs_from(step):
            if (step.decide, leg.answer) in AFTER_THE_MENU:
                continue
            target = book.steps[leg.target]
            if leg.target == book.menu and step.flow != target.flow:
                found.append((legs + [leg], "back to the main menu"))
            elif leg.target not in seen and (step.flow == target.flow or step.flow == "main"):
                walk(leg.target, seen | {leg.target}, legs + [leg])

    walk(book.start, frozenset({book.start}), [])
    return found
