"""The dashboard's Flask extensions, wired to the app by ivr.staff.init_app (Flask-Migrate is with the commands)."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()  # the staff dashboard's logins and form tokens
csrf = CSRFProtect()
# Failed staff logins per network address; in each process's memory (no server to run), never on /voice/.
limiter = Limiter(get_remote_address, storage_uri="memory://")
