"""The risk model: what a caller says, heard as one of six kinds of risk (or none), in context.

The vocabulary (flows/risk.yaml) is the clinical lead's: phrases by category, the context words that deny a
phrase or put it in the past or on someone else (risk/context.py, after ConText), the long phrases that may
be misheard (risk/misheard.py), and the hedged answers heard at the yes/no safety question. Pure: no Flask,
no database, so the engine, the tests and the bench all hear with the same model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ivr.callflow.risk.context import Context, Found, find
from ivr.callflow.risk.misheard import Misheard
from ivr.callflow.risk.vocabulary import CATEGORIES, CONTEXT, MOST_URGENT_FIRST, RiskFileError, Vocabulary
from ivr.callflow.risk.words import STEMS, Said, normalise
from ivr.callflow.yamlfile import read_yaml

# Context kinds that qualify another, looked for only when it was found: the past closed ("I'm past that now"), a
# supposition said to be so ("cos I do"), "if I said" (when "if" is said) and its taking back ("because I'm not").
NEEDS = {"behind": "past", "affirm": "hypothetical", "if said": "if", "retract": "if said"}

__all__ = ["CATEGORIES", "Heard", "RiskFileError", "RiskModel", "normalise"]

LONGEST_WORDS = 500  # characters of the caller's words kept for staff (a transcript is rarely longer)
ASKS = frozenset({"i", "just", "need", "want", "some", "help"})  # "I just need some help": the service, asked for


@dataclass(frozen=True)
class Heard:
    """What the model heard: the kind of risk, and the caller's words as heard, for staff to triage."""

    category: str  # one of CATEGORIES
    words: str  # the caller's words as heard
    hedged: bool = False  # a hedged answer at a yes/no safety question ("sometimes", "a bit")


class RiskModel:
    """Hears risk in what a caller says, at any question."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.misheard = Misheard(vocabulary.misheard)

    @classmethod
    def from_file(cls, path: str | Path) -> RiskModel:
        """The model with the vocabulary in `path`; raises RiskFileError saying what is wrong with it."""
        return cls(Vocabulary.from_data(read_yaml(Path(path))))

    def hear(self, text: str, *, yes_no: bool = False) -> Heard | None:
        """The risk heard in `text`, or None; `yes_no` when it answers the yes/no safety question, where a
        denial is a no and a hedged answer ("sometimes", "a bit") is heard as passive thoughts."""
        said = self._said(text)
        words = " ".join(text.split())[:LONGEST_WORDS]
        # A whole answer said in fragments is one answer ("need someone. now. please": round 14).
        if (alone := self.vocabulary.alone.get(said.text.replace(" |", "").strip())) is not None:
            return Heard(alone, words)
        targets = self._found(said, self.vocabulary.targets)
        # A run that overlaps a phrase heard exactly is that phrase, read in its context with the rest.
        slips = [Found(found.start, found.end, category) for found, category in self.misheard.find(said)
                 if not _overlaps(found, targets)] if self.misheard else []
        # A second look with the verbs in one form ("planning on taking my life" for "take my life").
        others = [found for found in self._found(said.stemmed(), self.vocabulary.stemmed)
                  if not _overlaps(found, targets + slips)] if STEMS.keys() & set(said.words) else []
        hedges = find(said, self.vocabulary.hedges, "passive") if yes_no else []
        cues = self.vocabulary.cues.find(said)
        if not (targets or slips or others or hedges or cues):  # most answers: nothing to read in context
            return None
        triggers = [found for kind in CONTEXT if kind not in NEEDS
                    for found in find(said, self.vocabulary.context[kind], kind)]
        # Round 16's kinds are looked for only when the kind they qualify was found (most answers: none of them).
        for kind, needs in NEEDS.items():
            if needs in said.words if kind == "if said" else any(found.kind == needs for found in triggers):
                triggers += find(said, self.vocabulary.context[kind], kind)
        context = Context(said, triggers, targets, tuple(piece for _, pieces in cues for piece in pieces))
        live = [target for target in targets if context.of(target, target.kind, targets) is None]
        # A cue is heard as a phrase is, alongside the phrases found as written.
        heard = [span for span, pieces in cues if context.of_cue(span, pieces, targets) is None]
        for more in (slips, others):  # a context word inside a misheard or second-look phrase is part of it
            if not live and more:
                context = Context(said, triggers, targets + more)
                live = [found for found in more if context.of(found, found.kind, targets + more) is None]
        if live and not heard and all(found.kind == "help_now" for found in live):
            denied = [t for t in targets if context.of(t, t.kind, targets) == "negation"] + [
                span for span, pieces in cues if context.of_cue(span, pieces, targets) == "negation"]
            if all(_only_asks(said.words, found, denied) for found in live):
                return None
        if live or heard:
            return Heard(_most_urgent(live, heard), words)
        if any(context.of(hedge, "passive", targets) is None for hedge in hedges):
            return Heard("passive", words, hedged=True)
        return None

    def to_check(self, text: str) -> list[str]:
        """The words of the file's `to_check:` list in `text`, each once, in the order said: what marks a recorded
        message the model heard no risk in for staff to check (ivr/voice/transcription.py)."""
        said = Said.of(text)
        found = (" ".join(said.words[f.start:f.end]) for f in find(said, self.vocabulary.to_check, "to_check"))
        return list(dict.fromkeys(found))

    def _found(self, said: Said, matchers: dict) -> list[Found]:
        return [found for category in CATEGORIES for found in find(said, matchers[category], category)]

    def does(self, category: str) -> str:
        """What the line does for a category, in the vocabulary file's words (for docs and staff)."""
        return self.vocabulary.does[category]

    def _said(self, text: str) -> Said:
        said = Said.of(text)
        if self.vocabulary.not_risk is None or not self.vocabulary.not_risk.search(said.padded):
            return said
        return Said.of(self.vocabulary.not_risk.sub(" ", said.padded))


def _most_urgent(live: list[Found], cues: list[Found]) -> str:
    """The category of the most urgent phrase or cue heard, a phrase inside a longer one giving way to it (a cue
    never takes a phrase's place: "I want to die" is the phrase's intent, not the cue's wish to be dead)."""
    outer = [t for t in live if not any(o.start <= t.start and t.end <= o.end and o.end - o.start > t.end - t.start
                                        for o in live)]
    return min(outer + cues, key=lambda found: MOST_URGENT_FIRST.index(found.kind)).kind


def _only_asks(words: tuple[str, ...], found: Found, denied: list[Found]) -> bool:
    """Whether a phrase is only the caller asking for the service, said with "just" after denying a risk heard: "I'm
    not going to hurt myself, I just need help" (round 13). "I just need help now", "I need help" alone and "I'm not
    okay, I just need help" are help now."""
    said = words[found.start:found.end]
    return "just" in said and ASKS.issuperset(said) and any(other.end <= found.start for other in denied)


def _overlaps(found: Found, others: list[Found]) -> bool:
    return any(found.start < other.end and other.start < found.end for other in others)
