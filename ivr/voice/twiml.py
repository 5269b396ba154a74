"""Turn the engine's actions into TwiML, through twilio's VoiceResponse."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from twilio.twiml.voice_response import Gather, VoiceResponse

from ivr.callflow.actions import Action, Ask, Dial, Hangup, Say
from ivr.callflow.prompts import Prompts


def render(actions: Iterable[Action], prompts: Prompts, values: dict[str, Any], answer_url: str) -> str:
    """The TwiML for one turn; answers (and silence) come back to answer_url."""
    response = VoiceResponse()

    def say(target, prompt: Say) -> None:
        text = prompts.text(prompt.keys, {**values, **prompt.params})
        if text:
            target.say(text, voice=prompts.voice, language=prompts.language)

    for action in actions:
        if isinstance(action, Say):
            say(response, action)
        elif isinstance(action, Ask) and action.record:
            for prompt in action.prompts:
                say(response, prompt)
            response.record(
                action=answer_url, method="POST", max_length=action.max_length,
                finish_on_key="#", play_beep=True, timeout=6, trim="trim-silence",
            )
            response.redirect(answer_url, method="POST")  # nothing recorded
        elif isinstance(action, Ask):
            gather = Gather(
                input="dtmf speech", language=prompts.language, hints=action.hints or None,
                action=answer_url, method="POST", timeout=action.timeout,
                speech_model=prompts.speech_model, speech_timeout=prompts.speech_timeout,
                num_digits=action.digits, finish_on_key="#",
                action_on_empty_result=False, profanity_filter=False,
            )
            for prompt in action.prompts:
                say(gather, prompt)
            response.append(gather)
            response.redirect(answer_url, method="POST")  # nothing heard: falls through to here
        elif isinstance(action, Dial):
            # Twilio requests the action URL with DialCallStatus when the dialled call ends; nothing after runs.
            response.dial(prompts.dial_number(action.number), action=answer_url, method="POST", timeout=action.timeout)
        elif isinstance(action, Hangup):
            response.hangup()
    return str(response)


def apology(prompts: Prompts) -> str:
    """What a caller hears when something went wrong on our side: sorry, the other ways, goodbye."""
    response = VoiceResponse()
    for key in ("common.sorry", "common.other_ways", "crisis.routes", "common.goodbye"):
        if prompts.has(key):
            response.say(prompts.text((key,)), voice=prompts.voice, language=prompts.language)
    response.hangup()
    return str(response)
