"""What the caller hears next, after each utterance of the risk corpus said at its question:
`python bench/risk_replies.py [--csv FILE] [--split SPLIT]`.

bench/risk_phrases.py says what the risk model hears; this says what the line does with it, through the same engine
a call uses (no Flask, no database; the directory's practices). Each utterance is said once at its question's step
(a call walked there with the shared caller's answers, ivr/tools/caller.py), and the very next reply is one of:
- routes: the crisis routes or the help-now options (a step of flows/crisis.yaml): the disclosure was heard;
- help offer: "If you need help right now, press 9", not flagged: after a sentence the question could not read
  (ivr/callflow/asides.py::unread_sentence) or a short answer said with a sentence besides (more_than_an_answer),
  (at the menu, first, in place of its own "For help now, press 9"), or the menu again after a short slip, with
  its own "For help now, press 9";
- asked again: only the question again;
- taken: read as an answer, and the call went on.
Printed per expected category (risk rows) and for the ordinary answers (`none`), with how many of the replies that are
not the routes keep words to check for staff: the sentence the offer followed has a word of flows/risk.yaml's
`to_check:` (ivr/callflow/urgency.py::note_besides), so its referral comes next after the urgent ones, or, if the call
ends before anything kept it, it is a safety follow-up. Recorded messages (question `message`) are left out: a
recording's transcript is heard apart from the questions.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.risk_phrases import rows  # noqa: E402
from ivr.callflow.actions import Ask, Hangup, Say, Visit  # noqa: E402
from ivr.callflow.answers import Context, Event  # noqa: E402
from ivr.callflow.engine import HELP_OFFER, advance, new_state  # noqa: E402
from ivr.callflow.line import load_line  # noqa: E402
from ivr.callflow.practice_match import Matcher  # noqa: E402
from ivr.callflow.practice_names import Choices, listing  # noqa: E402
from ivr.tools.caller import REFERRAL  # noqa: E402

# The step each of the corpus's questions is asked at ("confirm" stands for any ordinary yes/no question).
STEPS = {
    "menu": "main.menu", "date_of_birth": "referral.date_of_birth", "practice": "referral.practice",
    "name": "referral.name", "nhs_number": "referral.nhs_number", "callback": "referral.callback_key",
    "communication": "referral.communication", "best_time": "referral.best_time", "priority": "referral.priority",
    "confirm": "referral.name_confirm", "yes_no": "referral.urgent",
}
ANSWERS = {**REFERRAL, "referral.practice": "Arthur Medical Centre in Horsley Woodhouse",
           "referral.callback_offer": "2"}  # a practice the directory knows; the number keyed, to reach its question
REPLIES = ("routes", "help offer", "asked again", "taken")
CHECK = "words to check"  # of the replies that are not the routes, those that keep words to check for staff
OFFERS = {HELP_OFFER, "menu.help_now"}  # the menu offers 9 among its options, asked again too


def event(answer: str | None) -> Event:
    return Event("no_input") if answer is None else Event("digits" if answer.isdigit() else "speech", answer)


def at(line, ctx: Context, step: str) -> dict:
    """A call's state when it asks `step`, walked there with ANSWERS."""
    state, _ = advance(line.book, new_state(), Event("start"), ctx)
    for _ in range(60):
        if state["step"] == step:
            return state
        answer = ANSWERS[state["step"]]
        state, _ = advance(line.book, state, event(answer[0] if isinstance(answer, list) else answer), ctx)
    raise SystemExit(f"could not reach {step}")


def reply(actions: list, step: str) -> str:
    """Which of REPLIES a turn's actions are."""
    if any(isinstance(a, Visit) and a.step.startswith("crisis.") for a in actions):
        return "routes"
    said = [say for a in actions for say in ((a,) if isinstance(a, Say) else a.prompts if isinstance(a, Ask) else ())]
    if any(key in OFFERS for say in said for key in say.keys):
        return "help offer"
    asked = [a for a in actions if isinstance(a, Ask)]
    if asked and asked[-1].step == step and not any(isinstance(a, Hangup) for a in actions):
        return "asked again"
    return "taken"


def main(arguments: list[str]) -> int:
    path = Path(arguments[arguments.index("--csv") + 1]) if "--csv" in arguments else ROOT / "bench" / "risk_corpus.csv"
    split = arguments[arguments.index("--split") + 1] if "--split" in arguments else None
    practices = rows(ROOT / "data" / "gp-practices-derby-derbyshire.csv")
    line = load_line(str(ROOT / "flows"), str(ROOT / "prompts"),
                     practices=Choices(Matcher([listing(row) for row in practices if row["status"] == "ACTIVE"])))
    ctx = Context(today=date(2026, 12, 7), practices=line.practices, caller_number="+447700900123")
    cases = [c for c in rows(path) if c["question"] in STEPS and (split is None or c["split"] == split)]
    states = {question: at(line, ctx, step) for question, step in STEPS.items()}
    tally: dict[str, Counter] = {}
    for case in cases:
        step = STEPS[case["question"]]
        state, actions = advance(line.book, states[case["question"]], Event("speech", case["text"]), ctx)
        group = case["expected"] if case["expected"] != "none" else f"none ({case['form']})"
        replied = reply(actions, step)
        tally.setdefault(group, Counter())[replied] += 1
        if replied != "routes" and state["values"].get("said_besides_to_check"):
            tally[group][CHECK] += 1
    print(f"{path.name}{f', {split}' if split else ''}: {len(cases)} utterances said at their question "
          "(recorded messages left out); the very next reply:")
    print(f"  {'':24}" + "".join(f"{name:>12}" for name in REPLIES) + f"{CHECK:>16}")
    for group in sorted(tally, key=lambda g: (g.startswith("none"), g)):
        counts = tally[group]
        print(f"  {group:24}" + "".join(f"{counts[name]:>12}" for name in REPLIES) + f"{counts[CHECK]:>16}"
              + f"   of {sum(counts[name] for name in REPLIES)}")
    risk = sum((tally[g] for g in tally if not g.startswith("none")), Counter())
    at_risk = sum(risk[name] for name in REPLIES)
    print(f"risk said: routes {risk['routes']}/{at_risk}; routes or the help offer "
          f"{risk['routes'] + risk['help offer']}/{at_risk}; not the routes but words to check kept for staff "
          f"{risk[CHECK]}/{at_risk - risk['routes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
