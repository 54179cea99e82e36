"""SIGKILL mid-ingest loses at most the article in flight; a rerun completes the rest."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time

import pytest

from storyline.store import Store
from tests.conftest import ROOT
from tests.store.conftest import Location
from tests.store.ingest_worker import worker_article
from tests.store.samples import make_raw

COUNT = 300
# Kill after this many committed articles in successive runs (each run resumes the previous).
# New articles each run stores before it is killed. A rerun first re-reports what earlier runs stored
# (as unchanged), so each kill comes that many lines later; the worker may run ahead of the reader on a
# loaded machine, which is why the count is relative to what was stored, not absolute.
NEW_PER_RUN = (40, 50, 60)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def start_worker(location: Location) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "tests.store.ingest_worker",
        location.url,
        location.schema or "-",
        str(COUNT),
    ]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)


def kill_after(process: subprocess.Popen[str], lines: int) -> list[str]:
    """Read ``lines`` progress lines, kill at a random instant soon after, return every line printed."""
    assert process.stdout is not None
    seen = [process.stdout.readline() for _ in range(lines)]
    time.sleep(random.uniform(0, 0.01))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return [line for line in seen + process.stdout.read().splitlines() if line.strip()]


def assert_consistent(store: Store, location: Location, *, at_least: int) -> int:
    """Every stored article is complete and exactly what the worker gave; returns how many there are."""
    if location.backend == "sqlite":
        assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.connection.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = store.count_articles()
    # The article in flight may have committed before its line was printed, never more.
    assert at_least <= stored <= at_least + 1
    for number in range(stored):  # the worker goes in order, so these and only these exist
        expected = worker_article(number)
        raw = make_raw(expected)
        expected.raw_hash = hashlib.sha256(raw.data).hexdigest()
        assert store.get_article(expected.id) == expected
        assert store.get_raw(expected.raw_hash) == raw.data
        assert [r["revision"] for r in store.revisions(expected.id)] == [1]
    counts = [
        store.connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("raw_inputs", "claims")
    ]
    assert counts == [stored, stored]
    return stored


def test_sigkill_mid_ingest_loses_at_most_the_article_in_flight(location: Location) -> None:
    stored = 0
    for new in NEW_PER_RUN:
        lines = kill_after(start_worker(location), stored + new)
        resumed = [line.split() for line in lines]
        # A rerun reports what an earlier run committed as unchanged, and stores the rest.
        assert {outcome for _, outcome in resumed[:stored]} <= {"unchanged"}
        assert {outcome for _, outcome in resumed[stored:]} == {"stored"}
        with location.open() as store:
            stored = assert_consistent(store, location, at_least=len(lines))
        assert stored < COUNT, "the worker finished before the kill; raise COUNT"
    final = start_worker(location)
    output, _ = final.communicate(timeout=300)
    assert final.returncode == 0
    outcomes = [line.split()[1] for line in output.splitlines()]
    assert outcomes == ["unchanged"] * stored + ["stored"] * (COUNT - stored)
    with location.open() as store:
        assert assert_consistent(store, location, at_least=COUNT) == COUNT
