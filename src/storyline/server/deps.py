"""FastAPI dependencies shared by the API and UI routers: the per-request store and the server config."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Request

from ..settings import DEFAULT, Settings
from ..store import Store, open_store


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """What ``create_app`` was given, kept on ``app.state.config``."""

    db: str
    settings: Settings = DEFAULT
    # Extra accepted token (besides those stored by `storyline token create`), e.g. for tests.
    token: str | None = None
    # Writes need a bearer token (the server listens beyond loopback).
    require_token: bool = False
    # Reads need no token even when writes do.
    open_reads: bool = True


def get_config(request: Request) -> ServerConfig:
    config: ServerConfig = request.app.state.config
    return config


def get_store(request: Request) -> Iterator[Store]:
    """A store on the app's database for one request, closed after the response.

    One per request because an SQLite connection must not be shared by concurrent requests.
    """
    store = open_store(get_config(request).db)
    try:
        yield store
    finally:
        store.close()


def get_settings(request: Request) -> Settings:
    return get_config(request).settings
