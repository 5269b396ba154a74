"""The dashboard's Flask extensions, wired to the app by ivr.staff.init_app (Flask-Migrate is with the commands)."""

from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()  # the staff dashboard's logins and form tokens
csrf = CSRFProtect()
