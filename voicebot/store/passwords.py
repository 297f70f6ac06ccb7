"""Hashing of per-case query passwords (six digits the court gives the parties).

PBKDF2-HMAC-SHA256 with a 16-byte random salt per record and 1,000 iterations (about 0.2 ms).
A six-digit password has only 10**6 values, so no affordable hash cost would stop an offline
search of a stolen database; what protects these passwords is the lockout on the line (three
wrong tries in 30 minutes lock the case for that caller). The hash keeps passwords out of
plain sight in the database and in exports, and the modest cost keeps importing 10,000 cases
to about two seconds of hashing. The iteration count is stored in each hash, so it can be
raised later without invalidating existing records.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 1_000
SALT_BYTES = 16


def hash_password(password: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """``pbkdf2_sha256$<iterations>$<salt>$<hash>`` with base64 salt and hash."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return "$".join((ALGORITHM, str(iterations), _b64(salt), _b64(digest)))


DUMMY_HASH = "$".join((ALGORITHM, str(ITERATIONS), "dm9pY2Vib3QtZHVtbXktc2FsdA==",
                       "cxFmPx0Oyq4/vFeMV9OEZAvkbPMHMRJLv6DzBmqOK1M="))
"""A well-formed hash no password is checked against for real: an unknown case number or a case
without a password is checked against it, so it costs the same work as a real case."""


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; False for an empty or unreadable hash."""
    try:
        algorithm, iterations, salt, digest = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = hashlib.pbkdf2_hmac(
            "sha256", password.encode("utf-8"), base64.b64decode(salt, validate=True),
            int(iterations),
        )
    except ValueError:
        return False
    return hmac.compare_digest(expected, actual)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
