"""Password rules: long enough, not common or breached, and not built from the account's email or the service's name.

How guessable a password is comes from zxcvbn (Dropbox's estimator, in its Python port): its dictionaries hold
the most common passwords from public breaches, English words, names and keyboard patterns, and it is given the
account's email and the service's name as words a guesser would try first. A password must score 3 or more,
"safely unguessable" (about 10^8 guesses or more), far beyond what the login lockout lets anyone try.
"""

from __future__ import annotations

import re

MIN_LENGTH = 12
# Longer tells zxcvbn nothing more, and its matching grows with the square of the length.
MAX_LENGTH = 128
MIN_SCORE = 3
# Words of a service's name that name no service on their own ("NHS Talking Therapies for Derby and Derbyshire").
CONNECTIVES = {"nhs", "for", "and", "the", "of", "in"}


def _squashed(text: str) -> str:
    """Letters and digits only, lower case: 'Sam.Jones-2026' and 'samjones2026' are the same to a guesser."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def service_name() -> str:
    """The service's name as callers hear it (prompts/settings.yaml)."""
    from ivr.extensions import current_line

    return str(current_line().prompts.settings.get("service_name", ""))


def _service_names(name: str) -> set[str]:
    """The ways a password could hold the service's name: whole, and without "NHS" and the area it serves."""
    core = re.split(r"\s+for\s+", name, maxsplit=1)[0]
    core = re.sub(r"^\s*NHS\s+", "", core, flags=re.IGNORECASE)
    return {squashed for squashed in (_squashed(name), _squashed(core)) if len(squashed) >= 4}


def problem(password: str, email: str, service: str | None = None) -> str | None:
    """What is wrong with this password for the account with this email, in a sentence; None if it will do."""
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters long."
    if len(password) > MAX_LENGTH:
        return f"The password must be at most {MAX_LENGTH} characters long."
    service = service_name() if service is None else service
    squashed, local = _squashed(password), email.split("@")[0]
    if any(len(_squashed(part)) >= 3 and _squashed(part) in squashed for part in (email, local)):
        return "The password must not contain your email address or the part before the @."
    if any(name in squashed for name in _service_names(service)):
        return "The password must not contain the service's name: it is among the first words a guesser tries."
    from zxcvbn import zxcvbn  # here, not at import: its dictionaries take a fifth of a second to load

    words = [email, local, *re.split(r"[^0-9A-Za-z]+", local), *re.split(r"[^0-9A-Za-z]+", service)]
    estimate = zxcvbn(password, user_inputs=[word for word in words if len(word) >= 3])
    if estimate["score"] >= MIN_SCORE:
        return None
    feedback = estimate["feedback"]
    why = feedback["warning"] or "It would be found in too few guesses."
    hint = " ".join(feedback["suggestions"][:1]) or "Add another word or two. Uncommon words are better."
    return f"That password is too easy to guess. {why} {hint}"
