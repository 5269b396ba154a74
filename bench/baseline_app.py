"""The baseline for bench/load.py: what Twilio's sample IVR is. Flask answering every webhook with the
same menu built with VoiceResponse: no signature check, no storage, no logic.

    gunicorn --chdir bench baseline_app:app
"""

from flask import Flask, Response
from twilio.twiml.voice_response import Gather, VoiceResponse

app = Flask(__name__)

MENU = (
    "To hear about Interpersonal Therapy, press 1, or say information. "
    "To refer yourself, press 2, or say refer. "
    "If you're already one of our patients and want to leave a message, press 3, or say existing patient."
)


@app.post("/voice/incoming")
@app.post("/voice/answer")
@app.post("/voice/status")
def menu() -> Response:
    """The menu, every time."""
    response = VoiceResponse()
    gather = Gather(input="dtmf speech", action="/voice/answer", method="POST", num_digits=1, language="en-GB")
    gather.say(MENU, voice="Polly.Amy-Neural", language="en-GB")
    response.append(gather)
    response.redirect("/voice/answer", method="POST")
    return Response(str(response), mimetype="text/xml")
