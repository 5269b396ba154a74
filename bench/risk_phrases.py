"""How the risk model hears risk, and what it takes for risk by mistake: `python bench/risk_phrases.py [-v]`.

Run through the same model a call uses (ivr/callflow/risk, flows/risk.yaml):
- bench/risk_corpus.csv: 3,590 utterances, each labelled with the category a clinician would hear in it (or
  `none`), the question it is said at (an answer at `yes_no`, the safety question, is heard as the line hears
  it there), its form (direct, indirect, negated, past, other_person, hypothetical, misheard, hedged,
  ordinary), the source that informed it, and its split: `tune`, `round13-probe`, `round14-probe` and
  `round17-probe` (the vocabulary was adjusted until they pass), the parts held out for one round's first run and
  then tuned on (`held_out_1` to `held_out_5`, `held_out_8`, `held_out_9`, `heldout7`, `heldout10` to `heldout17`),
  and the parts never tuned on (NEVER_TUNED: `heldout19`). Where each
  came from, who wrote it and when, and its first run's figures: docs/risk-model.md, "The corpus and the bench"
  and the section of each blind part and round. LATEST is the part the latest round tuned on, printed apart;
- every utterance of the GP practice benchmark (bench/gp_match_cases*.csv) and every practice's name and
  place from the directory: answers at the practice question, none of which is risk.
Prints recall per category, false alarms per question, denials and other context forms flagged, and the
CPU time per utterance. -v lists every miss and every false alarm, bar those of a never-tuned part (counted only, to
keep it blind). Exits 1 when a target is missed.
`--language pl-PL` runs the Polish vocabulary (flows/risk.pl-PL.yaml) on bench/risk_corpus.pl-PL.csv instead
(`heldout_pl`, 76 utterances written before the Polish vocabulary was run on them: run once, its figures in
docs/risk-model.md, then one phrase added for one of its two misses), with the same practice answers.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ivr.callflow.practice_names import listing  # noqa: E402
from ivr.callflow.risk import CATEGORIES, RiskModel  # noqa: E402

ACTIVE = ("acting_now", "intent")  # target: every one heard
CONTEXT_FORMS = ("negated", "past", "other_person", "hypothetical")
NEVER_TUNED: tuple[str, ...] = ("heldout19",)  # splits written before the model was run on them, never tuned on
LATEST = "heldout17"  # the part the latest round tuned on (docs/risk-model.md, "Round 17")


def rows(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows as dictionaries."""
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def heard(model: RiskModel, case: dict[str, str]) -> str:
    """The category the model hears in a case, or 'none' (a hedged answer marked with '~')."""
    found = model.hear(case["text"], yes_no=case["question"] == "yes_no")
    return "none" if found is None else found.category + ("~" if found.hedged else "")


def report(model: RiskModel, cases: list[dict[str, str]], title: str, verbose: bool) -> bool:
    """Print one set's figures; True when it meets the targets."""
    results = [(case, heard(model, case)) for case in cases]
    print(f"\n== {title}: {len(cases)} utterances")
    ok = True
    for category in CATEGORIES:
        of = [(c, h) for c, h in results if c["expected"] == category]
        if not of:
            continue
        caught = sum(h != "none" for _, h in of)
        same = sum(h.rstrip("~") == category for _, h in of)
        print(f"  {category:17} heard {caught:3}/{len(of):<3} ({100 * caught / len(of):5.1f}%)  "
              f"as this category {same}/{len(of)}")
    active = [(c, h) for c, h in results if c["expected"] in ACTIVE]
    indirect = [(c, h) for c, h in results if c["expected"] not in ACTIVE + ("none",)]
    for name, group, target in (("acting or intent", active, 100.0), ("passive or indirect", indirect, 95.0)):
        rate = 100 * sum(h != "none" for _, h in group) / max(len(group), 1)
        ok &= rate >= target
        print(f"  {name:20} recall {rate:5.1f}% (target {target:.0f}%)")
    ordinary = [(c, h) for c, h in results if c["form"] == "ordinary"]
    by_question = defaultdict(list)
    for case, found in ordinary:
        by_question[case["question"]].append(found)
    alarms = sum(h != "none" for _, h in ordinary)
    ok &= alarms <= len(ordinary) / 100
    print(f"  false alarms on ordinary answers: {alarms}/{len(ordinary)} ({100 * alarms / max(len(ordinary), 1):.1f}%, "
          "target at most 1%)")
    print("    by question: " + ", ".join(f"{q} {sum(h != 'none' for h in found)}/{len(found)}"
                                       for q, found in sorted(by_question.items())))
    for form in CONTEXT_FORMS:
        of = [(c, h) for c, h in results if c["form"] == form]
        flagged = sum(h != "none" for _, h in of)
        ok &= form != "negated" or flagged == 0
        print(f"  {form:13} flagged {flagged}/{len(of)}" + (" (target 0: denials never flagged)" if form == "negated"
                                                            else ""))
    hedged = [(c, h) for c, h in results if c["form"] == "hedged"]
    print(f"  hedged at the safety question heard as passive, hedged: {sum(h == 'passive~' for _, h in hedged)}"
          f"/{len(hedged)}")
    blind = 0
    for case, found in results:
        wrong = (found == "none") != (case["expected"] == "none")
        if case["split"] in NEVER_TUNED and (wrong or verbose):
            blind += wrong  # its words are never printed: a part read by whoever tunes the model is no longer blind
        elif wrong or (verbose and found.rstrip("~") != case["expected"]):
            print(f"    {'MISSED' if found == 'none' else 'AS ' + found}: {case['text']!r} ({case['expected']}, "
                  f"{case['question']}, {case['form']})")
    if blind:
        print(f"    ({blind} misses and false alarms in {', '.join(NEVER_TUNED)}, never tuned on, not listed)")
    return ok


def timing(model: RiskModel, texts: list[str], rounds: int = 20) -> float:
    """Microseconds of CPU per utterance, the best of `rounds` passes over all of them."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for text in texts:
            model.hear(text)
        best = min(best, time.process_time() - start)
    return 1e6 * best / len(texts)


def main(verbose: bool, language: str = "en-GB") -> int:
    """Print the figures for one language's vocabulary and corpus; exit 1 if a target is missed."""
    suffix = "" if language == "en-GB" else f".{language}"
    model = RiskModel.from_file(ROOT / "flows" / f"risk{suffix}.yaml")
    corpus = rows(ROOT / "bench" / f"risk_corpus{suffix}.csv")
    never_tuned = NEVER_TUNED if language == "en-GB" else ("heldout_pl",)  # the Polish corpus's own
    ok = report(model, corpus, "whole corpus", verbose)
    ok &= report(model, [c for c in corpus if c["split"] not in never_tuned], "tuned on", verbose=False)
    if language == "en-GB":  # its figures only: the targets are the whole tuned part's
        report(model, [c for c in corpus if c["split"] == LATEST], f"{LATEST} (tuned on in the latest round)", False)
    for split in never_tuned:
        ok &= report(model, [c for c in corpus if c["split"] == split], f"{split} (never tuned on)", verbose=False)
    practice_said = [row[k] for name in ("gp_match_cases.csv", "gp_match_cases_late.csv")
                     for row in rows(ROOT / "bench" / name) for k in ("said", "said_again") if row[k]]
    practices = rows(ROOT / "data" / "gp-practices-derby-derbyshire.csv")
    directory = [f"{x.name}, {x.place}" for x in map(listing, practices)]
    caught = [(said, found.category) for said in practice_said + directory if (found := model.hear(said))]
    print(f"\npractice answers and directory names taken for risk: {len(caught)}/{len(practice_said) + len(directory)}")
    for said, category in caught:
        print(f"    AS {category}: {said!r}")
    texts = [c["text"] for c in corpus] + practice_said
    print(f"CPU per utterance: {timing(model, texts):.1f} µs (mean over {len(texts)} utterances, best of 20 passes)")
    return 0 if ok else 1


if __name__ == "__main__":
    arguments = sys.argv[1:]
    language = arguments[arguments.index("--language") + 1] if "--language" in arguments else "en-GB"
    sys.exit(main("-v" in arguments, language))
