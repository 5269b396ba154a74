"""Load benchmark: simulated callers walk the whole referral through signed HTTP requests against
gunicorn + PostgreSQL, beside a static-TwiML Flask baseline served the same way.

    .venv/bin/python bench/load.py            # about 3.5 minutes
    .venv/bin/python bench/load.py --quick    # about 1 minute

Realistic: --calls callers in progress at once, each pausing about --pause seconds before every
answer, as a prompt plays and a person answers: webhook latency percentiles. Saturation: callers
with no pauses: webhook requests per second, for the line and for the baseline. A scratch database
ivr_bench_<pid> is created, migrated and dropped afterwards. Traffic only ever goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from callers import PUBLIC, TOKEN, Tally, menu_presses, run  # noqa: E402

PRACTICES = ROOT / "data" / "gp-practices-derby-derbyshire.csv"


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
    p99 = float(percentile_ms(realistic.latencies, 99)) if len(realistic.latencies) > 1 else 0.0
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
