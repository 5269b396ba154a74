"""Choosing from what the line offered: a menu's options, or practices read out three at a time."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ivr.callflow.actions import Say
from ivr.callflow.answers import Answer, Event, Retry, digits_in, words
from ivr.callflow.flowbook import Step
from ivr.callflow.hearing import ENGLISH_ONLY, Hearing
from ivr.callflow.practice_match import content, words_of
from ivr.callflow.saying import ENGLISH, Saying

PAGE = 3  # candidates offered at a time
MORE_KEY = "8"  # not 9: 9 is help now at every question
NAME_MATCH = 85  # how alike (rapidfuzz, 0-100) a said word must be to a word of a candidate's name
# Words around a key said as the choice ("number two", "option 2, please", "press two"): with these set aside,
# a number word must be all that is left to be a key. "The one on the main road" is not key 1.
CHOOSING = {"number", "option", "press", "key", "it's", "its", "is", "the", "um", "er", "erm", "uh", "please",
            "ok", "okay", "so", "i'll", "take", "choose", "pick", "go", "with"}
# Positions in what was read out: "the second one", "the last".
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
LAST = {"last", "bottom", "final"}
# An answer longer than this (in words) is a sentence, not a choice by position.
POSITION_AT_MOST = 6
# A menu word counts only in a short answer: at most this many words besides the choice's own and these.
# "I took a load of paracetamol about an hour ago" is not "About IPT".
OTHER_WORDS_AT_MOST = 3
POLITE = {"i", "i'd", "id", "i'm", "im", "like", "want", "wanna", "to", "please", "the", "a", "an", "um", "er",
          "erm", "uh", "can", "could", "you", "me", "my", "myself", "just", "would", "some", "more", "it", "is",
          "it's", "its", "yes", "yeah", "hello", "hi", "oh", "ok", "okay", "so", "thanks", "thank", "for",
          "of", "be", "do", "need", "with", "on", "in", "and"}


def key_said(event: Event, hearing: Hearing = ENGLISH_ONLY) -> str:
    """The key a caller chose: what they keyed, or a number said as the whole answer or clearly as the choice
    ("two", "number two", "press 2, please"); '' for a number inside a sentence ("the one on the main road")."""
    if event.kind == "digits":
        return digits_in(event)
    said = [w for w in words(event.text) if w not in CHOOSING]
    if len(said) == 1 and len(digit := digits_in(Event("speech", said[0]), hearing)) == 1:
        return digit
    return ""


def spoken_key(event: Event, hearing: Hearing = ENGLISH_ONLY) -> Event:
    """A caller who says "two", or "option two" (or "dwa"), at a menu means the key 2."""
    if event.kind == "speech" and (key := key_said(event, hearing)):
        return Event("digits", key)
    return event


def position(event: Event, count: int) -> int | None:
    """The place in a list read out that a short answer names ("the second one", "the last"), 1-based; or None."""
    said = words(event.text) if event.kind == "speech" else []
    if not said or len(said) > POSITION_AT_MOST:
        return None
    places = {ORDINALS[w] for w in said if w in ORDINALS} | ({count} if LAST & set(said) else set())
    return places.pop() if len(places) == 1 and 1 <= min(places) <= count else None


def choose(step: Step, event: Event) -> Answer | Retry:
    """The menu option keyed, or the one whose words were said in a short answer."""
    if event.kind == "digits":
        chosen = [c for c in step.choices if c.key == event.text]
    else:
        said = f" {' '.join(words(event.text))} "
        scores = [(sum(f" {w} " in said for w in c.words), c) for c in step.choices]
        best = max(score for score, _ in scores)
        chosen = [c for score, c in scores if score == best and score > 0]
        if len(chosen) == 1 and _others(said, chosen[0].words) > OTHER_WORDS_AT_MOST \
                and not _said_first(event.text, chosen[0].words):
            return Retry()  # a sentence that happens to hold a menu word: not a choice
    return Answer(chosen[0].key, outcome=f"choice:{chosen[0].key}") if len(chosen) == 1 else Retry()


def _said_first(text: str, choice_words: tuple[str, ...]) -> bool:
    """Whether the answer's first clause is the choice and nothing more ("Mornings, I'm just really low"), the rest
    said besides; a transcript without punctuation has no first clause apart."""
    clauses = re.split(r"[,.;:!?]", text, maxsplit=1)
    clause = f" {' '.join(words(clauses[0]))} "
    return len(clauses) == 2 and any(f" {w} " in clause for w in choice_words) and _others(clause, choice_words) == 0


def _others(said: str, choice_words: tuple[str, ...]) -> int:
    """How many words of an answer are neither the choice's own words nor polite filler."""
    for phrase in sorted(choice_words, key=len, reverse=True):
        said = said.replace(f" {phrase} ", "  ")
    return sum(w not in POLITE for w in said.split())


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


def pick(candidates: list[dict], page: int, event: Event, saying: Saying = ENGLISH) -> Answer | Retry:
    """One of the candidates offered, by key, by place in the list or by name; 8 for more; the key after them for
    'none of these'. A number inside a sentence is no key."""
    on_page = shown(candidates, page)
    said = key_said(event)
    if len(candidates) > PAGE and (said == MORE_KEY or "more" in words(event.text)):
        return Answer(None, outcome="more")
    if said == str(len(on_page) + 1) or "none" in words(event.text):
        return Answer(None, outcome="none")
    if said.isdigit() and 1 <= int(said) <= len(on_page):
        return _chosen(on_page[int(said) - 1], saying)
    if (place := position(event, len(on_page))) is not None:
        return _chosen(on_page[place - 1], saying)
    named = _named(candidates, event.text) if event.kind == "speech" else None
    return _chosen(named, saying) if named else Retry()


def _chosen(candidate: dict, saying: Saying) -> Answer:
    return Answer(candidate, spoken=saying.practice(candidate))


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
