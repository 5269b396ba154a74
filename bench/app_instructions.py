"""The app's own machine instructions a webhook, for comparing two versions of the code in one run:

    .venv/bin/python bench/app_instructions.py                    # this checkout
    .venv/bin/python bench/app_instructions.py . /path/to/older   # each tree given, one after the other

turn_cost.py --instructions counts the simulated caller with the app, so a change to the caller moves its figure.
Here the app is served alone, by the standard library's single-threaded WSGI server, under valgrind's cachegrind;
each tree's own simulated callers walk whole referrals against it over HTTP from another process, which is not
counted. Two runs (a few referrals, then more) are subtracted, so start-up and warm-up cancel out and what is left
is the webhooks': the same count on every run, whatever else the machine is doing. PostgreSQL's own work is not in
it. Each tree gets a scratch database, created, migrated and dropped by that tree's own bench/load.py.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

# Run in each tree, with its own code: create the database, serve the app under valgrind, walk referrals, stop.
DRIVER = textwrap.dedent("""
    import os, secrets, subprocess, sys, tempfile, time, urllib.request
    sys.path[:0] = [os.getcwd(), os.path.join(os.getcwd(), "bench")]
    from callers import PUBLIC, TOKEN, refer
    from load import scratch_database
    from ivr.tools.phone import Phone, http_transport
    valgrind, port, calls, database = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    url, drop, _ = scratch_database(database)
    env = {**os.environ, "DATABASE_URL": url, "TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": PUBLIC,
           "SECRET_KEY": secrets.token_hex(32), "IVR_ENV": "production", "IVR_SERVE": "voice",
           "IVR_SPOOL_DIR": tempfile.mkdtemp(prefix="app-instructions-"), "PYTHONHASHSEED": "0"}
    server = subprocess.Popen([valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                               sys.executable, "-c", sys.argv[5], str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/__ready", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("the server stopped: " + server.stderr.read()[-800:])
                time.sleep(1)
        transport = http_transport(f"http://127.0.0.1:{port}", timeout=120)
        for _ in range(calls):
            refer(Phone(transport, TOKEN, base_url=PUBLIC), 0, float("inf"))
        urllib.request.urlopen(f"http://127.0.0.1:{port}/__stop", timeout=120).read()
        out, err = server.communicate(timeout=600)
        print(out, err, sep="\\n")
    finally:
        server.kill()
        drop()
""")

# The app alone, in the standard library's WSGI server: /__ready and /__stop are answered here, not counted.
SERVER = textwrap.dedent("""
    import sys
    from wsgiref.simple_server import WSGIRequestHandler, make_server
    from ivr.app import create_app
    from ivr.voice.warm import warm
    app = create_app()
    warm(app)
    stopping, webhooks = [], [0]

    def served(environ, start_response):
        if environ["PATH_INFO"] in ("/__ready", "/__stop"):
            stopping.extend(["stop"] if environ["PATH_INFO"] == "/__stop" else [])
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        webhooks[0] += 1
        return app(environ, start_response)

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", int(sys.argv[1]), served, handler_class=Quiet)
    while not stopping:
        server.handle_request()
    print(f"webhooks in all: {webhooks[0]}")
""")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def counted(tree: Path, calls: int, database: str, valgrind: str) -> tuple[int, int]:
    """Instructions and webhooks of the app serving `calls` referrals (start-up and warm-up included)."""
    run = subprocess.run([sys.executable, "-c", DRIVER, valgrind, str(free_port()), str(calls), database, SERVER],
                         cwd=tree, capture_output=True, text=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", run.stdout), re.search(r"webhooks in all: (\d+)", run.stdout)
    if run.returncode or None in found:
        raise SystemExit(f"{tree}: the run failed: {(run.stderr or run.stdout)[-800:]}")
    return int(found[0].group(1).replace(",", "")), int(found[1].group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[Path(__file__).resolve().parent.parent],
                        help="checkouts to measure (default: this one)")
    parser.add_argument("--calls", type=int, default=8, help="referrals more in the second run (default 8)")
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("this needs valgrind: apt-get install valgrind")
    for tree in args.trees:
        (few, few_webhooks), (more, more_webhooks) = (counted(tree.resolve(), calls, args.database, valgrind)
                                                      for calls in (1, 1 + args.calls))
        webhooks = more_webhooks - few_webhooks
        print(f"{tree}: {(more - few) / webhooks / 1e6:.3f} million instructions a webhook, the app alone "
              f"({webhooks} webhooks)", flush=True)


if __name__ == "__main__":
    main()
