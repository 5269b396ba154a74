"""Derbyshire's local priorities, asked in one question (issue 25): pregnant or with a baby under one; served in the
armed forces. Read forgivingly: "yes" asks which, "no" is neither, and "I'm pregnant" or "I was in the navy" says
which at once. Pure."""

from __future__ import annotations

from ivr.callflow.answers import Answer, Context, Event, Retry, words
from ivr.callflow.phrasing import yes_no_said

PREGNANT = {"pregnant", "expecting", "baby", "newborn", "pregnancy"}
FORCES = {"forces", "army", "navy", "raf", "marines", "veteran", "military", "served", "soldier", "reservist"}
# A group word beside one of these is not a plain answer ("not pregnant", "my partner is pregnant", "never served"):
# asked again, with the keys, rather than guessed.
NOT_PLAIN = {
    "no", "not", "never", "neither", "nor", "none", "nope", "nah", "havent", "haven't", "hasn't", "wasn't", "isn't",
    "aren't", "don't", "dont", "partner", "wife", "husband", "girlfriend", "boyfriend", "dad", "father", "mum",
    "mother", "brother", "sister", "son", "daughter", "grandad", "grandfather", "friend",
}
KEYS = {"1": "yes", "2": "no"}
OUTCOMES = ("yes", "no", "pregnant", "forces", "both", "unsure")


def priority(event: Event, ctx: Context) -> Answer | Retry:
    """1 or "yes" (outcome 'yes': which is asked next), 2 or "no"; a group named plainly: 'pregnant', 'forces' or
    'both'; "not sure": 'unsure'."""
    if event.kind == "digits":
        return Answer(None, outcome=KEYS[event.text]) if event.text in KEYS else Retry()
    said = set(words(event.text.replace("\u2019", "'")))
    groups = [name for name, group in (("pregnant", PREGNANT), ("forces", FORCES)) if said & group]
    if groups and said & NOT_PLAIN:
        return Retry()
    if groups:
        return Answer(None, outcome="both" if len(groups) == 2 else groups[0])
    answer = yes_no_said(event.text, ctx.hearing)
    return Answer(None, outcome=answer) if answer else Retry()
