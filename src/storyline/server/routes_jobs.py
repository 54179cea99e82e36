"""Background ingest jobs (``POST /ingest?background=true``): the list and one job, to poll."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from .auth import require_read
from .jobs import JobRunner
from .schemas import JobOut, error_responses

router = APIRouter(
    responses=error_responses(401, 404, 422, 500), dependencies=[Depends(require_read)], tags=["jobs"]
)


def job_runner(request: Request) -> JobRunner:
    """The app's background job runner (made by ``create_app``)."""
    runner: JobRunner = request.app.state.jobs
    return runner


RunnerDep = Annotated[JobRunner, Depends(job_runner)]


@router.get("/jobs", response_model=list[JobOut])
def list_jobs(request: Request, runner: RunnerDep) -> list[Any]:
    """The jobs of this server process, newest first: queued and running ones, and the last 100 finished.

    Jobs live in memory: a restart forgets them (what they stored stays).
    """
    return [runner.describe(job, job_link(request, job.id)) for job in runner.jobs()]


@router.get("/jobs/{job_id}", response_model=JobOut, name="get_job")
def get_job(request: Request, runner: RunnerDep, job_id: Annotated[str, Path(min_length=1)]) -> Any:
    """One job: its status, progress counts so far, and its result or error once it ends."""
    return runner.describe(runner.get(job_id), job_link(request, job_id))


def job_link(request: Request, job_id: str) -> str:
    """A job's URL path, to poll."""
    return request.app.url_path_for("get_job", job_id=job_id)
