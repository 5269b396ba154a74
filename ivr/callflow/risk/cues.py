"""The cue tier: risk heard as a combination of ideas in one sentence, not as one exact phrase.

A phrase list hears the words it was given ("better off dead"), and misses the next caller's ("I'd be happier
dead"). A cue names a few concepts, each a set of words (`me`, `not alive`, `wish`), and is heard when every
one of them is said in one sentence, within a few words of each other: "me + not alive + wish" hears "I'd be
happier dead", "I'd rather not be here anymore" and "I wish I could just disappear" alike. The concepts and
the cues are in flows/risk.yaml, under `cues:`, for the clinical lead to read. A cue found is read in context
exactly as a phrase is (risk/context.py): denied, someone else's, long past or hypothetical, it is not risk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ivr.callflow.risk.context import Found, find
from ivr.callflow.risk.words import END, Said, check_phrase, matcher, normalise

WITHIN = 10  # words from a cue's first concept to its last, at most, unless the cue says otherwise


@dataclass(frozen=True)
class Cue:
    """One cue: the concepts that must all be said, within `within` words, and the category it means."""

    when: str  # as written in the file: "me + not alive + wish"
    category: str
    concepts: tuple[str, ...]
    within: int
    sentences: int = 1  # how many sentences in a row its concepts may be said across (round 16)


class Cues:
    """The concepts, compiled, and the cues made of them."""

    def __init__(self, concepts: dict[str, re.Pattern], cues: tuple[Cue, ...],
                 firsts: dict[str, frozenset[str]] | None = None):
        self.concepts = concepts
        self.cues = cues
        self.firsts = firsts or {}  # concept -> the words its phrases can start with: none said, none looked for
        # word -> the concepts that can start with it; a cue one of whose concepts cannot be said is not looked for
        self.starting: dict[str, set[str]] = {}
        for name, words in self.firsts.items():
            for word in words:
                self.starting.setdefault(word, set()).add(name)
        self.always = frozenset(concepts) - frozenset(self.firsts)  # concepts with no first words known

    @classmethod
    def from_data(cls, data: object, categories: tuple[str, ...]) -> Cues:
        """The file's `cues:` section (none: no cues); raises ValueError saying what is wrong with it."""
        if data is None:
            return cls({}, ())
        if not isinstance(data, dict) or not isinstance(data.get("concepts"), dict):
            raise ValueError("cues: needs 'concepts:' (each a list of words) and a list of cues by category")
        concepts, firsts = {}, {}
        for name, words in data["concepts"].items():
            if not isinstance(words, list) or not words:
                raise ValueError(f"cues: concept '{name}' needs a list of words")
            for word in map(str, words):
                if problem := check_phrase(word):
                    raise ValueError(f"cues: concept '{name}': '{word}' {problem}")
            # Words as written, no small words skipped: "just disappear" is not "disappear".
            concepts[str(name)] = matcher([str(word) for word in words])
            if not any("{" in str(word) for word in words):  # a number ("{many}") can start with any digit
                firsts[str(name)] = frozenset(first for word in map(str, words) for first in _firsts(word))
        cues = []
        for category in categories:
            for entry in data.get(category) or []:
                when, within, sentences = ((entry, WITHIN, 1) if isinstance(entry, str)
                                           else (entry.get("when"), entry.get("within"), entry.get("sentences", 1)))
                names = tuple(name.strip() for name in str(when).split("+"))
                if len(names) < 2 or not all(names):
                    raise ValueError(f"cues: {category}: '{when}' needs two concepts or more, joined by '+'")
                if unknown := [name for name in names if name not in concepts]:
                    raise ValueError(f"cues: {category}: '{when}' names no concept '{unknown[0]}'")
                if not isinstance(within, int) or within < 1:
                    raise ValueError(f"cues: {category}: '{when}' needs 'within:' a number of words")
                if not isinstance(sentences, int) or not 1 <= sentences <= 2:
                    raise ValueError(f"cues: {category}: '{when}' needs 'sentences:' 1 or 2")
                cues.append(Cue(str(when), category, names, within, sentences))
        if unknown := set(data) - {"concepts", *categories}:
            raise ValueError(f"cues: no category '{sorted(map(str, unknown))[0]}'")
        return cls(concepts, tuple(cues), firsts)

    def find(self, said: Said) -> list[tuple[Found, tuple[Found, ...]]]:
        """Each cue heard: where it was said (first concept to last, its category as kind) and each concept."""
        if not self.cues:
            return []
        possible = self.always.union(*(self.starting.get(word, ()) for word in set(said.words)))
        seen: dict[str, list[Found]] = {}
        heard, sentence = [], []
        for cue in self.cues:
            if not possible.issuperset(cue.concepts):  # one of its concepts cannot be said: none looked for
                continue
            places = []
            for name in cue.concepts:  # a concept not said ends the cue before the others are looked for
                if name not in seen:
                    seen[name] = find(said, self.concepts[name], name)
                if not seen[name]:
                    break
                places.append(seen[name])
            else:
                sentence = sentence or _sentences(said)
                if (pieces := _together(places, sentence, cue.within, cue.sentences)) is not None:
                    span = Found(min(p.start for p in pieces), max(p.end for p in pieces), cue.category)
                    heard.append((span, pieces))
        return heard

    def __bool__(self) -> bool:
        return bool(self.cues)


def _sentences(said: Said) -> list[int]:
    """For each word, which sentence it is in (0 for the first)."""
    sentence, count = [], 0
    for word in said.words:
        count += word == END
        sentence.append(count)
    return sentence


def _together(places: list[list[Found]], sentence: list[int], within: int,
              sentences: int = 1) -> tuple[Found, ...] | None:
    """One place for each concept, all in one sentence (or `sentences` in a row: "I've
    sorted my affairs. ... I won't be here by the end of the month") and within `within` words, the closest together
    of those found from each place of the first concept, or None ("no, it's other people, I get urges to hurt my dad" is
    "my ... urges to hurt ... dad", not "other people ... I ... urges to hurt")."""
    found = []
    for anchor in places[0]:
        pieces = [anchor]
        for others in places[1:]:
            near = [o for o in others if abs(sentence[o.start] - sentence[anchor.start]) < sentences]
            if not near:
                break
            pieces.append(min(near, key=lambda o: abs(o.start - anchor.start)))
        else:
            found.append(tuple(pieces))
    return min((pieces for pieces in found if _size(pieces) <= within), key=_size, default=None)


def _size(pieces: tuple[Found, ...]) -> int:
    """How many words a cue's pieces span, from the first's start to the last's end."""
    return max(p.end for p in pieces) - min(p.start for p in pieces)


def _firsts(phrase: str) -> set[str]:
    """The words a phrase can start with once normalised ("i am on" starts with "im")."""
    slots = [slot.split("/") for slot in phrase.replace("...", " ").split()[:2]]
    pairs = [f"{a} {b}" for a in slots[0] for b in (slots[1] if len(slots) > 1 else [""])]
    return {normalise(pair).split()[0] for pair in pairs} | {normalise(a).split()[0] for a in slots[0]}

