"""What every TwiML answer in the suite must be, checked on every /voice/ response; hostile values for property tests.

`TwimlCheckingClient` is every Flask app's test client in the suite (tests/conftest.py sets it on
Flask), so no /voice/ answer a test receives goes unchecked; `checked_transport` does the same for the
pretend phone's HTTP transport to real servers.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ivr.tools.phone import Transport
from tests.support.twilio_docs import (
    GATHER_INPUTS,
    KEYS,
    LANGUAGES,
    MAX_HINT_LENGTH,
    MAX_HINTS,
    NESTED,
    TWIML_ATTRIBUTES,
)

# Deliberate: the app and client are built once per test, not per example; each example is a new call.
# In CI the examples are the same every run (derandomize), so a landing never hangs on a lucky draw; run the
# suite locally to explore new ones, and turn any failure found into a fixed test.
PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=bool(os.environ.get("CI")),
)
TWIML_VERBS = NESTED["Response"]
TWIML_TYPES = {"application/xml", "text/xml"}
NASTY = [
    "", " ", "<Hangup/>", "</Say><Hangup/><Say>", "<speak><break time='10s'/></speak>",
    "<![CDATA[x]]>", "]]>", "&amp;", "&#0;", "'; DROP TABLE calls; --", "1 OR 1=1", "\x00", "\x00\x01\x1b[2J",
    "\r\n\r\n", "\ufeff\u202e", "Zoë Ó Briain", "Åström ñ 李小龍 😀", "١٤٠٣١٩٨٨", "{reference}", "{0}{__class__}",
    "%s%n", "NaN", "inf", "-1", "1e400", "99999999999999999999", "9" * 5000, "yes " * 5000,
    "https://evil.example/x.mp3", "javascript:alert(1)", "RE" + "f" * 200, "*", "#", "0", "1", "2", "3",
]
text = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.text("0123456789*# ", max_size=12),
)


class TwimlError(AssertionError):
    """An answer Twilio would refuse, or play with a warning."""


def _whole(value: str | None) -> bool:
    return value is not None and value.isascii() and value.isdigit() and int(value) > 0


def _check_verb(verb: ET.Element) -> None:
    """One element's attributes and children, as Twilio documents them (tests/support/twilio_docs.py)."""
    if verb.tag not in TWIML_ATTRIBUTES:
        raise TwimlError(f"<{verb.tag}> is not a TwiML verb or noun Twilio documents")
    unknown = set(verb.attrib) - TWIML_ATTRIBUTES[verb.tag]
    if unknown:
        raise TwimlError(f"<{verb.tag}> has attributes Twilio does not document: {sorted(unknown)}")
    allowed = NESTED.get(verb.tag, set())
    for child in verb:
        if child.tag not in allowed:
            raise TwimlError(f"<{child.tag}> cannot be nested in <{verb.tag}>")
        _check_verb(child)
    if verb.get("method", "POST") not in {"GET", "POST"}:
        raise TwimlError(f"<{verb.tag} method={verb.get('method')!r}>")
    for name in ("timeout", "numDigits", "maxLength", "length", "loop"):
        if name in verb.attrib and not (_whole(verb.get(name)) or verb.get(name) == "0" and name == "loop"):
            raise TwimlError(f"<{verb.tag} {name}={verb.get(name)!r}>: not a whole number")
    if "finishOnKey" in verb.attrib and set(verb.get("finishOnKey")) - KEYS:
        raise TwimlError(f"<{verb.tag} finishOnKey={verb.get('finishOnKey')!r}>")
    if verb.tag == "Say" and (verb.get("language") not in LANGUAGES or not verb.get("voice")):
        raise TwimlError(f"<Say> in language {verb.get('language')!r} (voice {verb.get('voice')!r}), not one of "
                         f"{sorted(LANGUAGES)}: {verb.text!r}")
    if verb.tag == "Gather":
        _check_gather(verb)
    if verb.tag == "Redirect" and not (verb.text or "").strip():
        raise TwimlError("<Redirect> without a URL")


def _check_gather(gather: ET.Element) -> None:
    inputs = gather.get("input", "dtmf").split()
    if not inputs or set(inputs) - GATHER_INPUTS or len(inputs) != len(set(inputs)):
        raise TwimlError(f"<Gather input={gather.get('input')!r}>: 'dtmf', 'speech' or 'dtmf speech'")
    if "speech" in inputs and gather.get("language") not in LANGUAGES:
        raise TwimlError(f"a speech <Gather> in language {gather.get('language')!r}, not one of {sorted(LANGUAGES)}")
    timeout = gather.get("speechTimeout")
    if timeout is not None and timeout != "auto" and not _whole(timeout):
        raise TwimlError(f"<Gather speechTimeout={timeout!r}>: 'auto' or whole seconds")
    if gather.get("speechModel") and not _whole(timeout):
        raise TwimlError(f"<Gather speechModel={gather.get('speechModel')!r}> needs a whole-number speechTimeout, "
                         f"not {timeout!r} (Twilio warning 13335)")
    if gather.get("actionOnEmptyResult", "false") not in {"true", "false"}:
        raise TwimlError(f"<Gather actionOnEmptyResult={gather.get('actionOnEmptyResult')!r}>")
    if gather.get("hints") is not None:
        hints = [hint.strip() for hint in gather.get("hints").split(",")]
        if len(hints) > MAX_HINTS or any(not hint or len(hint) > MAX_HINT_LENGTH for hint in hints):
            raise TwimlError(f"<Gather hints>: {len(hints)} phrases; Twilio takes {MAX_HINTS}, each "
                             f"1 to {MAX_HINT_LENGTH} characters")


def check_twiml(body: str, content_type: str | None = None) -> ET.Element:
    """The parsed <Response>, or TwimlError saying why Twilio would refuse it or warn about it.

    content_type is the response's mimetype, None where the transport cannot see it.
    """
    if content_type is not None and content_type not in TWIML_TYPES:
        raise TwimlError(f"TwiML sent as {content_type!r}, not {' or '.join(sorted(TWIML_TYPES))}")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise TwimlError(f"not well-formed XML ({error}): {body[:200]!r}") from None
    if root.tag != "Response" or root.attrib:
        raise TwimlError(f"<{root.tag}> where Twilio expects a plain <Response>")
    for verb in root:
        if verb.tag not in TWIML_VERBS:
            raise TwimlError(f"<{verb.tag}> cannot be a verb of <Response>")
        _check_verb(verb)
    for say in root.iter("Say"):
        if len(say):
            raise TwimlError("a <Say> with markup inside it")
    hangups = [i for i, verb in enumerate(root) if verb.tag == "Hangup"]
    if hangups not in ([], [len(root) - 1]):
        raise TwimlError("verbs after <Hangup> are never played")
    return root


def check_voice_response(path: str, response) -> None:
    """Any answer to Twilio's webhooks: TwiML that passes check_twiml, an empty 204, or a plain 4xx."""
    if not path.startswith("/voice/"):
        return
    body = response.get_data(as_text=True)
    if "Traceback" in body:
        raise TwimlError(f"{path} answered a traceback")
    if response.status_code == 200:
        check_twiml(body, response.mimetype)
    elif response.status_code == 204:
        if body:
            raise TwimlError(f"{path} answered 204 with a body")
    elif not 400 <= response.status_code < 500 or "<Response" in body:
        raise TwimlError(f"{path} answered HTTP {response.status_code}: {body[:200]!r}")


class TwimlCheckingClient(FlaskClient):
    """Flask's test client, checking every answer to /voice/ (see check_voice_response).

    An app started with a PUBLIC_BASE_URL refuses any other host (TRUSTED_HOSTS), so a request for a bare path
    names that host, as the HTTPS proxy in front passes it on (in plain HTTP, the proxy having ended TLS),
    rather than Flask's default 'localhost'.
    """

    def open(self, *args, **kwargs):
        config = self.application.config
        if (config.get("TRUSTED_HOSTS") and args and isinstance(args[0], str) and args[0].startswith("/")
                and "base_url" not in kwargs):
            kwargs["base_url"] = f"http://{config['TRUSTED_HOSTS'][0]}"
        response = super().open(*args, **kwargs)
        check_voice_response(response.request.path, response)
        return response


def checked_transport(transport: Transport) -> Transport:
    """A pretend-phone transport whose every 200 answer must pass check_twiml (the body: it cannot see headers)."""

    def send(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        status, body = transport(url, form, headers)
        if status == 200:
            check_twiml(body)
        return status, body

    return send


def checked_twiml(response) -> ET.Element | None:
    """The parsed TwiML of a 200 answer (checked as every answer is), or None for a plain 4xx or a 204."""
    check_voice_response("/voice/", response)
    if response.status_code != 200:
        return None
    return ET.fromstring(response.get_data(as_text=True))
