"""Match what a caller said to GP practices, allowing for how people say them and speech-recognition slips.

Pure: no Flask, no database. Each practice is known by its name (and other names on its sign, e.g.
"Church Farm Medical Centre" for Ivy Grove Surgery), its places (village or suburb, and post town) and
its streets. A transcript is cut into words; every word, and every two words run together (so that
"ivy grove" meets "IVYGROVE" and "kelvin grove" meets "KELVINGROVE"), is compared with the directory's
words by spelling (rapidfuzz) and by sound (jellyfish's metaphone). A practice scores well when the
caller said enough of what identifies it AND it explains what the caller said: an unexplained word
("Tutbury", "Beeston", "Sheffield") counts against it, which keeps out-of-area practices from ever
coming back as the one clear match.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import jellyfish
from rapidfuzz import fuzz, process

from ivr.callflow import keypad

# Words that say what kind of place it is; callers use them loosely, so they only break ties.
KIND_WORDS = {
    "surgery", "surgeries", "practice", "practise", "medical", "centre", "center", "health", "healthcare",
    "care", "partnership", "primary", "clinic", "group", "community", "doctors", "doctor", "gp",
}
FILLER = {
    "i", "im", "its", "it", "is", "my", "me", "we", "our", "with", "at", "in", "on", "of",
    "the", "a", "an", "to", "and", "by", "near", "off", "registered", "called", "dr", "docs", "one",
    "that", "this", "think", "er", "erm", "um", "uh", "uhm", "yeah", "yes", "please", "just", "oh", "ok",
    "okay", "so", "there", "go", "used", "was", "be", "am", "thank", "thanks", "you", "sorry", "hmm",
    "en", "le", "upon", "place", "ones", "s",
}
SAME_WORDS = {"saint": "st", "center": "centre", "practise": "practice"}

WORD_MATCH = 0.75  # below this, two words are not the same word
ENOUGH_EVIDENCE = 4.0  # one word unique in the directory is enough to identify a practice
PLACE_ONLY = 0.9  # a practice identified by its place alone
STREET_ONLY = 0.6  # ... by its street alone
KIND_TIE_BREAK = 0.04
CLEAR = 0.75  # the best must score this much, and MARGIN more than the next, to be read back alone
MARGIN = 0.12
# ... and explain nearly all of what was said ("Park Lane Surgery, Stoke" is not Park Lane, Allestree).
UNEXPLAINED_AT_MOST = 0.25
PLAUSIBLE = 0.55  # worth offering in a list of choices
WITHIN = 0.25  # ... if this close to the best
MAX_CHOICES = 3
TOWN_WORD = 85  # how alike (rapidfuzz, 0-100) a said word must be to a word of a place's name


def words_of(text: str) -> list[str]:
    """Lower-case words, '&' as 'and', apostrophes dropped ("Crag's" -> "crags")."""
    text = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return [SAME_WORDS.get(w, w) for w in re.findall(r"[a-z0-9]+", text)]


def content(words: list[str]) -> list[str]:
    """The words that can tell one practice from another."""
    return [w for w in words if w not in FILLER and w not in KIND_WORDS and not w.isdigit()]


def _runs(phrase: list[str]) -> list[tuple[str, tuple[int, ...]]]:
    """Each word and each two neighbouring words run together, with the positions they cover."""
    runs = [(w, (i,)) for i, w in enumerate(phrase)]
    runs += [(phrase[i] + phrase[i + 1], (i, i + 1)) for i in range(len(phrase) - 1)]
    return runs


def _code(term: str) -> str:
    return jellyfish.metaphone(term) if term else ""


@dataclass(frozen=True)
class Listing:
    """A practice as callers know it: what to say back, and every name, place and street to listen for."""

    ods_code: str
    name: str  # as it should be said: "Arthur Medical Centre"
    place: str  # where people say it is: "Horsley Woodhouse, Ilkeston"
    names: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()

    def as_choice(self) -> dict[str, str]:
        """The candidate the call engine reads back and stores."""
        return {"ods_code": self.ods_code, "name": self.name, "place": self.place}


@dataclass
class _Known:
    """A practice as the matcher sees it: phrases of content words, and the directory terms they make."""

    listing: Listing
    names: list[list[str]]
    places: list[list[str]]
    streets: list[list[str]]
    kinds: set[str]
    terms: set[int] = field(default_factory=set)


def _phrases(texts: tuple[str, ...]) -> list[list[str]]:
    found = [content(words_of(text)) for text in texts]
    return [phrase for phrase in found if phrase]


class Matcher:
    """Scores transcripts against a fixed list of practices; build a new one when the list changes."""

    def __init__(self, listings: list[Listing]):
        self.known = [
            _Known(x, _phrases(x.names), _phrases(x.places), _phrases(x.streets),
                   {w for name in x.names for w in words_of(name) if w in KIND_WORDS})
            for x in listings
        ]
        every = lambda k: (*k.names, *k.places, *k.streets)  # noqa: E731
        self.vocab = sorted({term for k in self.known for p in every(k) for term, _ in _runs(p)})
        self.index = {term: i for i, term in enumerate(self.vocab)}
        self.codes = [_code(term) for term in self.vocab]
        holders = [0] * len(self.vocab)
        for k in self.known:
            k.terms = {self.index[term] for p in every(k) for term, _ in _runs(p)}
            for i in k.terms:
                holders[i] += 1
        # Each place (village, town or post town) and the practices there, for a caller who says only a town.
        self.places: dict[tuple[str, ...], tuple[str, list[Listing]]] = {}
        for k in self.known:
            for spoken_place in k.listing.places:
                key = tuple(content(words_of(spoken_place)))
                there = self.places.setdefault(key, (spoken_place, []))[1] if key else [k.listing]
                if k.listing not in there:
                    there.append(k.listing)
        count = max(len(self.known), 1)
        # A word found in fewer practices tells more (inverse document frequency).
        self.weight = [math.log(1 + count / n) for n in holders]
        self.unknown_weight = math.log(1 + count)

    def alike(self, run: str) -> dict[int, float]:
        """The directory terms a run of said words could be: the mean of how alike they are spelt
        (rapidfuzz) and how alike they sound (metaphone codes), 0-1; 1 for the same spelling."""
        code = _code(run)
        found = {}
        # The mean can reach WORD_MATCH only where the spelling alone reaches 2 * WORD_MATCH - 1.
        for _, spelling, i in process.extract(
            run, self.vocab, scorer=fuzz.ratio, score_cutoff=(2 * WORD_MATCH - 1) * 100, limit=None
        ):
            alike = 1.0 if spelling == 100 else (spelling + fuzz.ratio(code, self.codes[i])) / 200
            if alike >= WORD_MATCH:
                found[i] = alike
        return found

    def scores(self, text: str) -> list[tuple[float, float, Listing]]:
        """Every practice the words could mean, best first: its score (about 0-1), and the share of
        what was said (by weight) that it does not explain."""
        said_words = words_of(text)
        said = content(said_words)
        if not said or not self.known:
            return []
        said_kinds = {w for w in said_words if w in KIND_WORDS}
        runs = [(covers, self.alike(run)) for run, covers in _runs(said)]
        single = [alike for covers, alike in runs if len(covers) == 1]
        for covers, alike in runs:
            # Two words run together count only where they match better than either word alone.
            if len(covers) == 2:
                for j in [j for j, s in alike.items() if s <= max(single[i].get(j, 0) for i in covers)]:
                    del alike[j]
        # A said word weighs as much as the directory word it is most like; an unknown word, a lot.
        weights = []
        for i in range(len(said)):
            found = {j: s for covers, alike in runs if i in covers for j, s in alike.items()}
            weights.append(self.weight[max(found, key=found.get)] if found else self.unknown_weight)
        heard = {j for _, alike in runs for j in alike}
        results = []
        for known in self.known:
            if known.terms.isdisjoint(heard):
                continue  # nothing said is like any of its words: it scores nothing
            score, unexplained = self._score(known, said, runs, weights, said_kinds)
            if score > 0:
                results.append((score, unexplained, known.listing))
        results.sort(key=lambda found: (-found[0], found[2].name))
        return results

    def _score(self, known: _Known, said: list[str], runs, weights: list[float], said_kinds: set[str]):
        mine = [(covers, {j: s for j, s in alike.items() if j in known.terms}) for covers, alike in runs]
        # How much of what the caller said this practice explains.
        explained = [0.0] * len(said)
        for covers, alike in mine:
            for i in covers:
                explained[i] = max(explained[i], max(alike.values(), default=0.0))
        explains = sum(w * e for w, e in zip(weights, explained, strict=True)) / sum(weights)
        if explains == 0:
            return 0.0, 1.0
        unexplained = sum(w for w, e in zip(weights, explained, strict=True) if not e) / sum(weights)

        def identified(phrase: list[str]) -> float:
            """How surely the caller named this phrase: enough of its weight heard, and heard clearly."""
            heard = [0.0] * len(phrase)
            for term, covers in _runs(phrase):
                parts = [self.index[phrase[i]] for i in covers if len(covers) == 2]
                best = max((
                    alike.get(self.index[term], 0.0) for _, alike in mine
                    if all(alike.get(self.index[term], 0.0) > alike.get(p, 0.0) for p in parts)
                ), default=0.0)
                for i in covers:
                    heard[i] = max(heard[i], best)
            weight = [self.weight[self.index[w]] for w in phrase]
            matched = sum(w for w, h in zip(weight, heard, strict=True) if h)
            if not matched:
                return 0.0
            clarity = sum(w * h for w, h in zip(weight, heard, strict=True)) / matched
            return min(1.0, matched / min(sum(weight), ENOUGH_EVIDENCE)) * clarity

        identity = max(
            max(map(identified, known.names), default=0.0),
            PLACE_ONLY * max(map(identified, known.places), default=0.0),
            STREET_ONLY * max(map(identified, known.streets), default=0.0),
        )
        kind = len(said_kinds & known.kinds) / len(said_kinds) if said_kinds else 0.0
        return math.sqrt(identity * explains) + KIND_TIE_BREAK * kind, unexplained

    def town(self, text: str) -> tuple[str, list[Listing]]:
        """When all the caller said is a place (with its post town, perhaps): that place and its practices,
        by name ("Long Eaton, Nottingham" -> Long Eaton's practices). ("", []) when it is more than a place."""
        said = content(words_of(text))
        if not said or len(said) > 4 or set(words_of(text)) & KIND_WORDS:
            return "", []
        best: tuple[int, str, list[Listing]] = (0, "", [])
        for place, (spoken_place, listings) in self.places.items():
            heard = [w for w in said if any(fuzz.ratio(w, p) >= TOWN_WORD for p in place)]
            if len(heard) < len(place) or len(heard) <= best[0]:
                continue
            around = {w for x in listings for p in x.places for w in content(words_of(p))}
            if all(w in heard or any(fuzz.ratio(w, a) >= TOWN_WORD for a in around) for w in said):
                best = (len(heard), spoken_place, sorted(listings, key=lambda x: x.name))
        return best[1], best[2]

    def keyed(self, keys: str) -> list[Listing]:
        """The practices one of whose names starts with the letters keyed on a phone keypad (see keypad), by name."""
        found = keypad.keyed(keys, ((k.listing.names or (k.listing.name,), k.listing) for k in self.known))
        return sorted(found, key=lambda x: x.name)

    def match(self, text: str) -> list[Listing]:
        """One clear practice, two or three to choose from (best first), or none."""
        ranked = self.scores(text)
        if not ranked:
            return []
        best, unexplained, first = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if best >= CLEAR and best - runner_up >= MARGIN and unexplained <= UNEXPLAINED_AT_MOST:
            return [first]
        close = [listing for score, _, listing in ranked if score >= max(PLAUSIBLE, best - WITHIN)]
        if len(close) > MAX_CHOICES or len(close) < 2:
            return []  # too many alike, or one we are not sure of: better to ask again
        return close
