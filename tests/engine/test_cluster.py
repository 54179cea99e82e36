"""A real deployment on loopback: a scheduler and two workers as separate processes, one killed mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.engine.dask import iter_run_dask
from tests.conftest import POSTGRES_URL
from tests.engine.test_dask import finish
from tests.engine.test_local import reference_snapshot

distributed = pytest.importorskip("distributed")
Client = distributed.Client

SCHEDULER = [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0"]
WORKER = [sys.executable, "-m", "distributed.cli.dask_worker", "--host", "127.0.0.1", "--nthreads", "1"]


def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    # Own session, so tearing down also stops a worker's nanny child.
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log.open("wb"), start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def wait_for_address(scheduler_file: Path, *, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if scheduler_file.exists() and scheduler_file.stat().st_size:
            return str(json.loads(scheduler_file.read_text())["address"])
        time.sleep(0.1)
    raise TimeoutError(f"scheduler did not write {scheduler_file}")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    scheduler_file = tmp_path / "scheduler.json"
    dashboard = ["--no-dashboard"]
    processes = [start([*SCHEDULER, *dashboard, "--scheduler-file", str(scheduler_file)], tmp_path / "s.log")]
    try:
        address = wait_for_address(scheduler_file)
        for n in range(2):
            command = [*WORKER, *dashboard, "--scheduler-file", str(scheduler_file)]
            processes.append(start(command, tmp_path / f"w{n}.log"))
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)  # both up, so the kill below hits a working worker
        yield address, processes[1:]
    finally:
        for process in reversed(processes):
            stop(process)


@pytest.mark.postgres
def test_scheduler_and_two_worker_processes_survive_a_killed_worker(
    shards: Path, tmp_path: Path, pg_schema: str, cluster: tuple[str, list[subprocess.Popen[bytes]]]
) -> None:
    address, workers = cluster
    for n in range(4):
        (shards / f"z{n}.jsonl").write_text((shards / "a.jsonl").read_text().replace("daily", f"d{n}"))
    expected = reference_snapshot(shards, tmp_path / "plain.db")
    events = []
    for event in iter_run_dask(POSTGRES_URL, [str(shards)], schema=pg_schema, scheduler=address):
        events.append(event)
        if len(events) == 1:
            stop(workers[0])  # mid-run: its tasks go to the other worker
    assert sorted(e.status for e in events) == ["done"] * 7
    assert finish(POSTGRES_URL, pg_schema) == expected
