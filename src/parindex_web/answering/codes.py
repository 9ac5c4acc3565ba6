"""One-time codes: random, short, unambiguous, kept only as their SHA-256.

A code is :data:`LENGTH` symbols of :data:`ALPHABET` (digits and capitals without 0, O, 1 and
I), written in groups of four (``7KQM-3XH9-PWRA``): 32 symbols, 5 bits each, 60 bits in all, drawn
with :mod:`secrets`. What a respondent types is read without case, spaces or hyphens
(:func:`normal`); anything else is no code.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4


def new_code() -> str:
    """A fresh code, as printed (groups of four joined by hyphens)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normal(text: str) -> str | None:
    """The code in ``text`` as kept (capitals, no separators), or ``None`` when it cannot be
    one (wrong length or a symbol outside the alphabet)."""
    raw = "".join(text.split()).replace("-", "").upper()
    if len(raw) != LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return raw


def printed(raw: str) -> str:
    """A kept code written as printed."""
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def digest(raw: str) -> str:
    """The SHA-256 (hex) a normal code is kept as."""
    return hashlib.sha256(raw.encode("ascii")).hexdigest()
