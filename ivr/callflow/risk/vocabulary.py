"""The risk vocabulary file (flows/risk.yaml) read and checked: phrases by category, context words and hedges."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ivr.callflow.risk.cues import Cues
from ivr.callflow.risk.words import STEMS, check_phrase, matcher, normalise

# The kinds of risk the line tells apart.
CATEGORIES = ("acting_now", "intent", "passive", "harm_from_others", "harm_to_others", "help_now")
# The same, most urgent first: when a caller says two, the line acts on the more urgent.
MOST_URGENT_FIRST = ("acting_now", "intent", "harm_to_others", "harm_from_others", "passive", "help_now")
# The ConText trigger kinds the file must give (see flows/risk.yaml, `context:`).
CONTEXT = ("negation", "denial", "other_person", "past", "now", "hypothetical", "stop", "pseudo", "behind", "affirm",
           "if said", "retract")
# Kinds a file may leave out (the Polish vocabulary has none of them): round 16's.
OPTIONAL = frozenset({"behind", "affirm", "if said", "retract"})
VERBS = set(STEMS) | set(STEMS.values())  # the words of the second look (words.STEMS)
SHORTEST_MISHEARD = (2, 15)  # a phrase heard when misheard has at least 2 words and 15 letters


class RiskFileError(ValueError):
    """The risk vocabulary file is not as it should be; the message says what is wrong."""


@dataclass(frozen=True)
class Vocabulary:
    """The file, compiled: a matcher per category and per context kind, and the misheard phrases."""

    targets: dict[str, re.Pattern]  # category -> its phrases
    stemmed: dict[str, re.Pattern]  # category -> its phrases with their verbs in one form (words.STEMS)
    misheard: tuple[tuple[str, str], ...]  # (normalised phrase, category)
    context: dict[str, re.Pattern]  # trigger kind -> its words
    not_risk: re.Pattern | None
    hedges: re.Pattern | None
    does: dict[str, str]  # category -> what the line does, in the file's words
    alone: dict[str, str]  # a whole answer (normalised) -> its category
    cues: Cues  # combinations of concepts in one sentence (risk/cues.py)
    to_check: re.Pattern | None  # words that mark a recorded message the model heard nothing in "to check"

    @classmethod
    def from_data(cls, data: object) -> Vocabulary:
        """Read the file's mapping; raises RiskFileError naming the first thing that is wrong."""
        if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
            raise RiskFileError("needs 'categories:', each with 'the line:' and 'phrases:'")
        categories = data["categories"]
        if set(categories) != set(CATEGORIES):
            raise RiskFileError(f"needs exactly the categories {', '.join(CATEGORIES)}; has "
                                f"{', '.join(map(str, categories)) or 'none'}")
        targets, stemmed, misheard, does, alone = {}, {}, [], {}, {}
        for category in CATEGORIES:
            entry = categories[category]
            if not isinstance(entry, dict) or not isinstance(entry.get("the line"), str):
                raise RiskFileError(f"category '{category}' needs 'the line:', saying what the line does")
            does[category] = entry["the line"]
            phrases = _phrases(entry.get("phrases"), f"category '{category}' phrases", required=True)
            targets[category] = matcher(phrases, filler=True)
            # Only a phrase with a verb of STEMS in it can be found by the second look but not the first.
            stemmed[category] = matcher([p for p in phrases if VERBS.intersection(re.findall(r"[a-z]+", p.lower()))],
                                        filler=True, stem=True)
            for phrase in _phrases(entry.get("misheard"), f"category '{category}' misheard"):
                said = normalise(phrase)
                if len(said.split()) < SHORTEST_MISHEARD[0] or len(said.replace(" ", "")) < SHORTEST_MISHEARD[1]:
                    raise RiskFileError(f"category '{category}' misheard: '{phrase}' is too short to be heard "
                                        "when misheard (2 words and 15 letters at least)")
                misheard.append((said, category))
            alone |= {normalise(phrase): category for phrase in _phrases(entry.get("said alone"),
                                                                         f"category '{category}' said alone")}
        context = data.get("context")
        if not isinstance(context, dict) or set(CONTEXT) - OPTIONAL - set(context):
            raise RiskFileError(f"needs 'context:' with {', '.join(k for k in CONTEXT if k not in OPTIONAL)}")
        try:
            cues = Cues.from_data(data.get("cues"), CATEGORIES)
        except ValueError as error:
            raise RiskFileError(str(error)) from None
        return cls(
            cues=cues, targets=targets, stemmed=stemmed, misheard=tuple(misheard), does=does, alone=alone,
            context={kind: matcher(_phrases(context.get(kind), f"context '{kind}'", required=kind not in OPTIONAL))
                     for kind in CONTEXT},
            not_risk=matcher(_phrases(data.get("not_risk"), "not_risk")),
            hedges=matcher(_phrases(data.get("hedges"), "hedges")),
            to_check=matcher(_phrases(data.get("to_check"), "to_check")),
        )


def _phrases(listed: object, where: str, required: bool = False) -> list[str]:
    if listed is None and not required:
        return []
    if not isinstance(listed, list) or (required and not listed):
        raise RiskFileError(f"{where}: needs a list of phrases")
    for phrase in listed:
        problem = check_phrase(str(phrase))
        if problem:
            raise RiskFileError(f"{where}: '{phrase}' {problem}")
    return [str(phrase) for phrase in listed]
