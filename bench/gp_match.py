"""Benchmark of GP practice matching: `python bench/gp_match.py [cases.csv ...] [-v]` prints the figures.

Each case is what a caller said, what they would say on a second try, and the practice they meant (or
OUT for a practice outside Derby and Derbyshire). The call is simulated as the line runs it: one clear
match is read back and the caller says yes only if it is theirs; two or three are offered and the caller
picks theirs if it is there, else "none of these"; nothing matched, a wrong read-back or "none" lead to
the second try. The matcher is built from data/gp-practices-derby-derbyshire.csv exactly as the line
builds it from the imported rows. -v lists the cases that went wrong.

bench/gp_match_cases.csv was written before the matcher. bench/gp_match_cases_late.csv was written after
it, as a check on over-fitting; its first run found two out-of-area read-backs, which led to two general
rules (word matches need sound as well as spelling; a single read-back must explain nearly all that was
said), not to per-case thresholds.
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ivr.callflow.practice_match import Matcher  # noqa: E402
from ivr.callflow.practice_names import listing  # noqa: E402

PRACTICES = ROOT / "data" / "gp-practices-derby-derbyshire.csv"
CASES = ROOT / "bench" / "gp_match_cases.csv"
LATE = ROOT / "bench" / "gp_match_cases_late.csv"
OUT = "OUT"


def load(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file as dictionaries."""
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def attempt(matcher: Matcher, said: str, expected: str, timings: list[float]) -> tuple[str, list[str]]:
    """What the line offers for one utterance, and how a truthful caller answers it."""
    started = time.perf_counter()
    offered = [found.ods_code for found in matcher.match(said)]
    timings.append((time.perf_counter() - started) * 1000)
    if not offered:
        return "nothing", offered
    if len(offered) == 1:
        return ("confirmed" if offered == [expected] else "wrong read-back"), offered
    return ("picked" if expected in offered else "none of these"), offered


def run(cases: list[dict[str, str]], matcher: Matcher, verbose: bool = False) -> dict:
    """Simulate every case; count what callers would have met."""
    tally: Counter = Counter()
    timings: list[float] = []
    for case in cases:
        expected, out = case["expected"], case["expected"] == OUT
        first, offered = attempt(matcher, case["said"], expected, timings)
        tally["in-area" if not out else "out-of-area"] += 1
        results = [(first, offered)]
        if first not in {"confirmed", "picked"}:
            results.append(attempt(matcher, case["said_again"], expected, timings))
        if out:
            tally["out: read back alone"] += sum(len(o) == 1 for _, o in results)
            tally["out: offered in a list"] += sum(len(o) > 1 for _, o in results)
            tally["out: nothing both times"] += all(not o for _, o in results)
        else:
            tally["top-1"] += bool(offered) and offered[0] == expected
            tally["right at once"] += first in {"confirmed", "picked"}
            tally["right within two"] += results[-1][0] in {"confirmed", "picked"}
            tally["wrong read-backs"] += sum(r == "wrong read-back" for r, _ in results)
            tally["lists offered"] += sum(r in {"picked", "none of these"} for r, _ in results)
        failed = (not out and results[-1][0] not in {"confirmed", "picked"}) or any(
            r == "wrong read-back" or (out and len(o) == 1) for r, o in results
        )
        if verbose and failed:
            print(f"  {expected:7} {case['said']!r} -> {results[0]}; {case['said_again']!r} -> {results[1:]}")
    tally["timings"] = timings
    return tally


def report(tally: dict) -> None:
    """Print the figures as a short table."""
    inside, outside = tally["in-area"], tally["out-of-area"]
    timings = tally["timings"]

    def share(n: int, of: int) -> str:
        return f"{n:>4} / {of:<4} {100 * n / of:6.1f}%" if of else "   -"

    rows = [
        ("In-area cases", f"{inside:>4}", ""),
        ("Top-1 on the first attempt", share(tally["top-1"], inside), ""),
        ("Right on the first attempt", share(tally["right at once"], inside), "(read back or picked)"),
        ("Right within two attempts", share(tally["right within two"], inside), "target >= 95%"),
        ("Wrong practice read back alone", f"{tally['wrong read-backs']:>4}", "attempts; target 0"),
        ("Lists of choices offered", f"{tally['lists offered']:>4}", "attempts"),
        ("Out-of-area cases", f"{outside:>4}", ""),
        ("Out-of-area read back alone", f"{tally['out: read back alone']:>4}", "could be confirmed; target 0"),
        ("Out-of-area offered in a list", f"{tally['out: offered in a list']:>4}", "attempts"),
        ("Out-of-area: nothing both times", share(tally["out: nothing both times"], outside), ""),
        ("Mean match time", f"{statistics.mean(timings):7.2f} ms", f"max {max(timings):.2f} ms"),
    ]
    width = max(len(name) for name, _, _ in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:<20} {note}")


def main(argv: list[str]) -> None:
    """Run the benchmark over the case files given, or both of ours."""
    paths = [Path(a) for a in argv if not a.startswith("-")] or [CASES, LATE]
    matcher = Matcher([listing(row) for row in load(PRACTICES) if row["status"] == "ACTIVE"])
    for path in paths:
        print(f"\n{path.name}")
        report(run(load(path), matcher, verbose="-v" in argv))


if __name__ == "__main__":
    main(sys.argv[1:])
