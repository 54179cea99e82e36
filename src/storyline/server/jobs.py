"""The ingest chain of the write endpoints, run in the request or as a background job.

A background job owns a temporary folder holding its input. Jobs run one at a time (one writer) on a
single worker thread of the app, each with its own store, and live in the server's memory only: a restart
forgets them, while what they stored stays (posting the same input again is a no-op, by content hash).
"""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from queue import SimpleQueue
from typing import Any

from .. import api
from ..errors import E608, E609, E610, E611, E612, ApiError, StorylineError
from ..settings import Settings
from ..store import Store, open_store

logger = logging.getLogger(__name__)

# Finished jobs kept for GET /jobs; queued and running ones are always kept.
KEEP_FINISHED = 100


class JobStopped(StorylineError):
    """The server is shutting down: the job stops between two articles."""


@dataclass
class IngestProgress:
    """Counts of one ingest so far, updated as its events stream; read from other threads via ``snapshot``."""

    report: api.IngestReport = field(default_factory=api.IngestReport)
    annotated: int = 0
    failed: list[str] = field(default_factory=list)
    stories_updated: list[str] = field(default_factory=list)
    stage: str | None = None
    # Set when the server stops: the chain stops at the next article (each one is its own transaction).
    stop: threading.Event | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def enter(self, stage: str) -> None:
        with self.lock:
            self.stage = stage

    def ingested(self, event: api.IngestEvent) -> None:
        with self.lock:
            self.report.add(event)
        self._check_stop()

    def annotated_one(self, error: str | None) -> None:
        with self.lock:
            if error:
                self.failed.append(error)
            else:
                self.annotated += 1
        self._check_stop()

    def story_updated(self, story_id: str) -> None:
        # Never stopped here: a story chunk is finished as one piece of work.
        with self.lock:
            self.stories_updated.append(story_id)

    def _check_stop(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise JobStopped(E611.format(stage=self.stage))

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "stage": self.stage,
                "read": self.report.read,
                "counts": dict(self.report.counts),
                "annotated": self.annotated,
                "failed": len(self.failed),
                "stories_updated": len(self.stories_updated),
            }

    def result(self) -> dict[str, Any]:
        with self.lock:
            return {
                "counts": dict(self.report.counts),
                "rejected": [{"origin": e.origin, "message": e.message or ""} for e in self.report.rejected],
                "article_ids": list(self.report.article_ids),
                "annotated": self.annotated,
                "failed": list(self.failed),
                "stories_updated": list(self.stories_updated),
            }


def run_ingest(
    store: Store, path: str | None, *, settings: Settings, progress: IngestProgress | None = None
) -> dict[str, Any]:
    """Ingest ``path`` (if any), annotate what is new and update the stories, like ``storyline analyze``.

    ``progress`` (if given) is updated after every event, so another thread can follow the work.
    """
    progress = IngestProgress() if progress is None else progress
    progress.enter("ingest")
    for event in api.iter_ingest(store, [path] if path else [], settings=settings):
        progress.ingested(event)
    progress.enter("annotate")
    for annotation in api.iter_annotate(store, settings=settings):
        progress.annotated_one(annotation.error)
    progress.enter("stories")
    for story in api.iter_update_stories(store, settings=settings):
        progress.story_updated(story.story_id)
    return progress.result()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class Job:
    """One background ingest of the file ``path`` (``None``: nothing to read) in the folder it owns."""

    input: str
    path: str | None
    folder: str | None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    status: str = "queued"
    created_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    progress: IngestProgress = field(default_factory=IngestProgress)
    result: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self, link: str) -> dict[str, Any]:
        """The job as the API shows it; ``link`` is its own URL path."""
        code = self.error.partition(" ")[0] if self.error else None
        return {
            "id": self.id,
            "status": self.status,
            "input": self.input,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "progress": self.progress.snapshot(),
            "result": self.result,
            "error": {"code": code, "message": self.error} if self.error else None,
            "links": {"self": link},
        }


class JobRunner:
    """Background ingest jobs of one app: a queue, one worker thread started with the first job."""

    def __init__(self, db: str, *, settings: Settings, keep_finished: int = KEEP_FINISHED) -> None:
        self.db = db
        self.settings = settings
        self.keep_finished = keep_finished
        self._jobs: dict[str, Job] = {}  # in submission order
        self._finished: deque[str] = deque()
        self._queue: SimpleQueue[Job | None] = SimpleQueue()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._closed = False
        self.thread: threading.Thread | None = None

    def submit(self, job: Job) -> Job:
        """Queue ``job``; it removes its folder when it ends (or now, when the runner is closed)."""
        job.progress.stop = self._stop
        with self._lock:
            if self._closed:
                _remove(job.folder)
                raise ApiError(E610)
            if self.thread is None:
                self.thread = threading.Thread(target=self._work, name="storyline-jobs", daemon=True)
                self.thread.start()
            self._jobs[job.id] = job
            self._queue.put(job)
        return job

    def describe(self, job: Job, link: str) -> dict[str, Any]:
        """``job.to_dict``, never caught between two fields of a status change."""
        with self._lock:
            return job.to_dict(link)

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise ApiError(E608.format(id=job_id))
        return job

    def jobs(self) -> list[Job]:
        """Every job kept, newest first."""
        with self._lock:
            return list(reversed(self._jobs.values()))

    def close(self) -> None:
        """Stop the running job at its next article, fail the queued ones, and join the worker."""
        with self._lock:
            self._closed = True
            thread = self.thread
        self._stop.set()
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            self._run(job)

    def _run(self, job: Job) -> None:
        self._update(job, status="running", started_at=_now())
        result, error = None, None
        try:
            result = self._ingest(job)
        except StorylineError as exc:
            error = str(exc)
            logger.warning("job %s failed: %s", job.id, exc)
        except Exception as exc:  # a bug or a broken database: the worker goes on with the next job
            error = E609.format(reason=type(exc).__name__)  # details in the log, as for E607
            logger.exception("job %s failed", job.id)
        finally:
            _remove(job.folder)
        status = "failed" if error else "done"
        self._update(job, status=status, result=result, error=error, finished_at=_now())

    def _ingest(self, job: Job) -> dict[str, Any]:
        if self._stop.is_set():
            raise JobStopped(E612)
        with open_store(self.db) as store:
            return run_ingest(store, job.path, settings=self.settings, progress=job.progress)

    def _update(self, job: Job, **changes: Any) -> None:
        with self._lock:
            for name, value in changes.items():
                setattr(job, name, value)
            if changes.get("finished_at"):
                self._forget_old(job)

    def _forget_old(self, job: Job) -> None:
        # Called with the lock held.
        self._finished.append(job.id)
        while len(self._finished) > self.keep_finished:
            self._jobs.pop(self._finished.popleft(), None)


def _remove(folder: str | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
