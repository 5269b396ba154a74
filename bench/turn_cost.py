"""What one webhook costs inside the app, in one process: `python bench/turn_cost.py [--instructions]`.

bench/load.py measures the line as production serves it, but on a shared machine its CPU figures move by a third
from one hour to the next. This is steadier, for telling whether a change to the turn paid: simulated callers
(the same as load.py's) walk whole referrals through Flask's test client against a scratch PostgreSQL database,
and the CPU time spent inside the app (the thread's, from the WSGI call to its answer) is divided by the
webhooks. `--instructions` counts machine instructions instead, under valgrind: the same count each run,
whatever else the machine is doing, for the client and the app together (the client's share is the same
before and after a change to the app). PostgreSQL's own work is in neither.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from callers import PUBLIC, TOKEN, refer  # noqa: E402
from load import scratch_database  # noqa: E402


def walk(calls: int, rounds: int, database: str) -> None:
    """Warm up, then `rounds` times walk `calls` referrals, printing the app's CPU time per webhook each time, and
    at the end how many webhooks were answered in all (what --instructions divides by)."""
    url, drop, _ = scratch_database(database)
    spool = tempfile.mkdtemp(prefix="turn-cost-")
    os.environ.update(DATABASE_URL=url, TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=PUBLIC, IVR_ENV="production",
                      SECRET_KEY=secrets.token_hex(32), IVR_SPOOL_DIR=spool, IVR_SERVE="voice", IVR_WEB_WORKER="1")
    from ivr.app import create_app
    from ivr.tools.phone import Phone, flask_transport
    from ivr.voice.warm import warm

    try:
        app = create_app()
        warm(app)
        answer, webhooks, seconds, total = app.wsgi_app, [0], [0.0], 0

        def timed(environ, start_response):
            started = time.thread_time()
            try:
                return list(answer(environ, start_response))
            finally:
                webhooks[0] += 1
                seconds[0] += time.thread_time() - started

        app.wsgi_app = timed
        transport = flask_transport(app.test_client())
        for round_ in range(rounds + 1):
            webhooks[0], seconds[0] = 0, 0.0
            for _ in range(calls):
                refer(Phone(transport, TOKEN, base_url=PUBLIC), 0, float("inf"))
            total += webhooks[0]
            if round_:  # the first round warms what warm() does not
                print(f"{seconds[0] * 1000 / webhooks[0]:.3f} ms of app CPU a webhook ({webhooks[0]} webhooks)",
                      flush=True)
        print(f"webhooks in all: {total}")
    finally:
        drop()
        shutil.rmtree(spool, ignore_errors=True)


def instructions(calls: int, database: str) -> None:
    """Instructions per webhook: valgrind counts a short run and a longer one; the difference is the webhooks'."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind: apt-get install valgrind")

    def counted(walked: int) -> tuple[int, int]:
        """Instructions and webhooks of a run walking `walked` referrals a round (two rounds)."""
        run = subprocess.run(
            [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", sys.executable,
             __file__, "--calls", str(walked), "--rounds", "1", "--database", database],
            env={**os.environ, "PYTHONHASHSEED": "0"}, capture_output=True, text=True)
        counts = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr), re.search(r"webhooks in all: (\d+)", run.stdout)
        if run.returncode or None in counts:
            raise SystemExit(f"the run under valgrind failed: {run.stderr[-500:]}")
        return int(counts[0].group(1).replace(",", "")), int(counts[1].group(1))

    (few, few_webhooks), (more, more_webhooks) = counted(1), counted(1 + calls)
    webhooks = more_webhooks - few_webhooks
    print(f"{(more - few) / webhooks / 1e6:.2f} million instructions a webhook, client included ({webhooks} webhooks)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100, help="referrals a round (--instructions: at most 10)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instructions", action="store_true", help="count instructions under valgrind (slow)")
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if args.instructions:
        instructions(min(args.calls, 10), args.database)
    else:
        walk(args.calls, args.rounds, args.database)


if __name__ == "__main__":
    main()
