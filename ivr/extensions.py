"""Flask extensions, created here and wired to the app in the factory."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for every model."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)  # SQLite can only alter tables in batches
login_manager = LoginManager()  # the staff dashboard's logins and form tokens, wired by ivr.staff
csrf = CSRFProtect()
# Failed staff logins per network address; in each process's memory (no server to run), never on /voice/.
limiter = Limiter(get_remote_address, storage_uri="memory://")
