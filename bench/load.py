"""Load benchmark: simulated callers walk the whole referral through signed HTTP requests against
gunicorn + PostgreSQL, beside a static-TwiML Flask baseline served the same way.

    .venv/bin/python bench/load.py            # about 4 minutes
    .venv/bin/python bench/load.py --quick    # about 1 minute

Realistic: --calls callers in progress at once, each pausing about --pause seconds before every
answer, as a prompt plays and a person answers: webhook latency percentiles. Saturation: callers
with no pauses: webhook requests per second, for the line and for the baseline. A scratch database
ivr_bench_<pid> is created, migrated and dropped afterwards. Traffic only ever goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ivr.line import load_line  # noqa: E402
from ivr.phone import LineError, Phone, http_transport  # noqa: E402

TOKEN = "bench-auth-token-" + secrets.token_hex(8)
PUBLIC = "https://ivr.example.nhs.uk"
PRACTICES = ROOT / "data" / "gp-practices-derby-derbyshire.csv"
# What the caller answers at each step of the referral (steps are recognised by their prompts).
ANSWERS = {
    "main.menu": ("press", "2"),
    "referral.date_of_birth": ("press", "14031988"),
    "referral.date_of_birth_confirm": ("press", "1"),
    "referral.practice": ("say", "Arthur Medical Centre in Horsley Woodhouse"),
    "referral.practice_confirm": ("press", "1"),
    "referral.practice_choose": ("press", "1"),
    "referral.registered_here": ("press", "1"),
    "referral.name": ("say", "Sam Smith"),
    "referral.name_confirm": ("say", "yes"),
    "referral.callback_offer": ("press", "1"),
    "referral.voicemail": ("press", "1"),
    "referral.best_time": ("say", "mornings"),
    "referral.sessions": ("press", "2"),
    "referral.urgent": ("press", "2"),
    "referral.summary": ("say", "yes"),
    "referral.reference_again": None,  # the referral is sent and its reference given: done
}


def _recognisers() -> list[tuple[re.Pattern, str]]:
    """Each step's question and re-prompt as a pattern ({values} match anything), longest first."""
    line = load_line(str(ROOT / "flows"), str(ROOT / "prompts"))
    found = []
    for name in ANSWERS:
        base = line.book.steps[name].ask
        for key in (f"{base}.ask", f"{base}.retry"):
            if line.prompts.has(key):
                text = line.prompts.texts[key]
                pattern = ".*?".join(re.escape(part) for part in re.split(r"\{[^}]*\}", text))
                found.append((len(text), re.compile(pattern), name))
    return [(pattern, name) for _, pattern, name in sorted(found, key=lambda f: -f[0])]


RECOGNISERS = _recognisers()


def step_asked(question: str) -> str | None:
    """Which step of the referral the line is asking, from what it said."""
    return next((name for pattern, name in RECOGNISERS if pattern.search(question)), None)


class Lost(Exception):
    """The caller heard a question the script has no answer for."""


@dataclass
class Tally:
    """What one run measured: each webhook's latency, failures, and referrals completed."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    referrals: int = 0
    seconds: float = 0.0
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # app workers and database, this run
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finished(self, referred: bool) -> None:
        with self.lock:
            self.referrals += referred

    def timed(self, transport):
        def send(url, form, headers):
            start = time.perf_counter()
            answer = transport(url, form, headers)
            self.latencies.append(time.perf_counter() - start)
            return answer
        return send


def refer(phone: Phone, pause: float, until: float) -> bool:
    """Walk one referral, pausing before each answer; False if time ran out first."""
    time.sleep(pause * random.uniform(0.8, 1.2))  # the line rings
    phone.dial()
    while True:
        if phone.ended:
            raise Lost("the line hung up: " + phone.said[-120:])
        question = " ".join(say.text or "" for say in phone.waiting_for.iter("Say"))
        step = step_asked(question)
        if step is None:
            raise Lost(question[:120])
        if ANSWERS[step] is None:
            break
        time.sleep(pause * random.uniform(0.8, 1.2))
        if time.monotonic() > until:
            phone.hang_up()
            return False
        how, what = ANSWERS[step]
        getattr(phone, how)(what)
    phone.hang_up()
    return True


def menu_presses(phone: Phone, pause: float, until: float) -> bool:
    """The baseline's caller: as many webhooks as a referral, always the same menu."""
    phone.dial()
    for _ in range(14):
        phone.press("2")
    return True


def cpu_seconds(pids: list[str]) -> dict[str, float]:
    """CPU time (user + system) each process has used so far."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def run(server: str, callers: int, pause: float, seconds: float, walk=refer, watch=None) -> Tally:
    """`callers` callers, each starting a new call when one ends, for `seconds`.

    `watch` maps names to functions listing process ids whose CPU time the run should account for.
    """
    tally, until = Tally(), time.monotonic() + seconds
    watch = watch or {}
    before = {name: cpu_seconds(pids()) for name, pids in watch.items()}
    transport = tally.timed(http_transport(server))

    def caller(index: int) -> None:
        time.sleep(pause * index / callers)  # spread out, as real calls are
        while time.monotonic() < until:
            try:
                tally.finished(walk(Phone(transport, TOKEN, base_url=PUBLIC), pause, until))
            except (LineError, Lost, OSError) as error:
                tally.errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=caller, args=(i,), daemon=True) for i in range(callers)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.seconds = time.monotonic() - start
    for name, pids in watch.items():
        after = cpu_seconds(pids())
        tally.cpu_seconds[name] = sum(used - before[name].get(pid, 0.0) for pid, used in after.items())
    return tally


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(app: str, workers: int, env: dict, chdir: Path) -> tuple[subprocess.Popen, str]:
    """Start gunicorn (sync workers) on 127.0.0.1 and wait until it answers."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--chdir", str(chdir), "--log-level", "warning", app],
        env=env, stdout=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn {app} exited while starting") from None
            time.sleep(0.1)
    raise SystemExit(f"gunicorn {app} did not start")


def workers(server: subprocess.Popen) -> list[str]:
    """The process ids of a gunicorn master's workers."""
    return Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()


def peak_memory_mb(server: subprocess.Popen) -> list[float]:
    """Each gunicorn worker's peak resident memory (VmHWM), in MB."""
    peaks = []
    for pid in workers(server):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return sorted(peaks)


def percentile_ms(latencies: list[float], p: int) -> str:
    if len(latencies) < 2:
        return "-"
    return f"{statistics.quantiles(latencies, n=100, method='inclusive')[p - 1] * 1000:.1f}"


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                       for column, (cell, width) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def scratch_database(server_url: str) -> tuple[str, Callable[[], None], Callable[[], list[str]]]:
    """Create, migrate and fill ivr_bench_<pid>; returns its URL, a function that drops it and one
    that lists the PostgreSQL backends serving it."""
    admin_url = sa.make_url(server_url).set(drivername="postgresql+psycopg", database="postgres")
    name = f"ivr_bench_{os.getpid()}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    def backends() -> list[str]:
        with admin.connect() as connection:
            return [str(pid) for pid in connection.execute(sa.text(
                "SELECT pid FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"
            ), {"name": name}).scalars()]

    url = admin_url.set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    try:
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*flask, "practices", "import", str(PRACTICES)], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    except subprocess.CalledProcessError as error:
        drop()
        raise SystemExit(f"could not set up {name}: {error.stderr.decode()[-500:]}") from None
    return url, drop, backends


def main() -> None:
    """Run both modes against the line and the baseline, and print the figures side by side."""
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run, about a minute")
    parser.add_argument("--calls", type=int, default=300, help="realistic: calls in progress at once")
    parser.add_argument("--pause", type=float, default=3.0, help="realistic: seconds before each answer")
    parser.add_argument("--realistic-seconds", type=float, default=120)
    parser.add_argument("--saturation-seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2 * cores, help="gunicorn sync workers, each server")
    parser.add_argument("--clients", type=int, default=None, help="saturation: callers with no pauses")
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if args.quick:
        args.calls, args.realistic_seconds, args.saturation_seconds = 100, 25, 10
    clients = args.clients or 2 * args.workers
    if sa.make_url(args.database).host not in {"127.0.0.1", "localhost"}:
        raise SystemExit("the benchmark only runs against a database on this machine")

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine "
          "slows the figures)")
    print(f"{cores} cores shared by client, servers and PostgreSQL; gunicorn: {args.workers} sync workers "
          f"per server; realistic: {args.calls} calls in progress, {args.pause:g} s pauses, "
          f"{args.realistic_seconds:g} s; saturation: {clients} callers without pauses, "
          f"{args.saturation_seconds:g} s each", flush=True)
    url, drop, backends = scratch_database(args.database)
    env = {**os.environ, "DATABASE_URL": url, "TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": PUBLIC,
           "SECRET_KEY": secrets.token_hex(32), "IVR_ENV": "production", "IVR_SPOOL_DIR": f"/tmp/{Path(url).name}"}
    servers = []
    try:
        line, line_url = serve("wsgi:app", args.workers, env, ROOT)
        baseline, baseline_url = serve("baseline_app:app", args.workers, env, ROOT / "bench")
        servers += [line, baseline]
        run(line_url, clients, 0, 3)  # warm up every worker: imports, the practice matcher, connections
        run(baseline_url, clients, 0, 2, walk=menu_presses)
        print("realistic ...", flush=True)
        on_line = {"app": lambda: workers(line), "database": backends}
        realistic = run(line_url, args.calls, args.pause, args.realistic_seconds, watch=on_line)
        print("saturation ...", flush=True)
        saturated = run(line_url, clients, 0, args.saturation_seconds, watch=on_line)
        static = run(baseline_url, clients, 0, args.saturation_seconds, walk=menu_presses,
                     watch={"app": lambda: workers(baseline)})
        report(realistic, saturated, static, peak_memory_mb(line), peak_memory_mb(baseline), args, clients)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        drop()


def report(realistic: Tally, saturated: Tally, static: Tally, line_mb, baseline_mb, args, clients) -> None:
    """The figures, side by side, with the targets."""
    def rate(tally: Tally) -> str:
        return f"{len(tally.latencies) / tally.seconds:.0f}"

    def row(label, get) -> tuple[str, ...]:
        return (label, *(get(tally) for tally in (realistic, saturated, static)))

    rows = [
        ("", "realistic (line)", "saturation (line)", "saturation (baseline)"),
        row("callers at once", lambda t: str(args.calls if t is realistic else clients)),
        row("webhooks answered", lambda t: str(len(t.latencies))),
        row("errors", lambda t: str(len(t.errors))),
        row("referrals completed", lambda t: "-" if t is static else str(t.referrals)),
        row("webhooks per second", rate),
        *[row(f"p{p} latency, ms", lambda t, p=p: percentile_ms(t.latencies, p)) for p in (50, 95, 99)],
        row("slowest, ms", lambda t: f"{max(t.latencies, default=0) * 1000:.1f}"),
        row("CPU per webhook, ms: app", lambda t: f"{t.cpu_seconds['app'] * 1000 / len(t.latencies):.2f}"),
        row("CPU per webhook, ms: PostgreSQL",
            lambda t: f"{t.cpu_seconds['database'] * 1000 / len(t.latencies):.2f}" if "database" in t.cpu_seconds
            else "-"),
        row("worker peak memory, MB", lambda t: ", ".join(f"{m:.0f}" for m in (baseline_mb if t is static
                                                                               else line_mb))),
    ]
    print()
    print(table(rows))
    p99 = statistics.quantiles(realistic.latencies, n=100)[98] * 1000 if len(realistic.latencies) > 1 else 0
    share = (len(saturated.latencies) / saturated.seconds) / max(len(static.latencies) / static.seconds, 1)
    print()
    print(f"realistic p99 {p99:.1f} ms (target under 50 ms): {'met' if p99 < 50 else 'NOT met'}; "
          f"errors {len(realistic.errors) + len(saturated.errors)} (target 0)")
    print(f"saturation: {share:.0%} of the baseline's throughput (target at least 50%): "
          f"{'met' if share >= 0.5 else 'NOT met'}")
    for error in sorted(set(realistic.errors + saturated.errors + static.errors))[:5]:
        print("  error:", error)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
