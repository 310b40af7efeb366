"""Encryption at rest of device credentials (Fernet: AES-128-CBC + HMAC-SHA256).

Keys come from the environment, never from the database:

* ``SOFTWHERE_CREDENTIALS_KEYS``: comma-separated Fernet keys, newest first (rotation:
  prepend a new key, run ``softwhere diag`` … re-save, then drop the old one);
* otherwise a key derived (HKDF-SHA256) from ``SOFTWHERE_SECRET_KEY`` / ``settings.SECRET_KEY``.

A database dump alone therefore reveals no password.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_INFO = b"softwhere.diagnostics.credentials.v1"


class SecretUnavailable(Exception):
    """The stored secret cannot be decrypted with the configured keys (key changed or lost)."""


def _derived_key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


@lru_cache(maxsize=4)
def _fernet(keys: str, secret_key: str) -> MultiFernet:
    if keys.strip():
        try:
            return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
        except ValueError as exc:
            raise ImproperlyConfigured("SOFTWHERE_CREDENTIALS_KEYS: clé Fernet invalide") from exc
    return MultiFernet([Fernet(_derived_key(secret_key))])


def fernet() -> MultiFernet:
    return _fernet(os.environ.get("SOFTWHERE_CREDENTIALS_KEYS", ""), settings.SECRET_KEY)


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise SecretUnavailable("secret illisible avec les clés configurées") from None


def rotate(token: str) -> str:
    """Re-encrypt with the newest key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")
