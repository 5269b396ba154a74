"""Simulated callers for bench/load.py: each walks the whole referral through signed requests, as a
person would, answering each question by the step its answer URL names (ivr/tools/caller.py), and the run is timed.
"""

from __future__ import annotations

import os
import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ivr.tools.caller import Caller, Lost
from ivr.tools.phone import LineError, Phone, http_transport

TOKEN = "bench-auth-token-" + secrets.token_hex(8)
PUBLIC = "https://ivr.example.nhs.uk"
# What the caller answers where it differs from the shared caller's (ivr/tools/caller.py's REFERRAL): a practice
# the directory knows, a name confirmed by voice, the time said. Steps are named by each question's answer URL.
ANSWERS = {
    "referral.practice": "Arthur Medical Centre in Horsley Woodhouse",
    "referral.name": "Sam Smith",
    "referral.name_confirm": "yes",
    "referral.best_time": "mornings",
}
# The last question: the referral is sent just before it (flows/referral.yaml's submitted), then the reference is
# said, once here, and the line says goodbye.
LAST = "referral.reference"


@dataclass
class Tally:
    """What one run measured: each webhook's latency, failures, and referrals completed."""

    latencies: list[float] = field(default_factory=list)
    started: list[float] = field(default_factory=list)  # when each webhook was sent (monotonic)
    errors: list[str] = field(default_factory=list)
    referrals: int = 0
    began: float = 0.0  # monotonic
    seconds: float = 0.0
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # app workers and database, this run
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finished(self, referred: bool) -> None:
        with self.lock:
            self.referrals += referred

    def timed(self, transport):
        def send(url, form, headers):
            sent, start = time.monotonic(), time.perf_counter()
            answer = transport(url, form, headers)
            latency = time.perf_counter() - start
            with self.lock:
                self.started.append(sent)
                self.latencies.append(latency)
            return answer
        return send


def refer(phone: Phone, pause: float, until: float) -> bool:
    """Walk one referral, pausing before each answer; False if time ran out first."""
    time.sleep(pause * random.uniform(0.8, 1.2))  # the line rings
    phone.dial()
    caller = Caller(phone, ANSWERS)
    while not phone.ended:
        time.sleep(pause * random.uniform(0.8, 1.2))
        if time.monotonic() > until:
            phone.hang_up()
            return False
        caller.answer()
    if caller.asked[-1:] != [LAST]:
        raise Lost("the line hung up: " + phone.said[-120:])
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
    start = tally.began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.seconds = time.monotonic() - start
    for name, pids in watch.items():
        after = cpu_seconds(pids())
        tally.cpu_seconds[name] = sum(used - before[name].get(pid, 0.0) for pid, used in after.items())
    return tally
