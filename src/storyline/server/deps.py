"""FastAPI dependencies shared by the API and UI routers: the per-request store and the server config."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import HTTPException, Request

from ..errors import StorylineError
from ..settings import DEFAULT, Settings
from ..store import Store
from .pool import StorePool


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
    """A store on the app's database for one request, from the app's pool, given back after it.

    A store is never shared by two requests at once (an SQLite connection must not be).
    """
    pool: StorePool = request.app.state.stores
    store = pool.acquire()
    try:
        yield store
    except (HTTPException, StorylineError):
        pool.release(store)  # an answer about the request, not a broken connection
        raise
    except BaseException:
        pool.discard(store)
        raise
    else:
        pool.release(store)


def get_settings(request: Request) -> Settings:
    return get_config(request).settings
