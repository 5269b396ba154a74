"""Simulated callers for bench/load.py: each walks the whole referral through signed requests, as a
person would, recognising each question from the prompts themselves, and the run is timed.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ivr.callflow.line import load_line
from ivr.tools.phone import LineError, Phone, http_transport

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-auth-token-" + secrets.token_hex(8)
PUBLIC = "https://ivr.example.nhs.uk"
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
    "referral.communication": ("press", "2"),
    "referral.best_time": ("say", "mornings"),
    "referral.sessions": ("press", "2"),
    "referral.urgent": ("press", "2"),  # the last question: then the referral is sent, and the line says goodbye
}
LAST = "referral.urgent"


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
    step = None
    while True:
        if phone.ended:
            if step == LAST:
                break
            raise Lost("the line hung up: " + phone.said[-120:])
        question = " ".join(say.text or "" for say in phone.waiting_for.iter("Say"))
        step = step_asked(question)
        if step is None:
            raise Lost(question[:120])
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
