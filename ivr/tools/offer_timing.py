"""How soon a caller in crisis hears how to be put through: seconds of speech from a disclosure (or key 9) to the
put-through offer's "press 1", at most 15 s (issue 23). Worked out with the same Timer as every path's length."""

from __future__ import annotations

from ivr.callflow.flowbook import FlowBook
from ivr.callflow.prompts import Prompts
from ivr.tools.timing import Timer, spoken_seconds

TO_OFFER_AT_MOST = 15  # seconds of speech from a disclosure to the put-through offer's "press 1" (issue 23)
OFFER_KEY = "press 1"


def to_the_offer(book: FlowBook, prompts: Prompts) -> dict[str, float]:
    """Seconds of speech from what the caller said (or pressed) to the end of "press 1" of the put-through offer,
    for each way in: each step that offers it, and each step that only speaks on the way to one (urgency's)."""
    timer = Timer(book, prompts)
    offers = {name for name, step in book.steps.items()
              if any(c.key == "1" and book.steps[c.then.next].dial for c in step.choices)}
    seconds = {}
    for name, step in book.steps.items():
        ahead = step.on.get("ok")
        if name not in offers and not (step.ask is None and ahead and ahead.next in offers):
            continue
        said = " ".join(timer.said_on_entering(name) + ([] if name in offers else timer.said_on_entering(ahead.next)))
        end = said.find(OFFER_KEY)  # not there (prompts being rewritten): all of it, so it is counted, not lost
        seconds[name] = spoken_seconds(said[:end + len(OFFER_KEY)] if end >= 0 else said)
    return seconds
