"""`flask flows map`, `flask flows timing` and `flask prompts check`, on the shipped flows and broken copies."""

import shutil
import xml.etree.ElementTree as ET

import yaml

from ivr.callflow.line import load_line
from ivr.tools.flowmap import flow_map_svg
from ivr.tools.offer_timing import TO_OFFER_AT_MOST, to_the_offer
from ivr.tools.timing import TARGET_SECONDS, all_timings, minutes, over_target, referral_happy_path
from tests.support.line import FLOWS

PROMPTS = FLOWS.parent / "prompts"
SVG = "{http://www.w3.org/2000/svg}"


def copy_of(directory, tmp_path):
    return shutil.copytree(directory, tmp_path / directory.name)


def rewrite(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def brief(prompts: dict) -> dict:
    """The same prompt keys, each just a few words long."""
    return {key: brief(value) if isinstance(value, dict) else "Press 1." for key, value in prompts.items()}


def test_the_map_is_an_svg_naming_every_step_and_its_exits(runner, tmp_path):
    output = tmp_path / "flows.svg"
    result = runner.invoke(args=["flows", "map", "--output", str(output)])

    assert result.exit_code == 0, result.output
    svg = ET.parse(output).getroot()
    assert svg.tag == f"{SVG}svg"
    titles = {title.text for title in svg.iter(f"{SVG}title")}
    texts = " ".join(text.text or "" for text in svg.iter(f"{SVG}text"))
    for step in load_line(str(FLOWS), str(PROMPTS)).book.steps:
        assert step in titles
        assert step.split(".", 1)[1] in texts
    assert "referral.practice->referral.registered_here" in titles  # practice not found twice
    assert "main.menu->referral.start" in titles  # into another flow
    assert "after 2 misses" in texts and "2: refer" in texts and "hangs up" in texts


def test_flow_map_svg_is_there_for_the_dashboard(app):
    svg = flow_map_svg(app.extensions["ivr_line"].book)

    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg


def test_timing_lists_every_ending_and_the_referral_happy_path(runner):
    result = runner.invoke(args=["flows", "timing"])

    assert result.exit_code == 0, result.output
    for ending in ("referral.next_steps", "referral.under_16", "referral.out_of_area", "enquiry.submitted"):
        assert f"Ending at {ending}:" in result.output
    line = load_line(str(FLOWS), str(PROMPTS))
    happy = referral_happy_path(all_timings(line.book, line.prompts))
    assert f"Referral happy path: {minutes(happy.keypad_total)} by keypad" in result.output
    assert f"by voice, {happy.questions} questions" in result.output
    # The quickest clean referral: practice found first time, the caller's own number, not urgent.
    assert "practice one" in happy.description and "callback_offer yes" in happy.description
    assert "communication no" in happy.description and "urgent no" in happy.description
    assert happy.keypad_total < happy.speech_total


def test_the_shipped_referral_happy_path_is_within_its_target():
    line = load_line(str(FLOWS), str(PROMPTS))
    timings = all_timings(line.book, line.prompts)
    happy, texted = referral_happy_path(timings), referral_happy_path(timings, texted=True)

    assert max(happy.keypad_total, happy.speech_total) <= TARGET_SECONDS
    assert texted.speech_total > happy.speech_total  # the text offer is a question more
    assert over_target(timings) == []


def test_every_way_into_the_put_through_offer_reaches_press_1_within_15_seconds(runner):
    line = load_line(str(FLOWS), str(PROMPTS))
    offer = to_the_offer(line.book, line.prompts)

    ways_in = {"crisis.now", "crisis.acting_now", "crisis.intent", "crisis.harm_from_others", "crisis.harm_to_others",
               "referral.urgent_help", "referral.urgent_unsure", "referral.urgent_no_answer"}
    assert ways_in <= set(offer) and max(offer.values()) <= TO_OFFER_AT_MOST
    assert "From a disclosure (or key 9) to \"press 1\"" in runner.invoke(args=["flows", "timing"]).output


def test_timing_warns_and_strict_fails_only_over_the_target(app, runner, tmp_path):
    prompts = copy_of(PROMPTS, tmp_path)
    text = (prompts / "en-GB.yaml").read_text(encoding="utf-8")
    crisis = "Samaritans are on {samaritans}, any time."
    assert crisis in text
    (prompts / "en-GB.yaml").write_text(text.replace(crisis, crisis + " Thank you." * 60), encoding="utf-8")
    app.config["PROMPTS_DIR"] = str(prompts)

    slow = runner.invoke(args=["flows", "timing", "--strict"])
    assert slow.exit_code == 1
    assert "Warning: the referral happy path is over the 3:35 target: the happy path by keypad" in slow.output

    (prompts / "en-GB.yaml").write_text(yaml.safe_dump(brief(yaml.safe_load(text))), encoding="utf-8")
    quick = runner.invoke(args=["flows", "timing", "--strict"])
    assert "Warning" not in quick.output
    assert quick.exit_code == 0, quick.output


def test_the_shipped_prompts_pass_the_check(runner):
    result = runner.invoke(args=["prompts", "check"])

    assert result.exit_code == 0, result.output
    assert "The prompts are fine" in result.output


def test_the_check_names_each_problem_in_a_broken_copy(app, runner, tmp_path):
    prompts, flows = copy_of(PROMPTS, tmp_path), copy_of(FLOWS, tmp_path)
    (prompts / "pl-PL.yaml").unlink(missing_ok=True)  # English's problems only: not Polish's differences from them
    english = prompts / "en-GB.yaml"
    rewrite(english, "  no_match: Sorry, I didn't catch that.",
            "  no_match: Sorry, I didn't catch that.\n  no_mtach: Sorry.")
    rewrite(english, "ask: Are you having thoughts of harming yourself, or do you feel unsafe?",
            "ask: Do you need urgent help today, or would you like us to call you on 07700900123 or at any "
            "other time that suits you and your family and your work? Press 1 for yes, or 2 for no.")
    rewrite(english, "    ask: What's your full name?\n", "")
    rewrite(english, "Existing patients, press 3.",
            "Existing patients, press 3. For the website, press 5.")
    rewrite(prompts / "settings.yaml", 'samaritans: "116 123"', 'samaritans: "116123"')
    rewrite(flows / "main.yaml", '      "4": {words: "options', '      "5": {words: "website", next: menu}\n'
            '      "4": {words: "options')
    app.config.update(PROMPTS_DIR=str(prompts), FLOWS_DIR=str(flows))

    result = runner.invoke(args=["prompts", "check"])

    assert result.exit_code == 1
    problems = result.output
    assert "common.no_mtach: unused" in problems
    assert "referral.urgent.ask: a sentence of 30 words (at most 25)" in problems
    assert "referral.urgent.ask: “07700900123” is read out as one number" in problems
    assert "referral.name.ask: missing: step referral.name speaks it" in problems
    assert "menu.ask: step main.menu offers 5 options (at most 4" in problems
    assert "settings.yaml numbers.samaritans: “116123” has a group of more than four digits" in problems
    assert "6 problem(s)" in problems
