"""What Twilio's documentation says it sends and accepts, in one place, each list beside its page.

The pretend phone (ivr/tools/phone.py) is checked against the request parameters, and every TwiML
answer in the suite against the verbs' attributes (tests/support/twiml.py). Change a list only from
the page it cites.
"""

from __future__ import annotations

# --- What Twilio sends our webhooks -----------------------------------------------------------------

REQUEST_PARAMETERS = "https://www.twilio.com/docs/voice/twiml#request-parameters"
# Sent with every request to a voice webhook. Caller and Called are older names for From and To.
EVERY_REQUEST = {"CallSid", "AccountSid", "From", "To", "Caller", "Called", "CallStatus", "Direction", "ApiVersion"}
# Sent when Twilio has them (forwarding, caller name lookup, a child call, where the numbers are).
SOMETIMES = {"ForwardedFrom", "CallerName", "ParentCallSid", "FromCity", "FromState", "FromZip", "FromCountry",
             "ToCity", "ToState", "ToZip", "ToCountry"}
CALL_STATUSES = {"queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled"}

GATHER = "https://www.twilio.com/docs/voice/twiml/gather"
# The action URL: keys as Digits (finishOnKey not included, at most numDigits of them), or speech.
GATHER_DIGITS = {"Digits"}
GATHER_SPEECH = {"SpeechResult", "Confidence"}

RECORD = "https://www.twilio.com/docs/voice/twiml/record"
# The action URL; Digits is the key that ended the recording, 'hangup', or empty.
RECORD_ACTION = {"RecordingUrl", "RecordingSid", "RecordingDuration", "Digits"}

TRANSCRIBE_CALLBACK = "https://www.twilio.com/docs/voice/twiml/record#transcribecallback"
# Posted to a <Record>'s transcribeCallback, with the standard parameters, when the transcript is ready.
TRANSCRIPTION = {"TranscriptionSid", "TranscriptionText", "TranscriptionStatus", "TranscriptionUrl", "RecordingSid",
                 "RecordingUrl"}
TRANSCRIPTION_STATUSES = {"completed", "failed"}

DIAL = "https://www.twilio.com/docs/voice/twiml/dial"
# The action URL when the dialled call ends: DialBridged says whether the calls were joined;
# DialCallDuration once it was answered.
DIAL_ACTION = {"DialCallStatus", "DialCallSid", "DialBridged", "DialCallDuration"}
DIAL_CALL_STATUSES = {"completed", "answered", "busy", "no-answer", "failed", "canceled"}

STATUS_CALLBACK = "https://www.twilio.com/docs/voice/api/call-resource#statuscallback"
# The status callback when the call ends; CallDuration with a completed call.
STATUS_CALLBACK_PARAMETERS = {"CallDuration", "Timestamp", "CallbackSource", "SequenceNumber"}
CALL_ENDINGS = {"completed", "busy", "no-answer", "failed", "canceled"}

NUMBER_URL = "https://www.twilio.com/docs/voice/twiml/number#url"
# A <Number url> (the whisper) is requested for the dialled call once it answers, with the standard request parameters
# of that call: its own CallSid, and ParentCallSid the caller's; Direction outbound-dial, From the caller ID shown.
WHISPER_DIRECTION = "outbound-dial"

CREATE_CALL = "https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource"
# Create a Call: To and From, and exactly one of Url, Twiml or ApplicationSid (what to run when it answers); the
# optional parameters this line sends: SendDigits (keys played once answered: 0-9, A-D, *, #, w and W, error 21206),
# Timeout (seconds to ring), StatusCallback and its Method and Event (how the call ended), Method (for Url).
CREATE_CALL_INSTRUCTIONS = ("Url", "Twiml", "ApplicationSid")
CREATE_CALL_OPTIONAL = {"Method", "SendDigits", "Timeout", "StatusCallback", "StatusCallbackMethod",
                        "StatusCallbackEvent", "FallbackUrl", "FallbackMethod", "TimeLimit", "CallerId"}
UPDATE_CALL = "https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource"
# Update a Call: a new Url (and Method) or Twiml for a live call, or Status canceled (queued or ringing) or completed
# (in progress) to end it.
UPDATE_CALL_PARAMETERS = {"Url", "Method", "Twiml", "Status", "FallbackUrl", "FallbackMethod", "StatusCallback",
                          "StatusCallbackMethod", "TimeLimit"}
UPDATE_CALL_STATUSES = {"canceled", "completed"}

# --- What Twilio accepts from us: TwiML verbs and their attributes -----------------------------------

TWIML_ATTRIBUTES = {
    # https://www.twilio.com/docs/voice/twiml/say
    "Say": {"voice", "loop", "language"},
    # https://www.twilio.com/docs/voice/twiml/gather
    "Gather": {"action", "actionOnEmptyResult", "enhanced", "finishOnKey", "hints", "input", "language", "method",
               "numDigits", "partialResultCallback", "partialResultCallbackMethod", "profanityFilter",
               "speechModel", "speechTimeout", "timeout"},
    # https://www.twilio.com/docs/voice/twiml/record
    "Record": {"action", "finishOnKey", "maxLength", "method", "playBeep", "recordingStatusCallback",
               "recordingStatusCallbackEvent", "recordingStatusCallbackMethod", "storageUrl", "storageUrlMethod",
               "timeout", "transcribe", "transcribeCallback", "trim"},
    # https://www.twilio.com/docs/voice/twiml/redirect
    "Redirect": {"method"},
    # https://www.twilio.com/docs/voice/twiml/hangup
    "Hangup": set(),
    # https://www.twilio.com/docs/voice/twiml/pause
    "Pause": {"length"},
    # https://www.twilio.com/docs/voice/twiml/play
    "Play": {"loop", "digits"},
    # https://www.twilio.com/docs/voice/twiml/dial
    "Dial": {"action", "answerOnBridge", "callerId", "callReason", "hangupOnStar", "method", "record",
             "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent",
             "recordingTrack", "referUrl", "referMethod", "ringTone", "timeLimit", "timeout", "trim", "sequential"},
    # https://www.twilio.com/docs/voice/twiml/number
    "Number": {"sendDigits", "url", "method", "byoc", "statusCallbackEvent", "statusCallback", "statusCallbackMethod",
               "machineDetection", "machineDetectionTimeout", "machineDetectionSpeechThreshold",
               "machineDetectionSpeechEndThreshold", "machineDetectionSilenceTimeout", "amdStatusCallback",
               "amdStatusCallbackMethod"},
    # https://www.twilio.com/docs/voice/twiml/conference
    "Conference": {"muted", "beep", "startConferenceOnEnter", "endConferenceOnExit", "waitUrl", "waitMethod",
                   "maxParticipants", "record", "region", "coach", "trim", "statusCallbackEvent", "statusCallback",
                   "statusCallbackMethod", "recordingStatusCallback", "recordingStatusCallbackMethod",
                   "recordingStatusCallbackEvent", "eventCallbackUrl", "jitterBufferSize", "participantLabel"},
}
# What may be nested in what (the same pages); <Response> holds verbs, never nouns.
NESTED = {"Response": {"Say", "Gather", "Record", "Redirect", "Hangup", "Pause", "Play", "Dial"},
          "Gather": {"Say", "Play", "Pause"}, "Dial": {"Number", "Conference"}}
GATHER_INPUTS = {"dtmf", "speech"}  # input is one or both, space-separated: "dtmf speech"
KEYS = set("0123456789*#")
# Hints: https://www.twilio.com/docs/voice/twiml/gather#hints
MAX_HINTS, MAX_HINT_LENGTH = 500, 100
SPEECH_TIMEOUT_WITH_MODEL = "https://www.twilio.com/docs/api/errors/13335"  # auto with a model: warning
# The service's own rule: British English on every <Say> and speech <Gather>, or a language the caller chose at the
# menu (settings.yaml's `languages:`; the tests' own keys-only one is xx-XX).
LANGUAGES = {"en-GB", "pl-PL", "xx-XX"}
