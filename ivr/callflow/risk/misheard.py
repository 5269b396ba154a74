"""Long, distinctive risk phrases found when the speech recogniser gets a letter or two wrong ("and it all" for
"end it all", "suicidle thoughts"). Only phrases of two words and 15 letters or more are looked for, so a
short phrase never matches an ordinary one a letter away ("send it" is not "end it")."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from ivr.callflow.risk.context import Found
from ivr.callflow.risk.words import END, Said

SLIP = 88  # rapidfuzz ratio (0-100) from which a run of words is taken for a phrase misheard


class Misheard:
    """The misheard phrases, grouped by how many words a run of what was said must have to be compared."""

    def __init__(self, phrases: tuple[tuple[str, str], ...]):
        self.category = dict(phrases)
        self.by_length: dict[int, list[str]] = {}
        for phrase, _ in phrases:
            size = phrase.count(" ") + 1
            for length in (size - 1, size, size + 1):  # a slip can split or join a word
                self.by_length.setdefault(length, []).append(phrase)

    def find(self, said: Said) -> list[tuple[Found, str]]:
        """Each run of words that is nearly a misheard phrase, with the phrase's category."""
        words, found = said.words, []
        for length, phrases in self.by_length.items():
            for start in range(len(words) - length + 1):
                run = words[start:start + length]
                if END in run:
                    continue
                best = process.extractOne(" ".join(run), phrases, scorer=fuzz.ratio, score_cutoff=SLIP)
                if best:
                    found.append((Found(start, start + length, "misheard"), self.category[best[0]]))
        return found
