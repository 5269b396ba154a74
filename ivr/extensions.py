"""What the blueprints share, made here and wired to the app in the factory: the database, the loaded line and the
session interface. The dashboard's own extensions (logins, form tokens) are in ivr.staff.extensions, so a voice
worker never loads them. Only wsgi.py and the `flask` entry import the factory itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, Request, current_app
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase

if TYPE_CHECKING:
    from ivr.callflow.line import Line


class Base(DeclarativeBase):
    """Declarative base for every model."""


db = SQLAlchemy(model_class=Base)


def current_line() -> Line:
    """The line (flows, prompts, practice directory) loaded by the app factory."""
    return current_app.extensions["ivr_line"]


class WebhooksWithoutSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie session, but not for Twilio's webhooks: they carry no cookie and keep none, so
    nothing is opened or signed for them (Flask gives them its null session)."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if request.path.startswith("/voice/"):
            return None
        return super().open_session(app, request)
