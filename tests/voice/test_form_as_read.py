"""The line reads Twilio's posted form itself (cheaper than werkzeug's parse_qsl) and computes the signature over it
(cheaper than twilio's compute_signature): to the character, what werkzeug reads and what twilio signs, so that a
webhook Twilio signed is still accepted, and every other still refused, however its form is written."""

from urllib.parse import urlencode

from flask import Request
from hypothesis import given
from hypothesis import strategies as st
from twilio.request_validator import HMAC_SHA1, HMAC_SHA256, RequestValidator
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder

from ivr.extensions import URLENCODED, FormRequest
from ivr.voice.signature import signed
from tests.support.twiml import PROPERTY, text

# Pieces of a body as it may arrive: separators, '+', escapes whole, cut short or invalid, UTF-8 escaped and raw,
# bytes that are not UTF-8 at all.
PIECES = [b"&", b"=", b"+", b"%", b"%2", b"%2B", b"%26", b"%3D", b"%3d", b"%zz", b"%C3%A9", b"%C3", b"%FF%FE",
          b"%E2%82", b"\xc3\xa9", b"\xff", b"Digits", b"1", b" ", b"CallSid", b"a b", b"%00", b";"]
bodies = st.one_of(st.lists(st.sampled_from(PIECES), max_size=30).map(b"".join), st.binary(max_size=60))
names = st.one_of(st.sampled_from(["CallSid", "Digits", "SpeechResult", "From", "a", ""]), text)
forms = st.lists(st.tuples(names, text), max_size=8)


def _environ(body: bytes, content_type: str = URLENCODED) -> dict:
    return EnvironBuilder(method="POST", data=body, content_type=content_type).get_environ()


@PROPERTY
@given(body=bodies)
def test_any_body_reads_as_werkzeug_reads_it(body):
    ours, werkzeugs = FormRequest(_environ(body)), Request(_environ(body))
    assert list(ours.form.items(multi=True)) == list(werkzeugs.form.items(multi=True))
    assert ours.files == werkzeugs.files == MultiDict()


@PROPERTY
@given(form=forms)
def test_any_form_twilio_could_post_reads_as_posted(form):
    read = FormRequest(_environ(urlencode(form).encode())).form
    assert list(read.items(multi=True)) == list(MultiDict(form).items(multi=True))  # each name's values in order


def test_a_body_of_another_type_is_werkzeugs_to_read():
    body = b"CallSid=CA1&Digits=1"
    assert FormRequest(_environ(body, "text/plain")).form == MultiDict()
    assert FormRequest(_environ(body, URLENCODED + "; charset=utf-8")).form == MultiDict(
        [("CallSid", "CA1"), ("Digits", "1")])


@PROPERTY
@given(url=text, form=forms, algorithm=st.sampled_from([HMAC_SHA1, HMAC_SHA256]))
def test_the_line_signs_what_twilio_signs(url, form, algorithm):
    """Repeated names included: each value once, sorted, as twilio's compute_signature takes them."""
    posted = MultiDict(form)
    assert signed("a token", url, posted, algorithm).decode() == \
        RequestValidator("a token").compute_signature(url, posted, algorithm)
