"""What becomes of an existing patient's recorded message, for each message in the risk corpus and in
bench/risk_messages18.csv: `python bench/risk_messages.py [--csv FILE] [--split SPLIT]`.

A message's transcript is heard after the call (ivr/voice/transcription.py): the risk model hearing risk in it marks
the enquiry urgent; failing that, a word of flows/risk.yaml's `to_check:` marks it to check, listened to next after
the urgent ones; otherwise it waits its turn. For each message (question `message`) this prints which of the three it
gets, per expected category and, for those that are not risk, per form; and, for the messages that are risk, how many
have a word to check whatever the model heard ("the words alone": what the mark catches of what any model misses).
Figures only, never the messages, so a part kept blind stays so.

bench/risk_messages18.csv: 120 whole voicemails as a transcript has them (60 disclosures, 60 not risk: 12 denials, 8
past, 8 someone else's, 4 suppositions, 28 ordinary, many with risk-like words), written on 2026-12-07 by an eleventh
writer who had read only the line's prompts and the service page, after flows/risk.yaml's `to_check:` list was
written; run once, never tuned on (docs/risk-model.md, "Messages to check").
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.risk_phrases import rows  # noqa: E402
from ivr.callflow.flowbook import FlowBook  # noqa: E402
from ivr.callflow.line import load_book  # noqa: E402
from ivr.voice.transcription import heard_in, to_check  # noqa: E402

OUTCOMES = ("urgent", "to check", "neither")


def main(arguments: list[str]) -> int:
    paths = [Path(arguments[arguments.index("--csv") + 1])] if "--csv" in arguments else [
        ROOT / "bench" / "risk_corpus.csv", ROOT / "bench" / "risk_messages18.csv"]
    split = arguments[arguments.index("--split") + 1] if "--split" in arguments else None
    book = load_book(str(ROOT / "flows"))
    for path in paths:
        report(book, path, split)
    return 0


def report(book: FlowBook, path: Path, split: str | None) -> None:
    cases = [c for c in rows(path) if c["question"] == "message" and (split is None or c["split"] == split)]
    tally: dict[str, Counter] = {}
    words_alone = Counter()
    for case in cases:
        risk = case["expected"] != "none"
        words = bool(to_check(book, case["text"]))
        outcome = "urgent" if heard_in(book, case["text"]) else "to check" if words else "neither"
        tally.setdefault(case["expected"] if risk else f"none ({case['form']})", Counter())[outcome] += 1
        words_alone[risk, words] += 1
    print(f"{path.name}{f', {split}' if split else ''}: {len(cases)} recorded messages; what each becomes:")
    print(f"  {'':24}" + "".join(f"{name:>12}" for name in OUTCOMES))
    for group in sorted(tally, key=lambda g: (g.startswith("none"), g)):
        counts = tally[group]
        print(f"  {group:24}" + "".join(f"{counts[name]:>12}" for name in OUTCOMES) + f"   of {sum(counts.values())}")
    risk = sum((tally[g] for g in tally if not g.startswith("none")), Counter())
    ordinary = sum((tally[g] for g in tally if g.startswith("none")), Counter())
    at_risk, not_risk = sum(risk.values()), sum(ordinary.values())
    print(f"risk: urgent {risk['urgent']}/{at_risk}; urgent or to check {risk['urgent'] + risk['to check']}/{at_risk}; "
          f"a word to check, whatever the model heard {words_alone[True, True]}/{at_risk}")
    print(f"not risk: urgent {ordinary['urgent']}/{not_risk}; to check {ordinary['to check']}/{not_risk}; "
          f"a word to check, whatever the model heard {words_alone[False, True]}/{not_risk}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
