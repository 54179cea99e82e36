"""The Dask engine: same database as the local engine, resumable, failures reported by name."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storyline import api
from storyline.engine.dask import iter_run_dask
from storyline.store import open_store
from tests.conftest import POSTGRES_URL, ROOT
from tests.engine.conftest import snapshot
from tests.engine.test_local import reference_snapshot

pytest.importorskip("distributed")


def finish(url: str, schema: str | None = None) -> dict[str, object]:
    """Build the stories (client side, publication order) and snapshot the store."""
    with open_store(url, schema=schema) as store:
        list(api.iter_update_stories(store))
        return snapshot(store)


@pytest.mark.postgres
def test_workers_write_postgres_and_match_the_local_engine(
    shards: Path, tmp_path: Path, pg_schema: str
) -> None:
    expected = reference_snapshot(shards, tmp_path / "plain.db")
    events = list(iter_run_dask(POSTGRES_URL, [str(shards)], schema=pg_schema, workers=2))
    assert sorted(e.status for e in events) == ["done"] * 3
    assert finish(POSTGRES_URL, pg_schema) == expected
    again = list(iter_run_dask(POSTGRES_URL, [str(shards)], schema=pg_schema, workers=2))
    assert [e.status for e in again] == ["skipped"] * 3


def test_sqlite_client_writes_and_a_corrupt_shard_is_reported_by_name(shards: Path, tmp_path: Path) -> None:
    expected = reference_snapshot(shards, tmp_path / "plain.db")
    corrupt = shards / "d.jsonl.gz"
    corrupt.write_bytes(gzip.compress(b'{"text": "A whole line that will be cut."}\n' * 50)[:-40])
    db = str(tmp_path / "dask.db")
    events = {Path(e.name).name: e for e in iter_run_dask(db, [str(shards)], workers=1, retries=1)}
    assert events["d.jsonl.gz"].status == "failed"
    assert "d.jsonl.gz" in events["d.jsonl.gz"].messages[0] and "E642" in events["d.jsonl.gz"].messages[0]
    assert [events[name].status for name in ("a.jsonl", "b.jsonl", "c.jsonl")] == ["done"] * 3
    corrupt.unlink()
    assert finish(db) == expected


RUN = """
import sys
from storyline.engine.dask import iter_run_dask
for event in iter_run_dask(sys.argv[1], sys.argv[2:-1], schema=sys.argv[-1], workers=1):
    print(event.status, event.name, flush=True)
"""


@pytest.mark.postgres
def test_a_killed_run_resumes_to_the_same_database(shards: Path, tmp_path: Path, pg_schema: str) -> None:
    # More partitions than the first event needs, so the kill lands mid-run.
    for n in range(3):
        (shards / f"z{n}.jsonl").write_text((shards / "b.jsonl").read_text().replace("herald", f"h{n}"))
    expected = reference_snapshot(shards, tmp_path / "plain.db")
    paths = [str(shards)]
    client = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(RUN), POSTGRES_URL, *paths, pg_schema],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,  # its LocalCluster workers die with it
    )
    assert client.stdout is not None
    first = client.stdout.readline()
    os.killpg(client.pid, signal.SIGKILL)
    client.wait(timeout=30)
    assert first.startswith("done")
    events = list(iter_run_dask(POSTGRES_URL, paths, schema=pg_schema, workers=2))
    statuses = [e.status for e in events]
    assert "skipped" in statuses and "done" in statuses and "failed" not in statuses
    assert finish(POSTGRES_URL, pg_schema) == expected
