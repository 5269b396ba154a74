"""gunicorn's settings for the line: `gunicorn wsgi:app` reads this file from the directory it starts in.

Flags on the command line override these (e.g. `--workers 8`).
"""

import os

workers = 2 * (os.cpu_count() or 1)
worker_class = "sync"
raw_env = ["IVR_WEB_WORKER=1"]  # workers answer requests only: the app leaves out the `flask` commands


def post_worker_init(worker) -> None:
    """Before a worker takes its first caller, build what the line would build on first use."""
    from ivr.voice.warm import warm

    warm(worker.wsgi)
