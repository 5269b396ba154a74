"""Load benchmark: simulated callers walk the whole referral through signed HTTP requests against
gunicorn + PostgreSQL, beside a static-TwiML Flask baseline served the same way.

    .venv/bin/python bench/load.py            # about 3.5 minutes
    .venv/bin/python bench/load.py --quick    # about 1 minute

Realistic: --calls callers in progress at once, each pausing about --pause seconds before every
answer, as a prompt plays and a person answers: webhook latency percentiles. Saturation: callers
with no pauses: webhook requests per second, for the line and for the baseline. A scratch database
ivr_bench_<pid> is created, migrated and dropped afterwards. Traffic only ever goes to 127.0.0.1.

The line is served as production serves it, with gunicorn.conf.py, and the realistic run starts on a fresh
server: its first minute is compared with the rest, and each worker's first webhooks with its later ones.
A probe times a one-row insert and commit every 0.1 s throughout, so a slow disk shows as such.
--profile also samples the line's workers with py-spy during the saturation run.
"""

from __future__ import annotations

import argparse
import os
import runpy
import secrets
import shutil
import socket
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
from probes import (  # noqa: E402
    ACCESS_LOG_FORMAT,
    COLD_WEBHOOKS,
    CommitProbe,
    Profile,
    cold_start,
    percentile_ms,
    windows,
)
from scratch import postgresql_database  # noqa: E402

PRACTICES = ROOT / "data" / "gp-practices-derby-derbyshire.csv"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# What each of the line's workers logs once warmed (ivr/voice/warm.py), ready for its first caller.
READY = ("worker warmed in", "could not warm this worker")


def serve(app: str, args, env: dict, chdir: Path, access_log: Path,
          config: str = str(GUNICORN_CONF), ready: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    """Start gunicorn on 127.0.0.1 and wait until it answers and, given `ready`, until every worker has logged
    one of those: a deploy puts a server behind the load balancer once it is ready, not while workers boot."""
    port = free_port()
    errors = access_log.with_suffix(".err")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", config, "--workers", str(args.workers),
         "--worker-class", args.worker_class, "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}",
         "--chdir", str(chdir), "--log-level", "warning", "--access-logfile", str(access_log),
         "--access-logformat", ACCESS_LOG_FORMAT, app],
        env=env, stdout=subprocess.DEVNULL, stderr=errors.open("w"),
    )
    for _ in range(1200):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn {app} exited while starting: {errors.read_text()[-500:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            time.sleep(0.1)
            continue
        marked = sum(mark in line for line in errors.read_text().splitlines() for mark in ready)
        if marked >= (args.workers if ready else 0):
            return server, f"http://127.0.0.1:{port}"
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


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                       for column, (cell, width) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def scratch_database(server_url: str) -> tuple[str, Callable[[], None], Callable[[int], list[str]]]:
    """Create, migrate and fill ivr_bench_<pid>; returns its URL, a function that drops it and one
    that lists the PostgreSQL backends serving it, but one."""
    name = f"ivr_bench_{os.getpid()}"
    url, admin, drop = postgresql_database(server_url, name)

    def backends(but: int) -> list[str]:
        with admin.connect() as connection:
            return [str(pid) for pid in connection.execute(sa.text(
                "SELECT pid FROM pg_stat_activity WHERE datname = :name AND pid NOT IN (pg_backend_pid(), :but)"
            ), {"name": name, "but": but}).scalars()]

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
    served = runpy.run_path(str(GUNICORN_CONF))  # the line's production settings, also given to the baseline
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run, about a minute")
    parser.add_argument("--calls", type=int, default=300, help="realistic: calls in progress at once")
    parser.add_argument("--pause", type=float, default=3.0, help="realistic: seconds before each answer")
    parser.add_argument("--realistic-seconds", type=float, default=120)
    parser.add_argument("--saturation-seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=served.get("workers", 2 * cores), help="gunicorn workers")
    parser.add_argument("--worker-class", default=served.get("worker_class", "sync"))
    parser.add_argument("--threads", type=int, default=served.get("threads", 1), help="per gthread worker")
    parser.add_argument("--clients", type=int, default=None, help="saturation: callers with no pauses")
    parser.add_argument("--profile", action="store_true", help="sample the line's workers with py-spy, saturated")
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if args.quick:
        args.calls, args.realistic_seconds, args.saturation_seconds = 100, 25, 10
    clients = args.clients or 2 * args.workers * args.threads
    if sa.make_url(args.database).host not in {"127.0.0.1", "localhost"}:
        raise SystemExit("the benchmark only runs against a database on this machine")

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine "
          "slows the figures)")
    print(f"{cores} cores shared by client, servers and PostgreSQL; gunicorn: {args.workers} {args.worker_class} "
          f"workers per server{f' of {args.threads} threads' if args.worker_class == 'gthread' else ''}; "
          f"realistic: {args.calls} calls in progress, {args.pause:g} s pauses, {args.realistic_seconds:g} s, "
          f"from a fresh server; saturation: {clients} callers without pauses, {args.saturation_seconds:g} s each",
          flush=True)
    url, drop, backends = scratch_database(args.database)
    scratch = Path(f"/tmp/{Path(url).name}")
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, "DATABASE_URL": url, "TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": PUBLIC,
           "SECRET_KEY": secrets.token_hex(32), "IVR_ENV": "production", "IVR_SPOOL_DIR": str(scratch / "spool"),
           "IVR_SERVE": "voice"}  # the line as production serves it: Twilio's webhooks, the dashboard apart
    servers, probe = [], CommitProbe(url)
    try:
        started = time.monotonic()
        line, line_url = serve("wsgi:app", args, env, ROOT, scratch / "line.log", ready=READY)
        print(f"the line's workers were ready {time.monotonic() - started:.1f} s after gunicorn started", flush=True)
        (scratch / "baseline.conf.py").write_text("# the baseline: gunicorn's defaults, no hooks\n")
        baseline, baseline_url = serve("baseline_app:app", args, env, ROOT / "bench", scratch / "baseline.log",
                                       config=str(scratch / "baseline.conf.py"))
        servers += [line, baseline]
        on_line = {"app": lambda: workers(line), "database": lambda: backends(probe.backend)}
        print("realistic, from a fresh server ...", flush=True)
        realistic = run(line_url, args.calls, args.pause, args.realistic_seconds, watch=on_line)
        first_webhooks = cold_start(scratch / "line.log")
        run(baseline_url, clients, 0, 2, walk=menu_presses)  # the baseline has nothing to warm, but be fair
        print("saturation ...", flush=True)
        profile = Profile(line.pid, args.saturation_seconds, scratch / "profile.txt") if args.profile else None
        saturated = run(line_url, clients, 0, args.saturation_seconds, watch=on_line)
        static = run(baseline_url, clients, 0, args.saturation_seconds, walk=menu_presses,
                     watch={"app": lambda: workers(baseline)})
        report(realistic, saturated, static, peak_memory_mb(line), peak_memory_mb(baseline), args, clients, probe)
        cold(realistic, first_webhooks, args)
        if profile:
            print(f"\nprofile of the line's workers, saturated ({args.saturation_seconds:g} s, py-spy):")
            print(profile.top())
        print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        probe.stop()
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        drop()
        shutil.rmtree(scratch, ignore_errors=True)  # the servers' logs, the profile and the spool


def report(realistic: Tally, saturated: Tally, static: Tally, line_mb, baseline_mb, args, clients, probe) -> None:
    """The figures, side by side, with the targets."""
    def rate(tally: Tally) -> str:
        return f"{len(tally.latencies) / tally.seconds:.0f}"

    def row(label, get) -> tuple[str, ...]:
        return (label, *(get(tally) for tally in (realistic, saturated, static)))

    def commits(tally: Tally, p: int) -> str:
        return "-" if tally is static else percentile_ms(probe.between(tally.began, tally.began + tally.seconds), p)

    rows = [
        ("", "realistic (line)", "saturation (line)", "saturation (baseline)"),
        row("callers at once", lambda t: str(args.calls if t is realistic else clients)),
        row("webhooks answered", lambda t: str(len(t.latencies))),
        row("errors", lambda t: str(len(t.errors))),
        row("referrals completed", lambda t: "-" if t is static else str(t.referrals)),
        row("webhooks per second", rate),
        *[row(f"p{p} latency, ms", lambda t, p=p: percentile_ms(t.latencies, p)) for p in (50, 95, 99)],
        row("slowest, ms", lambda t: f"{max(t.latencies, default=0) * 1000:.1f}"),
        row("commit probe p50 / p99, ms", lambda t: "-" if t is static else f"{commits(t, 50)} / {commits(t, 99)}"),
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
    cpu = saturated.cpu_seconds["app"] * 1000 / max(len(saturated.latencies), 1)
    print()
    print(f"realistic p99 {p99:.1f} ms (target under 50 ms while the commit probe's p99 is under 10 ms): "
          f"{'met' if p99 < 50 else 'NOT met'}; errors {len(realistic.errors) + len(saturated.errors)} (target 0)")
    print(f"saturation: app CPU {cpu:.2f} ms a webhook (target 2.0 ms or less): {'met' if cpu <= 2.0 else 'NOT met'}; "
          f"worker peak memory {max(line_mb, default=0):.0f} MB (target 80 MB or less): "
          f"{'met' if max(line_mb, default=0) <= 80 else 'NOT met'}; "
          f"{float(rate(saturated)) / max(float(rate(static)), 1):.0%} of the baseline's webhooks per second")
    for error in sorted(set(realistic.errors + saturated.errors + static.errors))[:5]:
        print("  error:", error)


def cold(realistic: Tally, first_webhooks: tuple[list[float], list[float]], args) -> None:
    """Cold start: the fresh server's first minute against the rest, each worker's first webhooks against the rest."""
    window = min(60.0, args.realistic_seconds / 2)
    first, after = windows(realistic.started, realistic.latencies, window)
    ratio = (float(percentile_ms(first, 99)) / float(percentile_ms(after, 99))
             if len(first) > 1 and len(after) > 1 else 0.0)
    print(f"cold start: p50 / p95 / p99 of the first {window:g} s {_p(first)} ms, afterwards {_p(after)} ms: "
          f"{ratio:.1f}x at p99 (target 2x or less): {'met' if ratio <= 2 else 'NOT met'}")
    early, later = first_webhooks
    print(f"  each worker's first {COLD_WEBHOOKS} webhooks {_p(early)} ms, its later ones {_p(later)} ms "
          "(time in the worker, from gunicorn's access log)")


def _p(latencies: list[float]) -> str:
    return " / ".join(percentile_ms(latencies, p) for p in (50, 95, 99))


if __name__ == "__main__":
    main()
