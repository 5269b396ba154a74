"""Estimated length of the referral happy path: `python bench/call_length.py` prints it step by step.

Words of the prompts actually spoken (facts and typical answers filled in) at 150 words a minute, plus
the caller's answering time: 3 s a key, 4 s a short spoken answer, 8 s a date, number, name or practice.
Two variants: keypad (keys wherever the question takes them) and speech (every answer said aloud).
The path is the one `flask --app wsgi flows timing` calls the referral happy path (see ivr/tools/timing.py).
Target: within 3:35 (issue 24's 3:15, 5 s for the languages' offer, issue 26, and 15 s for the NHS number and
priority questions, issue 25), with or without the text offer, crisis, privacy and communication sentences included.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ivr.callflow.line import load_line  # noqa: E402
from ivr.tools.timing import TARGET_SECONDS, all_timings, minutes, over_target, referral_happy_path  # noqa: E402


def main() -> int:
    """Print the referral happy path's timing; exit 1 if it is over the target."""
    line = load_line(str(ROOT / "flows"), str(ROOT / "prompts"))
    timings = all_timings(line.book, line.prompts)
    happy, texted = referral_happy_path(timings), referral_happy_path(timings, texted=True)
    print(f"{'step':38} {'line':>6} {'keypad':>7} {'speech':>7}")
    for stop in happy.stops:
        print(f"{stop.step:38} {stop.spoken:5.1f}s {stop.keypad:6.1f}s {stop.speech:6.1f}s")
    print(f"{'total':38} {happy.spoken_seconds:5.1f}s {happy.keypad_seconds:6.1f}s {happy.speech_seconds:6.1f}s")
    print()
    own_keypad, own_speech = happy.since("referral")
    for variant, total, own in (("keypad", happy.keypad_total, own_keypad),
                                ("speech", happy.speech_total, own_speech)):
        verdict = "within" if total <= TARGET_SECONDS else "OVER"
        print(f"{variant}: {minutes(total)} for the whole call ({verdict} the {minutes(TARGET_SECONDS)} target), "
              f"{minutes(own)} from the referral's first words; {happy.questions} questions")
    print(f"with the text offer: {minutes(texted.keypad_total)} by keypad, {minutes(texted.speech_total)} by voice")
    over = over_target(timings)
    for path in over:
        print(f"OVER the target: {path}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
