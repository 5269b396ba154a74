"""Entry point for gunicorn and the flask command."""
from ivr.app import create_app

app = create_app()
