"""The FastAPI application: API routers, the UI router, JSON errors and auth."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .. import __version__
from ..settings import DEFAULT, Settings
from .deps import ServerConfig
from .errors import install_error_handlers
from .jobs import JobRunner
from .pool import StorePool
from .routes_articles import router as articles_router
from .routes_jobs import router as jobs_router
from .routes_stories import router as stories_router
from .routes_write import router as write_router
from .ui import router as ui_router

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1"


def create_app(
    *,
    db: str,
    token: str | None = None,
    open_reads: bool = True,
    settings: Settings = DEFAULT,
    require_token: bool | None = None,
) -> FastAPI:
    """The Storyline web application over the database ``db``.

    Writes need ``Authorization: Bearer <token>`` when ``require_token`` (default: when
    ``token`` is given); reads need it too unless ``open_reads``. Accepted tokens are
    ``token`` and those stored by ``storyline token create``.
    """
    settings.validate()
    stores = StorePool(db)
    stores.release(stores.acquire())  # migrate now, so a bad database fails at start-up, not on a request
    # Background ingest jobs; the worker thread starts with the first one.
    jobs = JobRunner(db, settings=settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        # Stops the running job at its next article, fails the queued ones, joins the worker.
        await asyncio.to_thread(jobs.close)
        stores.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Storyline",
        version=__version__,
        description="Stories, facts, quotes and entities from news articles across outlets.",
    )
    app.state.config = ServerConfig(
        db=db,
        settings=settings,
        token=token,
        require_token=token is not None if require_token is None else require_token,
        open_reads=open_reads,
    )
    app.state.stores = stores
    app.state.jobs = jobs
    install_error_handlers(app)
    for router in (articles_router, stories_router, write_router, jobs_router):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(ui_router)
    return app
