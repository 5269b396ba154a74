"""What bench/load.py watches besides webhook latency: how long the database takes to commit one row, how
much slower each worker's first webhooks are than the rest, and where the workers' CPU goes.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import psycopg
import sqlalchemy as sa

COLD_WEBHOOKS = 20  # each worker's first webhooks, compared with the rest
# gunicorn's access log line, for finding each worker's first webhooks: the worker's pid and the request's
# time in microseconds (gunicorn's access log atoms p and D).
ACCESS_LOG_FORMAT = "%(p)s %(D)s"


def percentile_ms(latencies: list[float], p: int) -> str:
    if len(latencies) < 2:
        return "-"
    return f"{statistics.quantiles(latencies, n=100, method='inclusive')[p - 1] * 1000:.1f}"


class CommitProbe:
    """Every `every` seconds, one INSERT of one row and a COMMIT, timed, on a connection and scratch table of its
    own: what the disk makes every committing webhook wait, whatever the app does."""

    def __init__(self, database_url: str, every: float = 0.1):
        url = sa.make_url(database_url)
        self.connection = psycopg.connect(
            host=url.host, port=url.port or 5432, user=url.username, password=url.password, dbname=url.database)
        self.connection.execute("CREATE TABLE IF NOT EXISTS bench_commit_probe "
                                "(id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())")
        self.connection.commit()
        self.backend = self.connection.info.backend_pid
        self.every, self.timed = every, []  # (when, seconds) of each probe
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            start = time.perf_counter()
            self.connection.execute("INSERT INTO bench_commit_probe DEFAULT VALUES")
            self.connection.commit()
            self.timed.append((time.monotonic(), time.perf_counter() - start))

    def between(self, start: float, end: float) -> list[float]:
        """The commit latencies measured between two monotonic times."""
        return [seconds for when, seconds in self.timed if start <= when <= end]

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.connection.close()


def cold_start(access_log: Path) -> tuple[list[float], list[float]]:
    """Server-side times of each worker's first COLD_WEBHOOKS webhooks, and of all its later ones."""
    by_worker = defaultdict(list)
    for line in access_log.read_text().splitlines():
        worker, _, micros = line.partition(" ")
        if micros.strip().isdigit():
            by_worker[worker].append(int(micros) / 1e6)
    first = [t for times in by_worker.values() for t in times[:COLD_WEBHOOKS]]
    rest = [t for times in by_worker.values() for t in times[COLD_WEBHOOKS:]]
    return first, rest


def windows(started: list[float], latencies: list[float], seconds: float) -> tuple[list[float], list[float]]:
    """Latencies of webhooks sent in the first `seconds` of a run, and of those sent after."""
    if not started:
        return [], []
    zero = min(started)
    first = [lat for at, lat in zip(started, latencies, strict=True) if at - zero < seconds]
    after = [lat for at, lat in zip(started, latencies, strict=True) if at - zero >= seconds]
    return first, after


class Profile:
    """py-spy sampling every worker of a gunicorn server, only while a thread holds the GIL: Python's own CPU time."""

    def __init__(self, master_pid: int, seconds: float, output: Path):
        self.output = output
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(master_pid), "--subprocesses",
             "--duration", str(int(seconds)), "--format", "raw", "--nolineno", "--nonblocking", "--gil",
             "--output", str(output)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def top(self, rows: int = 15) -> str:
        """The functions that used most CPU, by own time and with what they called, and CPU by package."""
        self.process.wait(timeout=120)
        if not self.output.exists():
            return "(no profile: is py-spy installed, and may it trace processes here?)"
        own, total, packages, samples = Counter(), Counter(), Counter(), 0
        for line in self.output.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            frames = [frame for frame in stack.split(";") if frame]
            if not frames or not count.isdigit():
                continue
            count, samples = int(count), samples + int(count)
            own[frames[-1]] += count
            for frame in set(frames):
                total[frame] += count
            packages[_package(frames[-1])] += count
        if not samples:
            return "(the profile is empty)"
        lines = [f"{samples} samples; CPU by package of the running function:",
                 "  " + ", ".join(f"{name} {n / samples:.0%}" for name, n in packages.most_common(8)),
                 f"{'own':>5} {'total':>6}  function"]
        for frame, n in own.most_common(rows):
            lines.append(f"{n / samples:5.1%} {total[frame] / samples:6.1%}  {frame}")
        lines.append("the line's own functions, by total (with what they called):")
        ours = [(n, frame) for frame, n in total.items() if "(ivr/" in frame]
        for n, frame in sorted(ours, reverse=True)[:rows]:
            lines.append(f"{own[frame] / samples:5.1%} {n / samples:6.1%}  {frame}")
        return "\n".join(lines)


def _package(frame: str) -> str:
    """'execute (sqlalchemy/orm/session.py)' -> 'sqlalchemy.orm'; our own code by its part ('ivr.voice')."""
    where = frame.rpartition("(")[2].rstrip(")")
    parts = where.split("/")
    if parts[0] in {"sqlalchemy", "ivr"} and len(parts) > 2:
        return f"{parts[0]}.{parts[1]}"
    return parts[0].removesuffix(".py") if len(parts) > 1 else f"python ({where})"
