"""The risk model: what a caller says, heard as one of six kinds of risk (or none), for the engine to act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ivr.callflow.risk.phrases import RiskPhrases, RiskPhrasesError, normalise
from ivr.callflow.yamlfile import read_yaml

__all__ = ["CATEGORIES", "Heard", "RiskModel", "RiskPhrasesError", "normalise"]

# The kinds of risk the line tells apart, each with what the line does (flows/risk-phrases.yaml says which).
CATEGORIES = ("acting_now", "intent", "passive", "harm_from_others", "harm_to_others", "help_now")
# The phrases file's older categories, as the six above (until the file is rewritten by category).
OLD = {"suicide": "intent", "self_harm": "intent", "not_safe": "acting_now", "overdose": "acting_now",
       "harm_to_others": "harm_to_others"}


@dataclass(frozen=True)
class Heard:
    """What the model heard: the kind of risk, and the caller's words as heard, for staff to triage."""

    category: str  # one of CATEGORIES
    words: str  # the caller's words as heard
    hedged: bool = False  # a hedged answer at a yes/no safety question ("sometimes", "a bit")


class RiskModel:
    """Hears risk in what a caller says, at any question."""

    def __init__(self, phrases: RiskPhrases):
        self.phrases = phrases

    @classmethod
    def from_file(cls, path: str | Path) -> RiskModel:
        """The model with the vocabulary in `path`; raises RiskPhrasesError saying what is wrong with it."""
        return cls(RiskPhrases.from_data(read_yaml(Path(path))))

    def hear(self, text: str, *, yes_no: bool = False) -> Heard | None:
        """The risk heard in `text`, or None; `yes_no` when it answers a yes/no safety question."""
        category = self.phrases.reason(text)
        return Heard(OLD.get(category, category), text.strip()) if category else None
