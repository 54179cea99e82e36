"""`storyline analyze --engine`: partitions reported one line each, reruns skip finished ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main


def test_analyze_with_the_local_engine_reports_partitions_and_resumes(shards: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    first = CliRunner().invoke(main, ["analyze", str(shards), "--db", db, "--engine", "local"])
    assert first.exit_code == 1, first.output  # c.jsonl holds one record with no text
    assert "done " in first.output and "a.jsonl: annotated 2, stored 2" in first.output
    assert "rejected E007" in first.output and "stories: 2" in first.output
    again = CliRunner().invoke(main, ["analyze", str(shards), "--db", db, "--engine", "local"])
    assert again.output.count("skipped") == 3


def test_scheduler_needs_the_dask_engine(shards: Path, tmp_path: Path) -> None:
    args = ["analyze", str(shards), "--db", str(tmp_path / "x.db"), "--scheduler", "tcp://127.0.0.1:1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "--engine dask" in result.output


def test_out_writes_one_parquet_file_per_partition_and_resumes(shards: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "parquet"
    args = ["analyze", str(shards), "--db", str(tmp_path / "x.db"), "--engine", "dask", "--workers", "1"]
    first = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert first.exit_code == 1, first.output  # the record with no text
    files = sorted(out.glob("*.parquet"))
    assert [f.name.split("-")[0] for f in files] == ["a.jsonl", "b.jsonl", "c.jsonl"]
    rows = pq.read_table(files[0]).to_pylist()
    article = json.loads(rows[0]["article"])
    assert rows[0]["source"] == "Daily" and article["entities"] and article["timexes"]
    again = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert again.output.count("skipped") == 3 and again.exit_code == 0
