"""Long, distinctive risk phrases found when the speech recogniser gets a letter or two wrong ("and it all" for
"end it all", "suicidle thoughts"). Only phrases of two words and 15 letters or more are looked for, so a
short phrase never matches an ordinary one a letter away ("send it" is not "end it").

To stay fast on a long message, a phrase is only compared with runs of words around a word of four letters or
more that it shares with what was said (its anchor): a slip rarely changes every long word of a phrase.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from ivr.callflow.risk.context import Found
from ivr.callflow.risk.words import END, Said

SLIP = 88  # rapidfuzz ratio (0-100) from which a run of words is taken for a phrase misheard
ANCHOR = 4  # letters a shared word needs to anchor a comparison


class Misheard:
    """The misheard phrases, each found from the long words it shares with what was said."""

    def __init__(self, phrases: tuple[tuple[str, str], ...]):
        self.phrases = [(phrase, category, phrase.count(" ") + 1) for phrase, category in phrases]
        self.anchors: dict[str, list[int]] = {}
        for index, (phrase, _, _) in enumerate(self.phrases):
            for word in set(phrase.split()):
                if len(word) >= ANCHOR:
                    self.anchors.setdefault(word, []).append(index)

    def find(self, said: Said) -> list[tuple[Found, str]]:
        """Each run of words that is nearly a misheard phrase, with the phrase's category."""
        words, found, tried = said.words, [], set()
        for at, word in enumerate(words):
            for index in self.anchors.get(word, ()):
                phrase, category, size = self.phrases[index]
                for length in (size - 1, size, size + 1):  # a slip can split or join a word
                    for start in range(max(0, at - length + 1), min(at, len(words) - length) + 1):
                        if (index, start, length) in tried:
                            continue
                        tried.add((index, start, length))
                        run = words[start:start + length]
                        if END not in run and fuzz.ratio(" ".join(run), phrase) >= SLIP:
                            found.append((Found(start, start + length, "misheard"), category))
        return found

    def __bool__(self) -> bool:
        return bool(self.phrases)
