"""Flask extensions, created here and wired to the app in the factory (Flask-Migrate with the commands)."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for every model."""


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()  # the staff dashboard's logins and form tokens, wired by ivr.staff
csrf = CSRFProtect()
# Failed staff logins per network address; in each process's memory (no server to run), never on /voice/.
limiter = Limiter(get_remote_address, storage_uri="memory://")
