"""Entry point for gunicorn and the flask command: a line that cannot start says why in one line, no traceback."""
import sys

from ivr.app import create_app
from ivr.callflow.yamlfile import FlowError
from ivr.config import ConfigError

try:
    app = create_app()
except (ConfigError, FlowError) as refused:  # broken flows, prompts or settings: what to fix, not where it broke
    print(refused, file=sys.stderr)
    sys.exit(4)  # gunicorn's code for an app that cannot load: its master stops, and starts no worker again
