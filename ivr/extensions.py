"""What the blueprints share, made here and wired to the app in the factory: the database, the loaded line, the
session interface and the URL converter for row ids. The dashboard's own extensions (logins, form tokens) are in
ivr.staff.extensions, so a voice worker never loads them. Only wsgi.py and the `flask` entry import the factory."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
