"""Background ingest jobs: 202 and polling through the API, failures, retention and shutdown."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.errors import ApiError
from storyline.server import create_app
from storyline.server.jobs import Job, JobRunner
from storyline.settings import DEFAULT
from tests.server.test_api import NEW_ARTICLE, V1, assert_error, get

FERRY = {
    "title": "Ferry strike ends",
    "text": "The ferry workers' union ended its strike on Monday after a pay deal with the operator, "
    "the union leader, Maria Olsen, said.",
    "published": "2026-02-08",
    "source": "Coast News",
}
# Polling gives up after this many seconds: a job over one short article takes well under one.
DEADLINE = 30.0


def wait_for(client: TestClient, location: str) -> dict[str, Any]:
    """Poll the job at ``location`` until it ends."""
    give_up = time.monotonic() + DEADLINE
    while time.monotonic() < give_up:
        response = client.get(location)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {location} did not end within {DEADLINE} s")


def wait_for_job(job: Job) -> None:
    give_up = time.monotonic() + DEADLINE
    while job.status not in ("done", "failed"):
        assert time.monotonic() < give_up, f"job {job.id} did not end within {DEADLINE} s"
        time.sleep(0.02)


def folder_with(name: str, data: bytes) -> tuple[str, str]:
    """A job input as the endpoints leave it: a fresh folder holding one file."""
    folder = tempfile.mkdtemp(prefix="storyline-test-job-")
    path = os.path.join(folder, name)
    Path(path).write_bytes(data)
    return folder, path


def test_background_ingest_matches_the_synchronous_one(
    fresh_db: Path, seeded_db: Path, tmp_path: Path
) -> None:
    other = tmp_path / "sync.db"
    shutil.copyfile(seeded_db, other)
    with TestClient(create_app(db=str(other))) as client:
        expected = client.post(f"{V1}/ingest", json=[NEW_ARTICLE]).json()
    with TestClient(create_app(db=str(fresh_db))) as client:
        response = client.post(f"{V1}/ingest", params={"background": True}, json=[NEW_ARTICLE])
        assert response.status_code == 202, response.text
        queued = response.json()
        location = response.headers["location"]
        assert location == f"{V1}/jobs/{queued['id']}" == queued["links"]["self"]
        assert queued["status"] == "queued" and queued["created_at"] and queued["result"] is None
        job = wait_for(client, location)
        assert job["status"] == "done" and job["error"] is None, job
        result = job["result"]
        assert result["counts"] == expected["counts"] and result["counts"]["stored"] == 1
        assert result["article_ids"] == expected["article_ids"]
        assert result["annotated"] == expected["annotated"] == 1
        assert len(result["stories_updated"]) == len(expected["stories_updated"]) >= 1
        progress = job["progress"]
        assert progress["read"] == 1 and progress["counts"] == result["counts"]
        assert progress["annotated"] == 1 and progress["stories_updated"] == len(result["stories_updated"])
        assert job["started_at"] >= job["created_at"] and job["finished_at"] >= job["started_at"]
        article = get(client, f"/articles/{result['article_ids'][0]}")
        assert article["entities"] and article["story"]
        assert get(client, f"/stories/{article['story']}")["articles"]
        assert [j["id"] for j in get(client, "/jobs")] == [job["id"]]


def test_rejected_input_ends_done_and_the_next_job_runs(fresh_db: Path) -> None:
    with TestClient(create_app(db=str(fresh_db))) as client:
        lines = json.dumps(FERRY).encode() + b'\n{"text": "cut short\n'
        bad = client.post(
            f"{V1}/ingest/file?background=true", files={"file": ("broken.jsonl", lines, "text/plain")}
        )
        good = client.post(f"{V1}/ingest?background=true", json=[NEW_ARTICLE])
        assert bad.status_code == good.status_code == 202
        rejected = wait_for(client, bad.headers["location"])
        assert rejected["status"] == "done" and rejected["input"] == "broken.jsonl"
        assert rejected["result"]["counts"] == {"stored": 1, "unchanged": 0, "revised": 0, "rejected": 1}
        assert rejected["result"]["rejected"][0]["message"].startswith("E006 ")
        assert rejected["progress"]["counts"]["rejected"] == 1
        stored = wait_for(client, good.headers["location"])
        assert stored["status"] == "done" and stored["result"]["counts"]["stored"] == 1
        assert [j["id"] for j in get(client, "/jobs")] == [stored["id"], rejected["id"]]  # newest first


def test_a_failing_job_is_recorded_and_the_worker_goes_on(fresh_db: Path, tmp_path: Path) -> None:
    # The database folder does not exist yet: the first job cannot open its store.
    db = tmp_path / "later" / "db.db"
    runner = JobRunner(str(db), settings=DEFAULT)
    try:
        folder, path = folder_with("a.jsonl", b"")
        failed = runner.submit(Job(input="a.jsonl", path=path, folder=folder))
        wait_for_job(failed)
        assert failed.status == "failed" and failed.error and failed.error.startswith("E"), failed.error
        assert failed.result is None and not os.path.exists(folder)
        described = runner.describe(failed, "/x")
        assert described["error"]["code"] == failed.error.split()[0]
        db.parent.mkdir()
        shutil.copyfile(fresh_db, db)
        done = runner.submit(Job(input="none", path=None, folder=None))
        wait_for_job(done)
        assert done.status == "done" and done.result is not None and done.error is None
        assert runner.thread is not None and runner.thread.is_alive()
    finally:
        runner.close()
    assert not runner.thread.is_alive()


def test_only_the_last_finished_jobs_are_kept(fresh_db: Path) -> None:
    runner = JobRunner(str(fresh_db), settings=DEFAULT, keep_finished=2)
    try:
        jobs = [runner.submit(Job(input="none", path=None, folder=None)) for _ in range(4)]
        for job in jobs:
            wait_for_job(job)
        assert [j.id for j in runner.jobs()] == [jobs[3].id, jobs[2].id]
        with pytest.raises(ApiError, match=r"^E608 "):
            runner.get(jobs[0].id)
    finally:
        runner.close()


def test_close_stops_the_worker_and_refuses_new_jobs(fresh_db: Path) -> None:
    runner = JobRunner(str(fresh_db), settings=DEFAULT)
    inputs = [folder_with("a.jsonl", b'{"text": "A short note about the harbour."}\n') for _ in range(3)]
    jobs = [runner.submit(Job(input="a.jsonl", path=path, folder=folder)) for folder, path in inputs]
    runner.close()
    assert runner.thread is not None and not runner.thread.is_alive()
    for job in jobs:  # each one either ran before the stop or was stopped by it
        assert job.status in ("done", "failed") and job.finished_at
        assert job.status == "done" or (job.error or "")[:5] in ("E611 ", "E612 "), job.error
    assert not any(os.path.exists(folder) for folder, _ in inputs)
    folder, path = folder_with("b.jsonl", b"")
    with pytest.raises(ApiError, match=r"^E610 "):
        runner.submit(Job(input="b.jsonl", path=path, folder=folder))
    assert not os.path.exists(folder)


def test_unknown_job_is_a_coded_404(client: TestClient) -> None:
    assert_error(client.get(f"{V1}/jobs/nope"), 404, "E608")
    assert client.get(f"{V1}/jobs").json() == []


def test_worker_thread_stops_with_the_app(fresh_db: Path) -> None:
    app = create_app(db=str(fresh_db))
    with TestClient(app) as client:
        assert app.state.jobs.thread is None  # started with the first job only
        response = client.post(f"{V1}/ingest?background=true", json=[])
        assert response.status_code == 202
        assert wait_for(client, response.headers["location"])["status"] == "done"
        thread = app.state.jobs.thread
        assert thread.is_alive()
    assert not thread.is_alive()


def test_jobs_follow_the_read_and_write_auth(fresh_db: Path) -> None:
    with TestClient(create_app(db=str(fresh_db), token="s3cret", open_reads=False)) as client:
        assert_error(client.post(f"{V1}/ingest?background=true", json=[NEW_ARTICLE]), 401, "E600")
        assert_error(client.get(f"{V1}/jobs"), 401, "E600")
        good = {"Authorization": "Bearer s3cret"}
        response = client.post(f"{V1}/ingest?background=true", json=[], headers=good)
        assert response.status_code == 202
        assert_error(client.get(response.headers["location"]), 401, "E600")
        assert client.get(response.headers["location"], headers=good).status_code == 200
