"""The line writes twilio's TwiML tree itself (cheaper than twilio's to_xml): to the character, what to_xml writes."""

from hypothesis import given
from hypothesis import strategies as st
from twilio.twiml.voice_response import Gather, VoiceResponse

from ivr.voice.twiml import as_xml
from tests.support.twiml import PROPERTY, text


@PROPERTY
@given(said=text, heard=text, url=text, number=text, seconds=st.integers(1, 3600), flag=st.booleans())
def test_as_xml_writes_what_twilios_to_xml_writes(said, heard, url, number, seconds, flag):
    response = VoiceResponse()
    response.say(said, voice="Polly.Amy-Neural", language="en-GB")
    gather = Gather(input="dtmf speech", language="en-GB", hints=heard or None, action=url, timeout=seconds,
                    action_on_empty_result=flag, profanity_filter=not flag, finish_on_key="#")
    gather.say(said, language="en-GB")
    gather.say("")
    response.append(gather)
    response.record(action=url, max_length=seconds, play_beep=flag, trim="trim-silence")
    response.redirect(url, method="POST")
    response.dial(number, action=url, timeout=seconds)
    response.hangup()
    assert as_xml(response) == str(response)
