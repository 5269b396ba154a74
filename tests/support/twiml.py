"""What every TwiML answer in the suite must be, and hostile values for property tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Deliberate: the app and client are built once per test, not per example; each example is a new call.
PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TWIML_VERBS = {"Say", "Gather", "Record", "Redirect", "Hangup", "Pause", "Play", "Dial"}  # Dial: crisis_now
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

def checked_twiml(response) -> ET.Element | None:
    """Fail unless the answer is TwiML Twilio can play (parsed) or a plain 4xx; never a traceback."""
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    if response.status_code != 200:
        assert 400 <= response.status_code < 500 or response.status_code == 204, response.status_code
        assert "<Response" not in body or response.status_code == 204
        return None
    assert response.mimetype == "text/xml"
    root = ET.fromstring(body)
    assert root.tag == "Response"
    for verb in root:
        assert verb.tag in TWIML_VERBS, verb.tag
    for say in root.iter("Say"):
        assert len(say) == 0, "a <Say> with markup inside it"
    for gather in root.iter("Gather"):
        assert {child.tag for child in gather} <= {"Say", "Pause", "Play"}
    hangups = [i for i, verb in enumerate(root) if verb.tag == "Hangup"]
    assert hangups in ([], [len(root) - 1])
    return root
