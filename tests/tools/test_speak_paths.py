"""`flask flows timing` and the flow map include "speak to someone": put through, not answered, out of hours."""

from __future__ import annotations

from ivr.tools.flowmap import flow_map_svg


def test_timing_lists_the_ways_through_speak_to_someone(runner):
    result = runner.invoke(args=["flows", "timing"])

    assert result.exit_code == 0, result.output
    out = result.output
    assert "Ending at speak.after_call:" in out and "menu 8, start open, who none, put_through connected" in out
    assert "menu 8, start open, who asked, put_through_interpreter connected" in out  # an interpreter asked for
    assert "Ending at speak.other_ways:" in out and "put_through not_connected, not_answered 3" in out
    assert "menu 8, start closed" in out  # out of hours: the opening hours, then back to the menu
    assert "In office hours, with the offer to speak to someone:" in out


def test_an_unanswered_transfer_counts_its_ringing_time(runner):
    lines = runner.invoke(args=["flows", "timing"]).output.splitlines()
    answered = next(line for line in lines if "menu 8, start open, who none, put_through connected" in line)
    unanswered = next(line for line in lines if "not_answered 3" in line)
    seconds = [sum(int(part) * 60 ** i for i, part in enumerate(reversed(line.split()[0].split(":"))))
               for line in (answered, unanswered)]
    assert seconds[1] - seconds[0] >= 30  # it rang for the dial step's 30 s before "nobody could answer"


def test_the_map_shows_speak_to_someone(app):
    svg = flow_map_svg(app.extensions["ivr_line"].book)
    for text in ("speak.start", "decides: office_hours", "speak.put_through", "puts the caller through to: reception",
                 "speak.not_answered", "speak.closed", "8: speak to someone", "offered when office_hours.open"):
        assert text in svg, text
