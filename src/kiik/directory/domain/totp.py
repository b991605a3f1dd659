"""Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), the second factor of ministry
administrators. A few lines over `hmac` rather than a library: the algorithm is small and fixed,
and RFC 6238's own test vectors check it (tests/unit/test_totp.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6
# One step either side: a phone's clock a little off, or a code typed as it changed.
WINDOW = 1


def new_secret() -> str:
    """A random 160-bit secret, in the base32 an authenticator app is given."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.strip().replace(" ", "").upper()
    return base64.b32decode(padded + "=" * (-len(padded) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), getattr(hashlib, digest)).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def code_at(secret: str, unix_time: float) -> str:
    return hotp(_key(secret), int(unix_time // STEP_SECONDS))


def verify(secret: str, code: str, unix_time: float) -> bool:
    """Whether `code` is the secret's code now, or one step before or after."""
    typed = code.strip().replace(" ", "")
    if len(typed) != DIGITS or not typed.isdigit():
        return False
    step = int(unix_time // STEP_SECONDS)
    key = _key(secret)
    return any(hmac.compare_digest(hotp(key, step + shift), typed) for shift in range(-WINDOW, WINDOW + 1))


def provisioning_uri(secret: str, username: str, issuer: str = "kiik") -> str:
    """The otpauth:// address an authenticator app reads from a QR code."""
    label = quote(f"{issuer}:{username}")
    return (
        f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={DIGITS}&period={STEP_SECONDS}"
    )
