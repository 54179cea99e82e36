"""Write endpoints: ingest articles (JSON or an uploaded file), merge and split stories.

Each ingest runs the whole chain the CLI's ``analyze`` runs: store, annotate the new articles,
update the stories; in the request, or with ``?background=true`` as a job (see ``jobs.py``).
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from .. import api
from ..errors import E603, ApiError
from ..settings import Settings
from ..store import Store
from .auth import require_write
from .deps import get_settings, get_store
from .jobs import Job, run_ingest
from .routes_jobs import job_link, job_runner
from .schemas import ArticleIn, IngestOut, JobOut, MergeIn, SplitIn, StoryEventOut, error_responses

logger = logging.getLogger(__name__)

router = APIRouter(
    responses=error_responses(400, 401, 404, 409, 422, 500), dependencies=[Depends(require_write)]
)

StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
BackgroundFlag = Annotated[
    bool,
    Query(description="Run the ingest as a background job: answer 202 with the job at once, then poll it."),
]
# Characters kept from an uploaded file's name; the extension picks the reader.
UNSAFE_NAME = re.compile(r"[^\w.-]+")
# Bytes copied at a time from an upload to its file.
CHUNK = 1 << 20
JSON_INPUT = "articles.jsonl"
INGEST_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {
        "model": JobOut,
        "description": "With background=true: the job, queued. Poll the Location (or links.self) until done.",
        "headers": {"Location": {"description": "The job's URL path.", "schema": {"type": "string"}}},
    },
    **error_responses(503),
}


@router.post("/ingest", response_model=IngestOut, tags=["ingest"], responses=INGEST_RESPONSES)
def ingest_json(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    articles: list[ArticleIn],
    background: BackgroundFlag = False,
) -> Any:
    """Store articles given as JSON, annotate them and update the stories."""
    # No articles, no file: an empty file would be reported as a rejected input.
    lines = "".join(json.dumps(a.model_dump(exclude_none=True), ensure_ascii=False) + "\n" for a in articles)
    source = io.BytesIO(lines.encode("utf-8")) if articles else None
    if background:
        return _queue_job(request, JSON_INPUT, source, limit=None)
    if source is None:
        return run_ingest(store, None, settings=settings)
    with _temporary_file(JSON_INPUT, source, limit=None) as path:
        return run_ingest(store, path, settings=settings)


@router.post("/ingest/file", response_model=IngestOut, tags=["ingest"], responses=INGEST_RESPONSES)
def ingest_file(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="Any input format.")],
    background: BackgroundFlag = False,
) -> Any:
    """Store the articles of an uploaded file (text, HTML, JSON/JSONL, WARC, feed; .gz too)."""
    name = UNSAFE_NAME.sub("_", os.path.basename(file.filename or "")).strip("._") or "upload.txt"
    # One byte beyond the limit, so the reader rejects the file as too large (E008).
    limit = settings.max_file_bytes + 1
    if background:
        return _queue_job(request, name, file.file, limit=limit)
    with _temporary_file(name, file.file, limit=limit) as path:
        return run_ingest(store, path, settings=settings)


def _queue_job(request: Request, name: str, source: BinaryIO | None, *, limit: int | None) -> JSONResponse:
    """Save ``source`` in a folder the new job owns, queue the job and answer 202 with it."""
    runner = job_runner(request)
    folder, path = None, None
    if source is not None:
        folder = tempfile.mkdtemp(prefix="storyline-job-")
        try:
            path = _save(folder, name, source, limit=limit)
        except ApiError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    job = Job(input=name, path=path, folder=folder)
    link = job_link(request, job.id)
    queued = job.to_dict(link)  # before the worker may take it
    runner.submit(job)
    return JSONResponse(queued, status_code=202, headers={"Location": link})


@contextmanager
def _temporary_file(name: str, source: BinaryIO, *, limit: int | None) -> Iterator[str]:
    """``source`` in a file called ``name`` in a fresh folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="storyline-upload-") as folder:
        yield _save(folder, name, source, limit=limit)


def _save(folder: str, name: str, source: BinaryIO, *, limit: int | None) -> str:
    """Copy at most ``limit`` bytes of ``source`` to ``folder/name``; return the path."""
    path = os.path.join(folder, name)
    remaining = sys.maxsize if limit is None else limit
    try:
        with open(path, "wb") as handle:
            while remaining > 0 and (chunk := source.read(min(CHUNK, remaining))):
                handle.write(chunk)
                remaining -= len(chunk)
    except OSError as exc:
        raise ApiError(E603.format(name=name, reason=exc)) from exc
    return path


@router.post("/stories/{story_id}/merge", response_model=list[StoryEventOut], tags=["stories"])
def merge(store: StoreDep, settings: SettingsDep, story_id: str, body: MergeIn) -> list[Any]:
    """Merge story ``other`` into this one; later articles respect the decision."""
    return [dataclasses.asdict(e) for e in api.merge_stories(store, story_id, body.other, settings=settings)]


@router.post("/stories/{story_id}/split", response_model=list[StoryEventOut], tags=["stories"])
def split(store: StoreDep, settings: SettingsDep, story_id: str, body: SplitIn) -> list[Any]:
    """Move ``articles`` out of this story into a new one that will not merge back."""
    return [dataclasses.asdict(e) for e in api.split_story(store, story_id, body.articles, settings=settings)]
