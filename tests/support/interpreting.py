"""Interpreter to the team in tests: reception's phone answering a whispered <Dial>, or a call the line placed."""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from email.utils import formatdate

from ivr.tools.phone import LineError, Phone
from tests.support.twilio_docs import WHISPER_DIRECTION

RECEPTION = "+443007900265"  # settings.yaml's numbers.reception, "0300 790 0265", in E.164
LINE_NUMBER = "+443001230542"  # settings.yaml's numbers.team: the number the line calls from


@dataclass
class Reception(Phone):
    """Reception's phone, answering the caller's <Dial>: Twilio requests the <Number url> for the dialled call, with
    that call's own CallSid, ParentCallSid the caller's, Direction outbound-dial, From the caller ID shown (the
    caller's number, as no callerId is set) and To the number dialled (https://www.twilio.com/docs/voice/twiml/number#url,
    https://www.twilio.com/docs/voice/twiml#request-parameters). Build it with `answering(call)`."""

    parent_sid: str = ""
    line_number: str = RECEPTION
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))

    def pick_up(self, dial: ET.Element) -> Reception:
        """Answer: hear the whisper the <Number url> gives, before the two calls are joined."""
        number = dial.find("Number")
        if number is None or not number.get("url"):
            raise LineError("the <Dial> has no <Number url>: nothing is whispered")
        self._url = ""
        return self._request(number.get("url"), {"ParentCallSid": self.parent_sid, "Direction": WHISPER_DIRECTION})

    def status_callback_to(self, url: str, status: str) -> int:
        """A call the line placed (Create a Call) ending: Twilio posts its StatusCallback with CallStatus, and
        CallDuration when completed (https://www.twilio.com/docs/voice/api/call-resource#statuscallback)."""
        params = {"CallStatus": status, "Direction": "outbound-api", "CallbackSource": "call-progress-events",
                  "SequenceNumber": "0", "Timestamp": formatdate().replace("-0000", "+0000")}
        if status == "completed":
            params["CallDuration"] = "30"
        code, _ = self._post(url, params)
        return code


def answering(call: Phone) -> Reception:
    """Reception's phone for the caller's call: Twilio's From on the dialled leg is the caller's number."""
    return Reception(call.transport, call.auth_token, base_url=call.base_url, caller_number=call.caller_number,
                     parent_sid=call.call_sid)


def twiml_of(placed_twiml: str) -> ET.Element:
    """The TwiML a placed call runs when answered (its Twiml parameter), parsed."""
    return ET.fromstring(placed_twiml)
