"""`flask prompts check` lists every setting and prompt marked TO CONFIRM for the service, every time it runs."""

from tests.tools.test_flow_tools import PROMPTS, copy_of, rewrite

SHIPPED = [
    "settings.yaml numbers.crisis_helpline: 0800 028 0077",
    "settings.yaml numbers.reception: 0300 790 0265",
    "settings.yaml numbers.team: 0300 123 0542",
    "settings.yaml website: talking mental health derbyshire dot NHS dot UK",
    "settings.yaml privacy: We keep your answers for our team only.",
    'settings.yaml opening_hours: monday: "09:00-17:00" tuesday: "09:00-17:00"',
    'settings.yaml interpreting: provider_number: "" access_code: ""',
    "en-GB.yaml referral.priority: ask: Are you pregnant or have a baby under one, or are you a veteran?",
    "en-GB.yaml referral.urgent: ask: Are you having thoughts of harming yourself, or do you feel unsafe?",
]


def test_the_check_lists_what_the_service_must_confirm_and_still_passes(runner):
    result = runner.invoke(args=["prompts", "check"])

    assert result.exit_code == 0, result.output  # to confirm is not a problem: listed, not failed
    assert f"For the service to confirm before go-live ({len(SHIPPED)} marked TO CONFIRM):" in result.output
    for item in SHIPPED:
        assert f"  {item}" in result.output
    assert "(TO CONFIRM by the service's information governance lead: one sentence on what is kept" in result.output


def test_a_new_mark_is_listed_and_a_confirmed_one_no_longer(app, runner, tmp_path):
    prompts = copy_of(PROMPTS, tmp_path)
    rewrite(prompts / "settings.yaml", '  samaritans: "116 123"',
            '  # TO CONFIRM by the service: Samaritans still free from every network.\n  samaritans: "116 123"')
    rewrite(prompts / "en-GB.yaml", "  # TO CONFIRM by the service: the wording of the urgency question.\n", "")
    rewrite(prompts / "en-GB.yaml", "  help_now: For help now, press 9.",
            "  # TO CONFIRM by the service: key 9.\n  help_now: For help now, press 9.")
    app.config["PROMPTS_DIR"] = str(prompts)

    output = runner.invoke(args=["prompts", "check"]).output

    assert "settings.yaml numbers.samaritans: 116 123\n    (TO CONFIRM by the service: Samaritans still free" in output
    assert "en-GB.yaml menu.help_now: For help now, press 9.\n    (TO CONFIRM by the service: key 9.)" in output
    assert "referral.urgent" not in output
    assert "(10 marked TO CONFIRM)" in output
