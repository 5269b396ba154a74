"""How the risk model hears risk, and what it takes for risk by mistake: `python bench/risk_phrases.py [-v]`.

Run through the same model a call uses (ivr/callflow/risk, flows/risk.yaml):
- bench/risk_corpus.csv: 3,383 utterances, each labelled with the category a clinician would hear in it (or
  `none`), the question it is said at (an answer at `yes_no`, the safety question, is heard as the line hears
  it there), its form (direct, indirect, negated, past, other_person, hypothetical, misheard, hedged,
  ordinary), the source that informed it, and its split: `tune` (the vocabulary was adjusted until these pass),
  `held_out_1` to `held_out_5`, `held_out_8` and `held_out_9` (each held out for one round's first run, whose
  figures are in docs/risk-model.md, then tuned on; `held_out_8` and `held_out_9`, 150 utterances each, were
  written blind, by someone who had not seen flows/risk.yaml or this corpus, and question `confirm` stands for
  any ordinary yes/no question there), `heldout7` (166, written before the cue tier) and `heldout10` (172,
  written blind), never tuned on until round 10 tuned on both, and `heldout11` (172, written blind by a new
  writer, 2026-12-07), run once on rounds 9 and 10 and then tuned on in round 11 (docs/risk-model.md, "The
  fourth blind part" and "Round 11"), and `heldout12` (173, written blind by a fifth writer, 2026-12-07, for
  callers the earlier parts had few of), run once on rounds 9, 10 and 11 and then tuned on in round 12 ("The
  fifth blind part" and "Round 12"), and `heldout13` (173, written blind by a sixth writer, 2026-12-07, for callers
  who talk around it: men in trades, debt, drink, prison, pain, carers, English as a second language, the bereaved
  by suicide), run once on rounds 11 and 12 before anyone working on the model read it, then tuned on in round 13
  ("The sixth blind part" and "Round 13"), and `heldout14` (173, written blind by a seventh writer, 2026-12-07, for
  Derby and Derbyshire voices: East Midlands dialect, Peak District farmers, new parents, students, ex-forces, shift
  workers, voices and psychosis, autistic, drunk or terse callers, English as a second language, a learning
  disability), run once on rounds 12 and 13 before anyone working on the model read it, then tuned on in round 14
  ("The seventh blind part" and "Round 14"), and `heldout15` (173, written blind by an eighth writer, 2026-12-07,
  for everyday Derby and Derbyshire callers: care, retail and gig workers, parents and grandparents, faith and family
  honour, long-term illness, pregnancy loss, coercive control spoken in code, temporary housing, callers who
  apologise, minimise or joke), run once on rounds 12, 13 and 14 before anyone working on the model read it, then
  tuned on in round 15 ("The eighth blind part" and "Round 15"), and `heldout16` (173, written blind by a ninth
  writer, 2026-12-07, for callers the earlier parts had few of: words as the recogniser delivers them, older and
  isolated callers, men who would never say "suicide", young people's slang, Derby's South Asian and Eastern European
  callers, LGBTQ+ callers, prison leavers, gambling debt, chronic pain, eating disorders, calm callers speaking in
  metaphor, callers testing the line), run once on rounds 14 and 15 before anyone working on the model read it, then
  tuned on in round 16 ("The ninth blind part" and "Round 16"). A split in NEVER_TUNED is one written before the
  model was run on it and never tuned on, reported apart: `heldout17` (173, written blind by a tenth writer,
  2026-12-07: refugees and asylum seekers speaking English as a new language, Roma and Irish Travellers, people in
  recovery, public-sector workers ashamed to call, callers ringing from A&E, a ward, a hostel or a police cell
  release, students and sixteen-year-olds, separated fathers, men after redundancy, callers after a diagnosis, a sex
  worker, hard-of-hearing and formal callers, callers who give the practical answer first and the disclosure last,
  and badly garbled transcripts), run once on rounds 14, 15 and 16 before anyone working on the model read it ("The
  tenth blind part"). LATEST is the part the latest round tuned on, printed apart.
  Sources: the C-SSRS screener's questions (Posner et al., 2011), NICE NG225 (self-harm), the Samaritans
  media guidelines (the words people use about suicide), issue 23's own examples, IPT's four areas (grief,
  disputes, role transitions, isolation) for ordinary answers, the previous bench's cases, and slips of the
  kind a speech recogniser makes (asr), and ordinary answers, denials and other people's risk written to try
  the cue tier's concepts and each round's families of wording (probe, round9-probe, round10-probe,
  round11-probe, round12-probe, round13-probe, round14-probe, round15-probe, round16-probe), and answers a
  tester said on the phone that the line missed (walk);
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
NEVER_TUNED: tuple[str, ...] = ("heldout17",)  # splits written before the model was run on them, never tuned on
LATEST = "heldout16"  # the part the latest round tuned on (docs/risk-model.md, "Round 16")


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
