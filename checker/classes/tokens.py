"""Secrets of class mode: link tokens, per-student keys and the facilitator password.

* A **link token** (the student link and the facilitator link of a class) and a **student
  key** (what lets a browser, or a student's personal link, see that student's own versions)
  are random URL-safe strings of at least 128 bits (``secrets.token_urlsafe``).  Only their
  SHA-256 is stored.  A token is found by its hash (a preimage of SHA-256 cannot be worked
  out from a timing difference), and the stored hash is then compared with
  ``hmac.compare_digest`` (constant time).
* A **password** is stored as a salted scrypt hash and verified in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

#: Bytes of randomness: 16 bytes = 128 bits (22 characters; the student link is typed in a
#: room), 24 bytes = 192 bits for the facilitator link and the student keys.
STUDENT_LINK_BYTES = 16
FACILITATOR_LINK_BYTES = 24
STUDENT_KEY_BYTES = 24

_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MAX_PASSWORD = 200


def new_token(nbytes: int) -> str:
    if nbytes < 16:
        raise ValueError("a token needs at least 128 bits")
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def well_formed(token: object) -> bool:
    """True when ``token`` could be one of ours (checked before any database work)."""
    return isinstance(token, str) and _TOKEN_RE.fullmatch(token) is not None


def same_hash(stored: str | None, token: str) -> bool:
    """Constant-time comparison of a stored hash with the hash of ``token``."""
    if not stored:
        return False
    return hmac.compare_digest(stored.encode("ascii"), token_hash(token).encode("ascii"))


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("the password is empty")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"the password is too long (limit {MAX_PASSWORD} characters)")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def check_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored`` (constant-time comparison of the hashes)."""
    if not stored or not isinstance(password, str) or len(password) > MAX_PASSWORD:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        mine = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            dklen=32,
            n=int(n),
            r=int(r),
            p=int(p),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(mine, bytes.fromhex(digest))
