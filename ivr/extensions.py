"""What the blueprints share, made here and wired to the app in the factory: the database, the loaded line, the
session interface, the request class and the URL converter for row ids. The dashboard's own extensions (logins,
form tokens) are in ivr.staff.extensions, so a voice worker never loads them. Only wsgi.py and the `flask` entry
import the factory."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

from flask import Flask, Request, current_app
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase
from werkzeug.routing import IntegerConverter

if TYPE_CHECKING:
    from ivr.callflow.line import Line


class Base(DeclarativeBase):
    """Declarative base for every model."""


db = SQLAlchemy(model_class=Base)


def current_line() -> Line:
    """The line (flows, prompts, practice directory) loaded by the app factory."""
    return current_app.extensions["ivr_line"]


ROW_ID_MAX = 2**31 - 1  # PostgreSQL's integer, the type of every id column


class RowId(IntegerConverter):
    """An <int:...> URL part from 0 to the largest id an integer column holds; anything else is not found."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = 0, max: int | None = ROW_ID_MAX,
                 signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class WebhooksWithoutSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie session, but not for Twilio's webhooks: they carry no cookie and keep none, so
    nothing is opened or signed for them (Flask gives them its null session)."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if request.path.startswith("/voice/"):
            return None
        return super().open_session(app, request)


URLENCODED = "application/x-www-form-urlencoded"


class FormRequest(Request):
    """Flask's request, with a form posted as application/x-www-form-urlencoded (as Twilio posts every webhook:
    https://www.twilio.com/docs/usage/webhooks/webhooks-overview) read for less work: the same ImmutableMultiDict
    as werkzeug's, from the same body read the same way (within MAX_CONTENT_LENGTH), but a name or value is
    unquoted only when it has something to unquote, where werkzeug's parse_qsl unquotes each in a pass of Python
    (and reads form limits from current_app that such a form does not use). With the signature worked out in one
    pass over it (ivr/voice/signature.py), 5% of a webhook's instructions. Other forms are werkzeug's."""

    def _load_form_data(self) -> None:
        if "form" in self.__dict__ or self.mimetype != URLENCODED:
            return super()._load_form_data()
        stream = self._get_stream_for_parsing()
        try:
            pairs = urlencoded(stream.read())
        except ValueError:  # as werkzeug's parser: a body that is not UTF-8 is an empty form
            pairs = []
        self.__dict__.update(stream=stream, form=self.parameter_storage_class(pairs),
                             files=self.parameter_storage_class())


def urlencoded(body: bytes) -> list[tuple[str, str]]:
    """A form's names and values in order, as werkzeug reads them with urllib's parse_qsl (keep_blank_values: a name
    without '=' has the value ''; '+' is a space; %XX are UTF-8, and bytes that are not are quoted again)."""
    pairs = []
    for part in body.decode().split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((_unquoted(name), _unquoted(value)))
    return pairs


def _unquoted(text: str) -> str:
    if "+" in text:
        text = text.replace("+", " ")
    return unquote(text, errors="werkzeug.url_quote") if "%" in text else text
