"""Password hashing with argon2-cffi (argon2id); nothing home-made.

Parameters: argon2-cffi's ``RFC_9106_LOW_MEMORY`` profile, the second
recommended option of RFC 9106 §4 — argon2id, 3 passes over 64 MiB, 4 lanes,
16-byte random salt, 32-byte tag (about 0.2 s on a 2-core workstation). The
first recommendation (2 GiB) does not fit a console that also holds ring
buffers and plots. The parameters travel inside each stored hash (the PHC
string ``$argon2id$v=19$m=65536,t=3,p=4$…``), so verifying an old hash always
works and a successful log-in re-hashes one made with weaker parameters.
"""

from __future__ import annotations

import secrets

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

PROFILE = profiles.RFC_9106_LOW_MEMORY
FAST_FOR_TESTS = profiles.CHEAPEST
"""Only for tests (1 pass over 8 KiB): verify() accepts hashes of either profile."""

_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""One-time passwords: no 0/O, 1/l/I to misread when an administrator reads one out."""


def one_time_password(length: int = 12) -> str:
    """A random password (about 70 bits) to give to a person, changed at first log-in."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


class Passwords:
    def __init__(self, profile: Parameters = PROFILE) -> None:
        self._hasher = PasswordHasher.from_parameters(profile)
        self._dummy = self._hasher.hash(one_time_password())

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def verify_nobody(self, password: str) -> None:
        """Spend the time of a verification for an unknown user id (no timing tell)."""
        self.verify(self._dummy, password)

    def needs_rehash(self, stored: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True
