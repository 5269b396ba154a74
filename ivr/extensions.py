"""The database, created here and wired to the app in the factory. The dashboard's own extensions (logins, form
tokens, the login limit) are in ivr.staff.extensions, so a voice worker never loads them."""

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for every model."""


db = SQLAlchemy(model_class=Base)
