"""A long JSON Lines file is cut into line slices: same database, restartable slice by slice."""

from __future__ import annotations

import dataclasses
import gzip
import shutil
from pathlib import Path

import pytest

from storyline import api
from storyline.engine.local import iter_run_local
from storyline.engine.partitions import plan_partitions
from storyline.settings import DEFAULT
from storyline.store import open_store
from tests.engine.conftest import snapshot

SLICED = dataclasses.replace(DEFAULT, partition_lines=2)


def one_file(shards: Path, target: Path) -> Path:
    """The three shards' lines (5 lines, one blank record) as one JSON Lines file."""
    lines = b"".join((shards / name).read_bytes() for name in ("a.jsonl", "b.jsonl", "c.jsonl"))
    target.write_bytes(lines)
    return target


def test_a_long_file_is_planned_as_line_slices(shards: Path, tmp_path: Path) -> None:
    path = one_file(shards, tmp_path / "all.jsonl")
    partitions, missing = plan_partitions([str(path)], settings=SLICED)
    assert not missing
    assert [p.name for p in partitions] == [f"{path}#lines={a}-{b}" for a, b in ((1, 2), (3, 4), (5, 5))]
    whole, _ = plan_partitions([str(path)])  # 1,000 lines per slice: one partition
    assert [p.name for p in whole] == [str(path)]


def test_gzip_and_missing_final_newline_are_sliced_by_lines(shards: Path, tmp_path: Path) -> None:
    data = one_file(shards, tmp_path / "all.jsonl").read_bytes().rstrip(b"\n")
    path = tmp_path / "all.jsonl.gz"
    path.write_bytes(gzip.compress(data))
    partitions, _ = plan_partitions([str(path)], settings=dataclasses.replace(DEFAULT, partition_lines=4))
    assert [(p.first_line, p.last_line) for p in partitions] == [(1, 4), (5, 5)]


def test_other_formats_are_never_sliced(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Title\n\n" + "A line of plain text.\n" * 50, encoding="utf-8")
    partitions, _ = plan_partitions([str(path)], settings=SLICED)
    assert [p.name for p in partitions] == [str(path)]


@pytest.mark.parametrize("compress", [False, True])
def test_slices_write_the_database_one_file_writes(shards: Path, tmp_path: Path, compress: bool) -> None:
    path = one_file(shards, tmp_path / "all.jsonl")
    if compress:
        gz = tmp_path / "all.jsonl.gz"
        gz.write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()
        path = gz
    with open_store(str(tmp_path / "whole.db")) as store:
        list(iter_run_local(store, [str(path)]))
        list(api.iter_update_stories(store))
        expected = snapshot(store)
    with open_store(str(tmp_path / "sliced.db")) as store:
        events = list(iter_run_local(store, [str(path)], settings=SLICED))
        list(api.iter_update_stories(store))
        assert snapshot(store) == expected
    assert [e.status for e in events] == ["done"] * 3
    # Record names keep the line of the whole file: the blank text is line 5.
    assert any(f"{path}#5" in message for message in events[2].messages)


def test_a_rerun_skips_finished_slices_and_redoes_the_rest(shards: Path, tmp_path: Path) -> None:
    path = one_file(shards, tmp_path / "all.jsonl")
    with open_store(str(tmp_path / "sliced.db")) as store:
        first = iter_run_local(store, [str(path)], settings=SLICED)
        assert next(first).status == "done"
        first.close()  # stopped after the first slice
        events = list(iter_run_local(store, [str(path)], settings=SLICED))
        list(api.iter_update_stories(store))
        assert store.count_articles() == 4
    assert [e.status for e in events] == ["skipped", "done", "done"]


def test_a_changed_file_is_sliced_and_processed_again(shards: Path, tmp_path: Path) -> None:
    path = one_file(shards, tmp_path / "all.jsonl")
    with open_store(str(tmp_path / "sliced.db")) as store:
        list(iter_run_local(store, [str(path)], settings=SLICED))
        copy = tmp_path / "copy.jsonl"
        shutil.copy(path, copy)
        with path.open("ab") as handle:
            handle.write(copy.read_bytes().splitlines(keepends=True)[0].replace(b"bridge", b"bridge2"))
        events = list(iter_run_local(store, [str(path)], settings=SLICED))
    assert [e.status for e in events] == ["done"] * 3
    assert events[-1].name.endswith("#lines=5-6")
