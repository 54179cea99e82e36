"""The local engine writes the same database as ingest + annotate, and skips finished partitions."""

from __future__ import annotations

from pathlib import Path

from storyline import api
from storyline.engine.local import iter_run_local
from storyline.store import open_store
from tests.engine.conftest import snapshot


def reference_snapshot(shards: Path, db: Path) -> dict[str, object]:
    """The database the plain in-process path (ingest, annotate, stories) writes."""
    with open_store(str(db)) as store:
        list(api.iter_ingest(store, [str(shards)]))
        list(api.iter_annotate(store))
        list(api.iter_update_stories(store))
        return snapshot(store)


def test_local_engine_equals_plain_path_and_skips_finished(shards: Path, tmp_path: Path) -> None:
    expected = reference_snapshot(shards, tmp_path / "plain.db")
    with open_store(str(tmp_path / "engine.db")) as store:
        events = list(iter_run_local(store, [str(shards)]))
        list(api.iter_update_stories(store))
        assert snapshot(store) == expected
        assert [e.status for e in events] == ["done"] * 3
        counts = {Path(e.name).name: e.counts for e in events}
        assert counts["c.jsonl"] == {"stored": 1, "annotated": 1, "rejected": 1}
        again = list(iter_run_local(store, [str(shards)]))
    assert [e.status for e in again] == ["skipped"] * 3


def test_a_changed_shard_is_processed_again(shards: Path, tmp_path: Path) -> None:
    with open_store(str(tmp_path / "engine.db")) as store:
        list(iter_run_local(store, [str(shards)]))
        with (shards / "b.jsonl").open("a", encoding="utf-8") as handle:
            handle.write('{"url": "https://herald.example/x", "date": "2024-05-09", "text": "Rain fell."}\n')
        events = {Path(e.name).name: e for e in iter_run_local(store, [str(shards)])}
    assert events["b.jsonl"].status == "done"
    assert events["b.jsonl"].counts == {"unchanged": 1, "stored": 1, "annotated": 2}
    assert events["a.jsonl"].status == "skipped"


def test_missing_path_is_reported_and_the_rest_runs(shards: Path, tmp_path: Path) -> None:
    with open_store(str(tmp_path / "engine.db")) as store:
        events = list(iter_run_local(store, [str(tmp_path / "nowhere.jsonl"), str(shards)]))
    assert events[0].status == "failed" and events[0].name == str(tmp_path / "nowhere.jsonl")
    assert "E009" in events[0].messages[0]
    assert [e.status for e in events[1:]] == ["done"] * 3


def test_chunked_story_update_equals_one_pass(shards: Path, tmp_path: Path) -> None:
    expected = reference_snapshot(shards, tmp_path / "plain.db")
    with open_store(str(tmp_path / "engine.db")) as store:
        list(iter_run_local(store, [str(shards)]))
        events = list(api.iter_update_stories(store, chunk=1))
        assert snapshot(store) == expected
    assert len({e.story_id for e in events}) == 2
