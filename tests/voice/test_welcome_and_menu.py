"""A signed call hears who we are, the crisis routes and the menu, all in British English."""

from tests.support.line import AUTH_TOKEN


def test_welcome_gives_crisis_routes_before_the_menu(phone):
    call = phone()
    said = call.said
    assert "Derby and Derbyshire" in said
    for number in ("9 9 9", "1 1 1", "option 2", "oh 8 oh oh, oh 2 8, oh oh 7 7", "1 1 6, 1 2 3"):
        assert number in said
    assert said.index("9 9 9") < said.index("To refer yourself, press 2")
    assert call.waiting_for.tag == "Gather"


def test_every_say_and_gather_is_british_english(phone):
    call = phone().press("1").press("1").press("2").press("4").press("2")
    for response in call.responses:
        for say in response.iter("Say"):
            if say.text == "Po polsku, naciśnij 5.":  # the offer of Polish, in its own voice (test_languages.py)
                continue
            assert say.get("language") == "en-GB"
            assert say.get("voice") == "Polly.Amy-Neural"
        for gather in response.iter("Gather"):
            assert gather.get("language") == "en-GB"
            assert gather.get("input") == "dtmf speech"
            assert gather.get("hints")


def test_menu_understands_speech(phone):
    assert "short, structured talking therapy" in phone().say("information please").said
    assert "date of birth" in phone().say("I'd like to refer myself").said
    assert "reference number" in phone().say("I'm an existing patient").said


def test_star_repeats_the_question_and_zero_returns_to_the_menu(phone):
    call = phone().press("1")
    section = call.said
    assert call.press("*").said == section
    assert "press 0 again" in call.press("0").said and not call.said.startswith("Sorry")
    assert "To refer yourself, press 2" in call.press("0").said
    assert "To refer yourself, press 2" in call.press("4").said


def test_information_line_walks_every_section_and_back_to_the_menu(phone):
    call = phone().press("1")
    sections = [call.said]
    for _ in range(4):
        sections.append(call.press("1").said)
    spoken = " ".join(sections)
    for fact in (
        "short, structured talking therapy",
        "grief and loss",
        "communicate better",
        "secure video call",
        "16 or over and registered with a GP in Derby or Derbyshire",
    ):
        assert fact in spoken
    assert "That's everything about I P T" in sections[-1]
    assert "To refer yourself, press 2" in call.press("4").said
    assert not call.ended


def test_information_section_can_be_repeated_or_lead_to_a_referral(phone):
    call = phone().press("1").press("1")
    section = call.said
    assert call.press("2").said == section
    assert "date of birth" in call.press("3").said


def test_silent_caller_is_released_after_three_prompts(phone):
    call = phone()
    prompts = 1
    while not call.ended:
        call.silence()
        prompts += 0 if call.ended else 1
    assert prompts == 3
    assert "other ways" not in call.said  # the goodbye is kind, and says how else to refer:
    assert "refer yourself through our website" in call.said
    assert "9 9 9" in call.said
    assert call.responses[-1][-1].tag == "Hangup"


def test_escalating_reprompts(phone):
    call = phone().silence()
    assert call.said.startswith("Sorry, I didn't hear anything.")
    assert "Press 1 to hear about I P T" in call.said
    call.say("purple elephants")  # no option (and every key from 1 to 7 is one: 5 is Polish)
    assert call.said.startswith("Sorry, I didn't catch that.")
    assert "Or just say what you'd like" in call.said
    assert "press star to hear this again" in call.said


def test_random_keys_never_hear_an_error(phone):
    import random

    rng = random.Random(20261126)
    for _ in range(5):
        call = phone()
        for _ in range(60):
            if call.ended:
                break
            if call.waiting_for.tag == "Record":
                call.record()
            elif call.waiting_for.tag == "Dial":  # put through to reception ("speak to someone", in hours)
                call.dial_ends("no-answer")
            else:
                call.press("".join(rng.choice("0123456789*#") for _ in range(rng.randint(1, 9))))
            assert "wrong on our side" not in call.said
        assert all(response.tag == "Response" for response in call.responses)


def test_unsigned_and_forged_requests_get_403_and_store_nothing(app, client):
    from twilio.request_validator import RequestValidator

    from ivr.models import Call

    form = {"CallSid": "CAforged", "From": "+447700900123"}
    url = "http://localhost/voice/incoming"
    forged = RequestValidator("not-the-token").compute_signature(url, form)
    for path in ("/voice/incoming", "/voice/answer?seq=1", "/voice/status"):
        assert client.post(path, data=form).status_code == 403
        assert client.post(path, data=form, headers={"X-Twilio-Signature": forged}).status_code == 403
    # A genuine signature for other parameters does not carry over.
    genuine = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
    tampered = {**form, "Digits": "2"}
    assert client.post("/voice/incoming", data=tampered, headers={"X-Twilio-Signature": genuine}).status_code == 403
    with app.app_context():
        assert Call.query.count() == 0
