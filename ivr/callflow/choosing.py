"""Choosing from what the line offered: a menu's options, or practices read out three at a time."""

from __future__ import annotations

from rapidfuzz import fuzz

from ivr.callflow.actions import Say
from ivr.callflow.answers import Answer, Event, Retry, digits_in, words
from ivr.callflow.flowbook import Step
from ivr.callflow.practice_match import content, words_of

PAGE = 3  # candidates offered at a time
MORE_KEY = "8"  # not 9: 9 is help now at every question
NAME_MATCH = 85  # how alike (rapidfuzz, 0-100) a said word must be to a word of a candidate's name


def spoken_key(event: Event) -> Event:
    """A caller who says "two" at a menu means the key 2."""
    said = words(event.text) if event.kind == "speech" else []
    if len(said) == 1 and len(digit := digits_in(event)) == 1:
        return Event("digits", digit)
    return event


def choose(step: Step, event: Event) -> Answer | Retry:
    """The menu option keyed, or the one whose words were said."""
    if event.kind == "digits":
        chosen = [c for c in step.choices if c.key == event.text]
    else:
        said = f" {' '.join(words(event.text))} "
        scores = [(sum(f" {w} " in said for w in c.words), c) for c in step.choices]
        best = max(score for score, _ in scores)
        chosen = [c for score, c in scores if score == best and score > 0]
    return Answer(chosen[0].key, outcome=f"choice:{chosen[0].key}") if len(chosen) == 1 else Retry()


def shown(candidates: list[dict], page: int) -> list[dict]:
    """The candidates offered on this page."""
    return candidates[page * PAGE:(page + 1) * PAGE]


def has_more(candidates: list[dict], page: int) -> bool:
    return len(candidates) > (page + 1) * PAGE


def next_page(candidates: list[dict], page: int) -> int:
    """The page after this one; after the last, the first again."""
    return page + 1 if has_more(candidates, page) else 0


def offer(base: str, candidates: list[dict], page: int) -> list[Say]:
    """'For X, press 1' for each candidate on the page, then 'for more, press 8' and 'none of these'."""
    on_page = shown(candidates, page)
    prompts = [Say((f"{base}.option",), {"n": n, **c}) for n, c in enumerate(on_page, start=1)]
    if has_more(candidates, page):
        prompts.append(Say((f"{base}.more",), {"n": MORE_KEY}))
    return prompts + [Say((f"{base}.none",), {"n": len(on_page) + 1})]


def pick(candidates: list[dict], page: int, event: Event) -> Answer | Retry:
    """One of the candidates offered, by key or by name; 8 for more; the key after them for 'none of these'."""
    on_page = shown(candidates, page)
    said = digits_in(event)
    if len(candidates) > PAGE and (said == MORE_KEY or "more" in words(event.text)):
        return Answer(None, outcome="more")
    if said == str(len(on_page) + 1) or "none" in words(event.text):
        return Answer(None, outcome="none")
    if said.isdigit() and 1 <= int(said) <= len(on_page):
        return _chosen(on_page[int(said) - 1])
    named = _named(candidates, event.text) if event.kind == "speech" else None
    return _chosen(named) if named else Retry()


def _chosen(candidate: dict) -> Answer:
    return Answer(candidate, spoken=f"{candidate['name']} in {candidate['place']}")


def _named(candidates: list[dict], text: str) -> dict | None:
    """The one candidate whose own name the caller said ("Riversdale"), if only one fits."""
    said = content(words_of(text))
    scores = []
    for candidate in candidates:
        own = content(words_of(candidate["name"]))
        heard = sum(any(fuzz.ratio(word, s) >= NAME_MATCH for s in said) for word in own)
        scores.append((heard / len(own) if own else 0.0, candidate))
    best = max((score for score, _ in scores), default=0.0)
    fits = [candidate for score, candidate in scores if score == best]
    return fits[0] if best >= 0.5 and len(fits) == 1 else None
