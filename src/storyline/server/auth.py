"""Bearer tokens for the HTTP API: stored hashed, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from ..errors import E600, ApiError
from ..store import Store
from .deps import ServerConfig, get_config, get_store

# Random bytes in a token: 256 bits, as URL-safe base64.
TOKEN_BYTES = 32


def create_token(store: Store, *, name: str | None = None) -> str:
    """Store the hash of a new random token and return the token (shown once, never stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with store.connection.transaction():
        store.connection.execute(
            "INSERT INTO api_tokens (hash, name, created_at) VALUES (?, ?, ?)",
            (hash_token(token), name, datetime.now(UTC).isoformat(timespec="seconds")),
        )
    return token


def hash_token(token: str) -> str:
    # A plain hash suffices: tokens are 256 random bits, so there is nothing to brute-force.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_accepted(store: Store, token: str, *, extra: str | None = None) -> bool:
    """True when ``token`` is ``extra`` or one stored; every comparison is constant-time."""
    if extra is not None and hmac.compare_digest(token.encode("utf-8"), extra.encode("utf-8")):
        return True
    digest = hash_token(token)
    rows = store.connection.execute("SELECT hash FROM api_tokens").fetchall()
    return any(hmac.compare_digest(digest, row[0]) for row in rows)


def is_loopback(host: str) -> bool:
    """True for hosts only this machine can reach (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _check(request: Request, store: Store, config: ServerConfig) -> None:
    token = _bearer(request)
    if token is None or not token_accepted(store, token, extra=config.token):
        raise ApiError(E600)


def require_read(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    config: Annotated[ServerConfig, Depends(get_config)],
) -> None:
    """Reads need a token when writes do, unless the server was started with open reads."""
    if config.require_token and not config.open_reads:
        _check(request, store, config)


def require_write(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    config: Annotated[ServerConfig, Depends(get_config)],
) -> None:
    if config.require_token:
        _check(request, store, config)
