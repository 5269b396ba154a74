"""Turn the engine's actions into TwiML, through twilio's VoiceResponse."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape

from twilio.twiml import TwiML
from twilio.twiml.voice_response import Gather, VoiceResponse

from ivr.callflow.actions import Action, Ask, Dial, Hangup, Say
from ivr.callflow.needs import language_for_staff
from ivr.callflow.prompts import PAUSE, PAUSE_SECONDS, Prompts
from ivr.voice.urls import transcription_url

# Every key ends a recording: Twilio's finishOnKey takes any digit, # and *
# (https://www.twilio.com/docs/voice/twiml/record#finishonkey).
ANY_KEY = "0123456789*#"
# A caller through text relay (Relay UK) answers by typing to a relay assistant, who types each prompt to them and
# speaks their reply. <Gather timeout>: how long Twilio waits for input after the nested prompts end, a positive
# integer of seconds with no maximum documented (https://www.twilio.com/docs/voice/twiml/gather#timeout); 45 s lets
# an assistant typing at Relay UK's 40 words a minute finish a prompt and the caller answer. <Record timeout>: the
# seconds of silence that end a recording (https://www.twilio.com/docs/voice/twiml/record#attributes-timeout).
RELAY_WAIT, RELAY_RECORD_SILENCE, RECORD_SILENCE = 45, 30, 6


def render(actions: Iterable[Action], prompts: Prompts, values: dict[str, Any], answer_url: str,
           others: Mapping[str, Prompts] | None = None) -> str:
    """The TwiML for one turn, in the call's language (`prompts`); answers (and silence) come back to answer_url.
    `others`: the other languages, for a prompt said in its own language (the menu's offer of each)."""
    response = VoiceResponse()

    def say(target, prompt: Say) -> None:
        # Each <Say> names its voice and language: a voice Twilio lists for the language
        # (https://www.twilio.com/docs/voice/twiml/say#language,
        # https://www.twilio.com/docs/voice/twiml/say/text-speech#available-voices-and-languages).
        words = (others or {}).get(prompt.language or "", prompts)
        text = words.text(prompt.keys, {**values, **prompt.params})
        for n, part in enumerate(text.split(PAUSE)):
            # A real silence between the numbers said slowly: <Pause>, which <Gather> nests, so a key or speech cuts
            # in during it as during the <Say>s (https://www.twilio.com/docs/voice/twiml/pause,
            # https://www.twilio.com/docs/voice/twiml/gather#nest-other-verbs).
            if n:
                target.pause(length=PAUSE_SECONDS)
            if part.strip():
                target.say(part.strip(), voice=words.voice, language=words.language)

    for action in actions:
        if isinstance(action, Say):
            say(response, action)
        elif isinstance(action, Ask) and action.record:
            for prompt in action.prompts:
                say(response, prompt)
            # A message to transcribe: Twilio posts the text to transcribeCallback when it is ready, after the call
            # (https://www.twilio.com/docs/voice/twiml/record#transcribe).
            transcribing = {"transcribe": True, "transcribe_callback": transcription_url()} if action.transcribe else {}
            # Any key ends a recording ("press any key, or hang up, when you've finished"): finishOnKey takes any
            # digit, # and * (https://www.twilio.com/docs/voice/twiml/record#finishonkey), and the action gets the key
            # as Digits: * records again, 9 is help now (ivr.callflow.engine.RECORDING_KEYS).
            response.record(
                action=answer_url, method="POST", max_length=action.max_length,
                finish_on_key=ANY_KEY, play_beep=True, timeout=RELAY_RECORD_SILENCE if action.relay else RECORD_SILENCE,
                trim="trim-silence", **transcribing,
            )
            response.redirect(answer_url, method="POST")  # nothing recorded
        elif isinstance(action, Ask):
            # <Gather language> is the language speech is recognised in, one of Twilio's list
            # (https://www.twilio.com/docs/voice/twiml/gather#languagetags); a language not on it takes keys only:
            # input="dtmf", with no hints or speech settings (https://www.twilio.com/docs/voice/twiml/gather#input).
            speech = not prompts.keys_only
            gather = Gather(
                input="dtmf speech" if speech else "dtmf", language=prompts.language,
                hints=(action.hints or None) if speech else None,
                action=answer_url, method="POST", timeout=RELAY_WAIT if action.relay else action.timeout,
                speech_model=prompts.speech_model if speech else None,
                speech_timeout=prompts.speech_timeout if speech else None,
                num_digits=action.digits, finish_on_key="#",
                action_on_empty_result=False, profanity_filter=False,
            )
            for prompt in action.prompts:
                say(gather, prompt)
            response.append(gather)
            response.redirect(answer_url, method="POST")  # nothing heard: falls through to here
        elif isinstance(action, Dial) and action.interpreter:
            from ivr.voice.interpreting import render_dial  # it renders with this module's as_xml

            render_dial(response, action, prompts, language_for_staff(values), answer_url)
        elif isinstance(action, Dial):
            # Twilio requests the action URL with DialCallStatus when the dialled call ends; nothing after runs.
            response.dial(prompts.dial_number(action.number), action=answer_url, method="POST", timeout=action.timeout)
        elif isinstance(action, Hangup):
            response.hangup()
    return as_xml(response)


def apology(prompts: Prompts) -> str:
    """What a caller hears when something went wrong on our side: sorry, the other ways, goodbye."""
    response = VoiceResponse()
    for key in ("common.sorry", "common.other_ways", "crisis.routes", "common.goodbye"):
        if prompts.has(key):
            response.say(prompts.text((key,)), voice=prompts.voice, language=prompts.language)
    response.hangup()
    return as_xml(response)


def goodbye(prompts: Prompts) -> str:
    """What a webhook for a call that has already ended gets: goodbye, and nothing the caller gave."""
    response = VoiceResponse()
    response.say(prompts.text(("common.goodbye",)), voice=prompts.voice, language=prompts.language)
    response.hangup()
    return as_xml(response)


DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
# What ElementTree escapes in an attribute's value besides &, < and >.
IN_ATTRIBUTES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
# The characters either escapes: most texts and values have none, and are written as they are, without a pass
# for each character.
ESCAPED = re.compile(f"[&<>{re.escape(''.join(IN_ATTRIBUTES))}]")


def as_xml(response: VoiceResponse) -> str:
    """The same text as str(response), twilio's own to_xml(), for less CPU: that builds an ElementTree of the
    response, then writes it out; this writes twilio's tree itself, attributes sorted, values escaped as there."""
    return DECLARATION + _element(response)


def _element(node: TwiML | str) -> str:
    if isinstance(node, str):
        return _escaped(node)
    attributes = "".join(
        f' {name}="{_escaped(str(value).lower() if isinstance(value, bool) else str(value), IN_ATTRIBUTES)}"'
        for name, value in sorted(node.attrs.items()))
    inside = (_escaped(node.value) if node.value else "") + "".join(_element(verb) for verb in node.verbs)
    return f"<{node.name}{attributes}>{inside}</{node.name}>" if inside else f"<{node.name}{attributes} />"


def _escaped(text: str, entities: dict[str, str] | None = None) -> str:
    return escape(text, entities or {}) if ESCAPED.search(text) else text
