"""Risk phrases: what a caller may say that means they are at risk now, looked for in everything they say.

The phrases are data (flows/risk-phrases.yaml), for clinicians to review. Matching is tolerant: words
are normalised (case, punctuation, "do not" and "don't" alike), a phrase is found as whole words, and
then, allowing for speech-recognition slips ("and it all" for "end it all", "kill my shelf"), as a run
of words spelt nearly the same (rapidfuzz). A wrong match costs the caller a few seconds; a missed one
could cost far more, so where it is unclear this errs towards a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# Said the same way: the long form on the left is rewritten as the short one on the right.
SAME = (
    ("do not", "dont"), ("can not", "cant"), ("cannot", "cant"), ("i am", "im"), ("wanna", "want to"),
    ("gonna", "going to"), ("my self", "myself"), ("over dose", "overdose"), ("any more", "anymore"),
)
SLIP = 88  # rapidfuzz ratio (0-100) from which a run of words is taken for a phrase misheard
SHORTEST_SLIP = 6  # shorter phrases must be heard exactly: one letter changes too much
LONGEST_TEXT = 80  # words of a transcript looked at (a transcript is rarely longer)


def normalise(text: str) -> str:
    """Lower-case words without punctuation or apostrophes, contractions made one way."""
    said = " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("\u2019", "")))
    for long, short in SAME:
        said = re.sub(rf"\b{long}\b", short, said)
    return said


class RiskPhrasesError(ValueError):
    """The risk phrases file is not as it should be; the message says what is wrong."""


@dataclass(frozen=True)
class RiskPhrases:
    """Phrases by category (suicide, self_harm, ...): the category is the reason staff see, never the words."""

    phrases: tuple[tuple[str, str], ...]  # (normalised phrase, category)
    not_risk: tuple[str, ...] = ()  # normalised phrases that contain risk words but mean something else

    @classmethod
    def from_data(cls, data: dict) -> RiskPhrases:
        """Read the file's `categories:` (name -> list of phrases) and optional `not_risk:` list."""
        categories = data.get("categories")
        if not isinstance(categories, dict) or not categories:
            raise RiskPhrasesError("needs 'categories:', each a list of phrases")
        phrases = []
        for category, listed in categories.items():
            if not re.fullmatch(r"[a-z_]+", str(category)) or not isinstance(listed, list) or not listed:
                raise RiskPhrasesError(f"category '{category}' needs a lower_case name and a list of phrases")
            phrases += [(normalise(str(phrase)), category) for phrase in listed if normalise(str(phrase))]
        not_risk = tuple(normalise(str(phrase)) for phrase in data.get("not_risk") or ())
        return cls(phrases=tuple(dict.fromkeys(phrases)), not_risk=tuple(p for p in not_risk if p))

    def reason(self, text: str) -> str | None:
        """The category of the first risk phrase in what was said, or None."""
        said = normalise(text)
        for safe in self.not_risk:
            said = re.sub(rf"\b{re.escape(safe)}\b", " ", said)
        words = said.split()[:LONGEST_TEXT]
        padded = f" {' '.join(words)} "
        for phrase, category in self.phrases:
            if f" {phrase} " in padded:
                return category
        runs: dict[int, list[str]] = {}  # the runs of words of each length, made once for every phrase
        for phrase, category in self.phrases:
            if len(phrase) >= SHORTEST_SLIP and _misheard(phrase, words, runs):
                return category
        return None


def _misheard(phrase: str, words: list[str], runs: dict[int, list[str]]) -> bool:
    """Whether a run of the words (as many as the phrase has, one fewer or one more) is spelt nearly as it."""
    size = phrase.count(" ") + 1
    alike = []
    for length in {max(size - 1, 1), size, size + 1}:
        if length not in runs:
            runs[length] = [" ".join(words[start:start + length]) for start in range(len(words) - length + 1)]
        alike += runs[length]
    return process.extractOne(phrase, alike, scorer=fuzz.ratio, score_cutoff=SLIP) is not None
