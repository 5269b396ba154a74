"""gunicorn's settings for the line: `gunicorn wsgi:app` reads this file from the directory it starts in.

Flags on the command line override these (e.g. `--workers 4`).
"""

import os

# A process a core, each with threads: a thread waiting for the disk to confirm a commit holds up only its own
# caller, while the worker's other threads answer theirs (a sync worker would hold every caller queued behind
# it). Threads share a worker's memory, so this uses far less than a process a caller.
workers = os.cpu_count() or 1
worker_class = "gthread"
threads = 4
raw_env = ["IVR_WEB_WORKER=1"]  # workers answer requests only: the app leaves out the `flask` commands


def post_worker_init(worker) -> None:
    """Before a worker takes its first caller, build what the line would build on first use."""
    from ivr.voice.warm import warm

    warm(worker.wsgi, connections=worker.cfg.threads)


def _without_server_header() -> None:
    """gunicorn names itself in a `Server` header on every response, with no setting to stop it: leave that line
    out, so a response says nothing of what answers it. Patched here, before the workers fork from this process."""
    from gunicorn.http import wsgi

    sends = wsgi.Response.default_headers

    def default_headers(self) -> list[str]:
        return [line for line in sends(self) if not line.lower().startswith("server:")]

    wsgi.Response.default_headers = default_headers


_without_server_header()
