"""How the risk phrases catch risk, and what they catch by mistake: `python bench/risk_phrases.py [-v]`.

Three sets of what callers say, run through the same matcher a call uses (flows/risk-phrases.yaml):
- bench/risk_cases.csv: risk said plainly, risk as a recogniser might mishear it, and ordinary answers
  chosen because they come close ("I'm not sure", "killing time", "dying to get started");
- every utterance of the GP practice benchmark (bench/gp_match_cases*.csv: what callers say at the
  practice question, slips and all), none of which is risk;
- every practice's name and place from the directory, as a caller might say them.
A risk case missed is a failure; an ordinary one caught costs that caller a few seconds at the crisis
routes, and is reported with its phrase so a clinician can judge. -v lists every miss and catch.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ivr.callflow.flowbook import read_yaml  # noqa: E402
from ivr.callflow.practice_names import listing  # noqa: E402
from ivr.callflow.risk.phrases import RiskPhrases  # noqa: E402


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def main(verbose: bool) -> int:
    """Print the figures; exit 1 if any risk case is missed."""
    risk = RiskPhrases.from_data(read_yaml(ROOT / "flows" / "risk-phrases.yaml"))
    cases = rows(ROOT / "bench" / "risk_cases.csv")
    missed, wrong, caught = [], [], []
    for case in cases:
        found = risk.reason(case["said"]) or "none"
        if case["expected"] != "none" and found == "none":
            missed.append(case)
        elif case["expected"] == "none" and found != "none":
            caught.append((case["said"], found))
        elif found != case["expected"]:
            wrong.append((case, found))
    ordinary = [c["said"] for c in cases if c["expected"] == "none"]
    practice_said = [row[k] for name in ("gp_match_cases.csv", "gp_match_cases_late.csv")
                     for row in rows(ROOT / "bench" / name) for k in ("said", "said_again") if row[k]]
    practices = [row for row in rows(ROOT / "data" / "gp-practices-derby-derbyshire.csv")]
    directory = [f"{x.name}, {x.place}" for x in map(listing, practices)]
    caught_practice = [(said, risk.reason(said)) for said in practice_said + directory if risk.reason(said)]
    for kind in ("plain", "slip"):
        of_kind = [c for c in cases if c["kind"] == kind]
        heard = sum(1 for c in of_kind if c not in missed)
        print(f"risk said {kind:5}: {heard}/{len(of_kind)} heard")
    print(f"ordinary answers close to risk: {len(caught)}/{len(ordinary)} taken for risk")
    print(f"practice answers and directory names: {len(caught_practice)}/{len(practice_said) + len(directory)} "
          "taken for risk")
    if verbose or missed or wrong:
        for case in missed:
            print(f"  MISSED  {case['said']!r} ({case['expected']})")
        for case, found in wrong:
            print(f"  AS {found}: {case['said']!r} (expected {case['expected']})")
    if verbose:
        for said, found in caught + caught_practice:
            print(f"  caught as {found}: {said!r}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main("-v" in sys.argv))
