"""How soon a text receipt reaches Twilio, and whether sending it slows the call: `python bench/text_receipt.py`.

The app runs under Werkzeug's threaded WSGI server on 127.0.0.1 (which, like gunicorn, closes each response,
so the text's sending thread starts once the caller's webhook has been answered), on a scratch SQLite
database, with Twilio's Messages API faked on 127.0.0.1 (tests/support/fake_messages.py). Each caller walks
a whole referral with signed requests. Callers in turn say no and yes to a text. Printed: the time of
the webhook that sends the referral (the one that writes the text), and the time from its answer to the
fake Twilio being asked to send the text; with Twilio answering at once, then taking 2 s.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from ivr.app import create_app  # noqa: E402
from ivr.extensions import db  # noqa: E402
from ivr.tools.phone import Phone, http_transport  # noqa: E402
from tests.support.fake_messages import fake_messaging, wait_for_texts  # noqa: E402
from tests.support.line import walk_referral  # noqa: E402

TOKEN = "bench-auth-token-0123456789abcdef"


def _timed(transport, times: list[float]):
    def send(url, form, headers):
        started = time.perf_counter()
        answer = transport(url, form, headers)
        times.append(time.perf_counter() - started)
        return answer
    return send


CALLERS = itertools.count(400000)  # a mobile number of its own for each call: a number gets one text a day


def _referral(server: str, text: str) -> tuple[float, float]:
    """Walk one referral; (seconds the webhook that sends it took, when it answered)."""
    times: list[float] = []
    call = Phone(_timed(http_transport(server), times), TOKEN, base_url=server,
                 caller_number=f"+447400{next(CALLERS)}")
    walk_referral(call.dial(), text=text)
    answered = time.perf_counter()
    call.hang_up()
    return times[-1], answered


def _calls(server: str, count: int, twilio) -> dict[str, list[float]]:
    """Referrals in turn from a caller who says no to a text and one who says yes: milliseconds."""
    found: dict[str, list[float]] = {"no": [], "yes": [], "to_twilio": []}
    for _ in range(count):
        took, _ = _referral(server, "2")
        found["no"].append(took * 1000)
        before = twilio.requests
        took, answered = _referral(server, "1")
        found["yes"].append(took * 1000)
        assert twilio.wait_for_requests(before + 1, timeout=30), "the text never reached Twilio"
        found["to_twilio"].append((time.perf_counter() - answered) * 1000)
        wait_for_texts()
    return found


def _row(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:48}  -"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{name:48} {statistics.median(values):7.1f} {p95:7.1f} {max(values):7.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch}/bench.sqlite3", "TWILIO_AUTH_TOKEN": TOKEN,
                          "SPOOL_DIR": f"{scratch}/spool", "RECORDING_TIMEOUT_SECONDS": 10})
        with app.app_context():
            upgrade()
        http = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=http.serve_forever, daemon=True).start()
        server = f"http://127.0.0.1:{http.server_port}"
        app.config["PUBLIC_BASE_URL"] = server
        with fake_messaging(app) as twilio:
            quick = _calls(server, args.calls, twilio)
            twilio.slow = 2.0
            slow = _calls(server, args.calls, twilio)
        http.shutdown()
        with app.app_context():
            db.engine.dispose()
    print(f"{args.calls} callers who say no to a text, {args.calls} who say yes, in turn (ms)  median     p95     max")
    for label, figures in (("Twilio answers at once", quick), ("Twilio takes 2 s to answer", slow)):
        print(label)
        print(_row("  'send it' webhook, no text", figures["no"]))
        print(_row("  'send it' webhook, text written", figures["yes"]))
        print(_row("  from that answer to Twilio being asked", figures["to_twilio"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
