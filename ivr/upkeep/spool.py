"""What callers gave while the database was down, kept on local disk until ivr.upkeep.replay loads it.

Each web process appends JSON lines to a file of its own (O_APPEND, fsync), so several gunicorn
workers never interleave. A replay claims the files by moving them aside before reading them, and
settles them into replayed/ afterwards; what it could not replay goes back as a new pending file,
or after SPOOL_MAX_REPLAYS failed replays into dead-letter/.
Webhooks Twilio could not get from us at all (it then calls /voice/fallback) are kept here too.
The files hold what callers said: readable by the owner only, and purged with the retention job.

Only a request whose Twilio signature was verified is kept (ivr.voice.signature marks it on flask.g), and
only while what waits for a replay is under SPOOL_MAX_BYTES and SPOOL_MAX_FILES: a replay loads what it
finds through the live call path, so anything kept here becomes a referral.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app, g, has_request_context

PENDING = "*.jsonl"
FALLBACK = "fallback"  # a webhook Twilio could not get from us, whose URL it did not say
DEAD_LETTER = "dead-letter"
# Set on flask.g by the signature check (ivr.voice.signature) once Twilio's signature on the request is verified.
VERIFIED = "twilio_signature_verified"


class NotKept(Exception):
    """The spool would not keep a webhook; the caller still hears the apology."""


class Unverified(NotKept):
    """The request's Twilio signature was never verified: it may be anyone's."""


class Full(NotKept):
    """What waits for a replay has reached SPOOL_MAX_BYTES or SPOOL_MAX_FILES."""


def _spool_dir() -> Path:
    path = Path(current_app.config["SPOOL_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _append(path: Path, entries: list[dict[str, Any]]) -> None:
    _append_bytes(path, "".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries).encode())


def _append_bytes(path: Path, lines: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)  # personal data: owner only
    try:
        os.write(fd, lines)
        os.fsync(fd)
    finally:
        os.close(fd)


def keep(kind: str, form: dict[str, str], seq: int | None) -> Path:
    """Append one webhook (incoming, answer or status) to this process's spool file; returns the file.

    Raises Unverified for a request whose signature was not verified, Full when the spool is at its cap.
    """
    if not (has_request_context() and g.get(VERIFIED) is True):
        current_app.logger.error("refused to spool a %s webhook whose signature was not verified", kind)
        raise Unverified(kind)
    entry = {
        "id": uuid.uuid4().hex,
        "at": datetime.now(UTC).isoformat(),
        "kind": kind,
        "call_sid": form.get("CallSid", ""),
        "seq": seq,
        "form": form,
    }
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
    root = _spool_dir()
    path = root / f"{socket.gethostname()}-{os.getpid()}.jsonl"
    _make_room(root, path, len(line))
    _append_bytes(path, line)
    return path


def _make_room(root: Path, path: Path, adding: int) -> None:
    """Raise Full unless `adding` more bytes in `path` keep what waits (pending and being replayed) under both caps.

    Each process checks before it writes, so at the cap several at once may each add one line: a few hundred
    bytes over, never a flood. What is already kept stays; the log says so, without anything the caller gave.
    """
    config = current_app.config
    files, size = _waiting_size(root)
    new_file = not path.exists()
    if size + adding > config["SPOOL_MAX_BYTES"] or files + new_file > config["SPOOL_MAX_FILES"]:
        current_app.logger.error(
            "the spool is full (%d files, %d bytes waiting; SPOOL_MAX_FILES=%d, SPOOL_MAX_BYTES=%d): a webhook was "
            "not kept. Run `flask --app wsgi spool replay` once the database is back, or raise the caps.",
            files, size, config["SPOOL_MAX_FILES"], config["SPOOL_MAX_BYTES"])
        raise Full()


def _waiting_size(root: Path) -> tuple[int, int]:
    """How many files wait for a replay, and their bytes (stat only: nothing personal is read)."""
    files = size = 0
    for path in [*root.glob(PENDING), *(root / "replaying").glob(PENDING)]:
        try:
            size += path.stat().st_size
        except FileNotFoundError:  # a replay claimed or settled it meanwhile
            continue
        files += 1
    return files, size


def claim() -> list[Path]:
    """Move every pending spool file (and any left by an interrupted replay) into replaying/."""
    root = _spool_dir()
    replaying = root / "replaying"
    replaying.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    for path in sorted(root.glob(PENDING)):
        path.rename(replaying / f"{path.stem}.{stamp}.jsonl")
    return sorted(replaying.glob(PENDING))


def read(paths: list[Path]) -> list[dict[str, Any]]:
    """Every entry in the files, oldest first; a torn last line (a crash mid-write) is skipped."""
    entries = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                current_app.logger.warning("skipped an unreadable line in %s", path.name)
    return sorted(entries, key=lambda entry: (entry["at"], entry.get("seq") or 0))


def settle(paths: list[Path], failed: list[dict[str, Any]]) -> int:
    """Move replayed files into replayed/, and put what failed back as a pending file for next time.

    An entry that has failed SPOOL_MAX_REPLAYS replays goes to dead-letter/ instead, where it is
    retried no more: `spool status` reports it, the retention purge deletes it. Returns how many did.
    """
    root = _spool_dir()
    limit = current_app.config["SPOOL_MAX_REPLAYS"]
    dead = [entry for entry in failed if entry.get("failed_replays", 0) >= limit]
    retry = [entry for entry in failed if entry.get("failed_replays", 0) < limit]
    if retry:
        _append(root / f"retry-{uuid.uuid4().hex[:8]}.jsonl", retry)
    if dead:
        _append(dead_letter_dir() / f"dead-{uuid.uuid4().hex[:8]}.jsonl", dead)
    done = root / "replayed"
    done.mkdir(exist_ok=True)
    for path in paths:
        path.rename(done / path.name)
    return len(dead)


def dead_letter_dir() -> Path:
    """Where entries no replay could load are kept, for someone to read the log about, until purged."""
    path = _spool_dir() / DEAD_LETTER
    path.mkdir(mode=0o700, exist_ok=True)
    return path


@dataclass(frozen=True)
class Waiting:
    """Spooled webhooks not yet replayed: how many, in how many files, and the oldest file's first."""

    events: int
    files: int
    since: datetime | None


def waiting(with_since: bool = False) -> Waiting:
    """Count what waits for a replay by its lines alone, reading no personal data out of it.

    Pending files and any an interrupted replay left in replaying/ both wait. With `with_since`,
    the first line of each file is read for its time only.
    """
    root = Path(current_app.config["SPOOL_DIR"])
    return _count([*root.glob(PENDING), *(root / "replaying").glob(PENDING)], with_since)


def dead_letters() -> Waiting:
    """Count the entries in dead-letter/ (no replay could load them), the same way."""
    return _count(list((Path(current_app.config["SPOOL_DIR"]) / DEAD_LETTER).glob(PENDING)), with_since=True)


def _count(paths: list[Path], with_since: bool) -> Waiting:
    events, files, firsts = 0, 0, []
    for path in paths:
        try:
            events += _lines(path)
            if with_since:
                firsts.append(_first_time(path))
        except FileNotFoundError:  # a replay claimed or settled it meanwhile
            continue
        files += 1
    known = [at for at in firsts if at is not None]
    return Waiting(events=events, files=files, since=min(known) if known else None)


def _lines(path: Path) -> int:
    """Whole lines in the file (a torn last line is not an entry)."""
    with path.open("rb") as spooled:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: spooled.read(1 << 16), b""))


def _first_time(path: Path) -> datetime | None:
    with path.open("rb") as spooled:
        first = spooled.readline()
    try:
        return datetime.fromisoformat(json.loads(first)["at"])
    except (ValueError, KeyError, TypeError):
        return None
