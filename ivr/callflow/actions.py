"""What the engine asks of the app in one turn: speak, ask, put through, save, and end the call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Say:
    """Speak the first of these prompt keys that exists (later ones are fallbacks; '' = optional)."""

    keys: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)
    language: str | None = None  # said in this language's words and voice, whatever the call's (the menu's offers)


@dataclass(frozen=True)
class Ask:
    """Speak, then wait for the caller: keys or speech, or a recorded message."""

    step: str
    prompts: tuple[Say, ...]
    record: bool = False
    hints: str = ""
    digits: int | None = None
    timeout: int = 8
    max_length: int = 120
    transcribe: bool = False  # a recording Twilio transcribes, posting the text to the transcription webhook
    relay: bool = False  # a caller through text relay: the line waits longer for them (ivr.voice.needs)


@dataclass(frozen=True)
class Dial:
    """Put the caller through to a number named in settings.yaml; Twilio reports how it ended."""

    step: str
    number: str  # a key of settings.yaml's `numbers:`
    timeout: int = 30  # seconds to let it ring
    # A caller who asked for an interpreter: the person answering hears the language first, and the service's
    # interpreting provider is conferenced in where settings.yaml has one (ivr.voice.interpreting).
    interpreter: bool = False


@dataclass(frozen=True)
class Save:
    """Keep an answer on the caller's referral or enquiry as soon as it is given."""

    record: str
    field: str
    value: Any


@dataclass(frozen=True)
class Effect:
    """Something only the app can do: submit a referral, forget an under-16 caller."""

    name: str


@dataclass(frozen=True)
class Outcome:
    """How the call ended up, for counting (no personal data)."""

    name: str


@dataclass(frozen=True)
class Visit:
    """A line for the call's step log."""

    step: str
    event: str


@dataclass(frozen=True)
class Hangup:
    """End the call."""


Action = Say | Ask | Dial | Save | Effect | Outcome | Visit | Hangup
