"""The same corpus through medspaCy's ConText, for comparison: `python bench/risk_medspacy.py`.

medspaCy (the maintained Python ConText, with PyRuSH sentences and a spaCy target matcher) is NOT a dependency
of the line: run this with a scratch virtualenv that has it, e.g.
    python3 -m venv /work/wt/medspacy-venv && /work/wt/medspacy-venv/bin/pip install medspacy==1.3.1 pyyaml rapidfuzz
    /work/wt/medspacy-venv/bin/python bench/risk_medspacy.py
Without medspaCy it says so and exits 0. Target rules are made from flows/risk.yaml's phrases ("a/b" as a set of
words, "..." as up to four optional words, filler words optional), context rules from its `context:` words
(negation and denial as NEGATED_EXISTENCE, other_person as FAMILY, past as HISTORICAL, hypothetical as
HYPOTHETICAL, stop as TERMINATE, pseudo as PSEUDO) beside medspaCy's own default rules, and the file's
`not_risk` phrases taken out first, as the line does. Text is normalised as the line's model does and
given to medspaCy as those words (so both read the same tokens). medspaCy has no misheard matching.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    """This process's resident memory, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def token_pattern(phrase: str, filler: bool) -> list[dict]:
    """A phrase from the vocabulary file as a spaCy token pattern."""
    from ivr.callflow.risk.words import FILLER, GAP, normalise

    out: list[dict] = []
    for token in phrase.lower().replace("...", " ... ").split():
        if token == "...":
            out += [{"IS_PUNCT": False, "OP": "?"}] * GAP
            continue
        words = [normalise(word) for word in token.split("/")]
        if filler and len(words) == 1 and words[0] in FILLER:
            continue
        if filler and out:
            out.append({"LOWER": {"IN": list(FILLER)}, "OP": "?"})
        for index in range(len(words[0].split())):  # a contraction may normalise to two words
            out.append({"LOWER": {"IN": [w.split()[index] if len(w.split()) > index else w for w in words]}})
    return out


def build():
    """medspaCy with target and context rules from flows/risk.yaml; and the data it needs."""
    import medspacy
    from loguru import logger
    from medspacy.context import ConTextRule
    from medspacy.ner import TargetRule

    from ivr.callflow.risk.words import matcher
    from ivr.callflow.yamlfile import read_yaml  # as the line reads it: "no" is a word, not false

    logger.remove()  # PyRuSH logs every sentence at DEBUG level
    data = read_yaml(ROOT / "flows" / "risk.yaml")
    nlp = medspacy.load()
    targets = nlp.get_pipe("medspacy_target_matcher")
    for category, entry in data["categories"].items():
        targets.add([TargetRule(p, category.upper(), pattern=token_pattern(p, True)) for p in entry["phrases"]])
    targets.add([TargetRule(p, "HEDGE", pattern=token_pattern(p, False)) for p in data["hedges"]])
    kinds = {"negation": ("NEGATED_EXISTENCE", "FORWARD", None), "denial": ("NEGATED_EXISTENCE", "FORWARD", 3),
             "other_person": ("FAMILY", "FORWARD", None), "past": ("HISTORICAL", "BIDIRECTIONAL", None),
             "hypothetical": ("HYPOTHETICAL", "FORWARD", None), "stop": ("TERMINATE", "TERMINATE", None),
             "pseudo": ("PSEUDO", "PSEUDO", None)}
    context = nlp.get_pipe("medspacy_context")
    context.prune_on_target_overlap = True  # as in ConText: a trigger inside a phrase ("don't want to live") is none
    own_harm = {"HARM_FROM_OTHERS", "HARM_TO_OTHERS"}  # someone else is in these phrases by nature
    for kind, (category, direction, scope) in kinds.items():
        context.add([ConTextRule(w, category, pattern=token_pattern(w, False), direction=direction, max_scope=scope,
                                 excluded_types=own_harm if kind == "other_person" else None)
                     for w in data["context"][kind]])
    alone = {w: c for c, e in data["categories"].items() for w in e.get("said alone", [])}
    global NOT_RISK
    NOT_RISK = matcher([str(p) for p in data.get("not_risk") or []])
    return nlp, alone


NOT_RISK = None  # the vocabulary's not_risk phrases, as the line's model takes them out
URGENT = ("ACTING_NOW", "INTENT", "HARM_TO_OTHERS", "HARM_FROM_OTHERS", "PASSIVE", "HELP_NOW")


def hear(nlp, alone: dict, text: str, yes_no: bool) -> str:
    """The category medspaCy hears, or 'none'."""
    from spacy.tokens import Doc

    from ivr.callflow.risk.words import END, normalise

    said = normalise(text)
    said = NOT_RISK.sub(" ", " " + said) if NOT_RISK else said  # the same not_risk phrases, taken out first
    words = [("." if word == END else word) for word in said.split()]
    if " ".join(w for w in words if w != ".") in alone:
        return alone[" ".join(w for w in words if w != ".")]
    doc = Doc(nlp.vocab, words=words or ["."])  # our words as tokens, so both models read the same words
    for _, component in nlp.pipeline:
        doc = component(doc)
    live = [e.label_ for e in doc.ents if not (e._.is_negated or e._.is_family or e._.is_historical
                                              or e._.is_hypothetical)]
    found = [label for label in URGENT if label in live]
    if found:
        return found[0].lower()
    return "passive" if yes_no and "HEDGE" in live else "none"


def main() -> int:
    """Print medspaCy's figures on the corpus beside the line's model."""
    before = rss_mb()
    try:
        nlp, alone = build()
    except ImportError as error:
        print(f"medspaCy is not importable here ({error}); see this file's docstring to run the comparison.")
        return 0
    loaded = rss_mb()
    from ivr.callflow.risk import RiskModel

    with open(ROOT / "bench" / "risk_corpus.csv", newline="", encoding="utf-8") as file:
        corpus = list(csv.DictReader(file))
    ours = RiskModel.from_file(ROOT / "flows" / "risk.yaml")
    for title, cases in (("whole corpus", corpus), ("heldout7", [c for c in corpus if c["split"] == "heldout7"])):
        for name, heard in (("medspaCy", lambda c: hear(nlp, alone, c["text"], c["question"] == "yes_no")),
                            ("line's model", lambda c: _ours(ours, c))):
            results = [(c, heard(c)) for c in cases]
            risk = [(c, h) for c, h in results if c["expected"] != "none"]
            active = [(c, h) for c, h in risk if c["expected"] in ("acting_now", "intent")]
            ordinary = [(c, h) for c, h in results if c["form"] == "ordinary"]
            negated = [(c, h) for c, h in results if c["form"] == "negated"]
            print(f"{title:12} {name:12} acting/intent {_rate(active)}  all risk {_rate(risk)}  "
                  f"false alarms {_count(ordinary)}  denials flagged {_count(negated)}")
    texts = [c["text"] for c in corpus]
    for name, run in (("medspaCy", lambda t: hear(nlp, alone, t, False)), ("line's model", ours.hear)):
        start = time.process_time()
        for text in texts:
            run(text)
        print(f"CPU per utterance, {name}: {1e6 * (time.process_time() - start) / len(texts):.0f} µs")
    print(f"memory: {before:.0f} MB before import, {loaded:.0f} MB after import and load "
          f"(+{loaded - before:.0f} MB for medspaCy with these rules)")
    return 0


def _ours(model, case: dict) -> str:
    found = model.hear(case["text"], yes_no=case["question"] == "yes_no")
    return "none" if found is None else found.category


def _rate(pairs: list) -> str:
    heard = sum(h != "none" for _, h in pairs)
    return f"{heard}/{len(pairs)} ({100 * heard / max(len(pairs), 1):.1f}%)"


def _count(pairs: list) -> str:
    return f"{sum(h != 'none' for _, h in pairs)}/{len(pairs)}"


if __name__ == "__main__":
    sys.exit(main())
