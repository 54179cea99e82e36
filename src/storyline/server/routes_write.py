"""Write endpoints: ingest articles (JSON or an uploaded file), merge and split stories.

Each ingest runs the whole chain the CLI's ``analyze`` runs: store, annotate the new articles,
update the stories.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile

from .. import api
from ..errors import E603, ApiError
from ..settings import Settings
from ..store import Store
from .auth import require_write
from .deps import get_settings, get_store
from .schemas import ArticleIn, IngestOut, MergeIn, SplitIn, StoryEventOut, error_responses

logger = logging.getLogger(__name__)

router = APIRouter(
    responses=error_responses(400, 401, 404, 409, 422, 500), dependencies=[Depends(require_write)]
)

StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
# Characters kept from an uploaded file's name; the extension picks the reader.
UNSAFE_NAME = re.compile(r"[^\w.-]+")


@router.post("/ingest", response_model=IngestOut, tags=["ingest"])
def ingest_json(store: StoreDep, settings: SettingsDep, articles: list[ArticleIn]) -> dict[str, Any]:
    """Store articles given as JSON, annotate them and update the stories."""
    if not articles:  # nothing to read: an empty file would be reported as a rejected input
        return run_ingest(store, None, settings=settings)
    lines = "".join(json.dumps(a.model_dump(exclude_none=True), ensure_ascii=False) + "\n" for a in articles)
    with _temporary_file("articles.jsonl", lines.encode("utf-8")) as path:
        return run_ingest(store, path, settings=settings)


@router.post("/ingest/file", response_model=IngestOut, tags=["ingest"])
def ingest_file(
    store: StoreDep, settings: SettingsDep, file: Annotated[UploadFile, File(description="Any input format.")]
) -> dict[str, Any]:
    """Store the articles of an uploaded file (text, HTML, JSON/JSONL, WARC, feed; .gz too)."""
    name = UNSAFE_NAME.sub("_", os.path.basename(file.filename or "")).strip("._") or "upload.txt"
    data = file.file.read(settings.max_file_bytes + 1)
    with _temporary_file(name, data) as path:
        return run_ingest(store, path, settings=settings)


def run_ingest(store: Store, path: str | None, *, settings: Settings) -> dict[str, Any]:
    """Ingest ``path`` (if any), annotate what is new and update the stories, like ``storyline analyze``."""
    report = api.IngestReport()
    for event in api.iter_ingest(store, [path] if path else [], settings=settings):
        report.add(event)
    annotated, failed = 0, []
    for annotation in api.iter_annotate(store, settings=settings):
        if annotation.error:
            failed.append(annotation.error)
        else:
            annotated += 1
    stories = [event.story_id for event in api.iter_update_stories(store, settings=settings)]
    return {
        "counts": report.counts,
        "rejected": [{"origin": e.origin, "message": e.message or ""} for e in report.rejected],
        "article_ids": report.article_ids,
        "annotated": annotated,
        "failed": failed,
        "stories_updated": stories,
    }


@contextmanager
def _temporary_file(name: str, data: bytes) -> Iterator[str]:
    """``data`` in a file called ``name`` in a fresh folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="storyline-upload-") as folder:
        path = os.path.join(folder, name)
        try:
            with open(path, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise ApiError(E603.format(name=name, reason=exc)) from exc
        yield path


@router.post("/stories/{story_id}/merge", response_model=list[StoryEventOut], tags=["stories"])
def merge(store: StoreDep, settings: SettingsDep, story_id: str, body: MergeIn) -> list[Any]:
    """Merge story ``other`` into this one; later articles respect the decision."""
    return [dataclasses.asdict(e) for e in api.merge_stories(store, story_id, body.other, settings=settings)]


@router.post("/stories/{story_id}/split", response_model=list[StoryEventOut], tags=["stories"])
def split(store: StoreDep, settings: SettingsDep, story_id: str, body: SplitIn) -> list[Any]:
    """Move ``articles`` out of this story into a new one that will not merge back."""
    return [dataclasses.asdict(e) for e in api.split_story(store, story_id, body.articles, settings=settings)]
