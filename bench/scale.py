"""End-to-end throughput of the engines: articles/second and cost per 1k articles as the corpus grows.

Corpus: AllSides (``../shared/data/allsides/allsides_articles.jsonl.gz``, 37,554 real articles). The
first N records are written as JSONL shards of ``--shard-size`` lines into a temporary folder (the
engines' partitions). Sizes above 37,554 are made of copies re-dated by -10, -20 ... years (the
corpus spans 2012-2020, so each copy lands in story windows of its own; backwards, because the ingest
drops publication dates later than next year as implausible), their URLs suffixed ``#copyK`` so they
are new articles, cut at N. Records without an ISO date (4,444 of 37,554) are not
copied: a copy could not be re-dated, and the story step places undated articles first, all in one
window, so each copy would swell that window instead of adding windows like the corpus's own.

Each (size, engine) point runs in a fresh subprocess, into a fresh store (a PostgreSQL schema, or an
SQLite file with ``--store sqlite``), and times everything: planning, reading, normalising, the NLP
stages, writing, the finished-partition records and the story update (clustering in publication
order, saving the clusterer state every 2,000 articles). Peak memory is the largest summed RSS of the
process and all its children (Dask workers included), sampled every 0.2 s, also reported per phase
(the engine's partitions, then the story step); CPU seconds are their user +
system time (the machine is shared, so wall time alone overstates the cost).

Engines: ``local`` (in-process), ``dask1`` / ``dask2`` (LocalCluster with 1 / 2 worker processes).

``--nlp``: ``full`` (the default stage list, spaCy parse included) or ``none`` (no NLP stage: read,
normalise, store, stories). Full NLP runs at about 6k words/s per core here, ~3 minutes per 1,000
AllSides articles (median 810 words): use ``none`` to measure the scaling curve of everything else.

Run: ``python bench/scale.py --sizes 1000,10000 --engines local,dask1,dask2 --nlp none [--json PATH]``
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("STORYLINE_SHARED_DATA", ROOT.parent / "shared" / "data")) / "allsides"
CORPUS = DATA / "allsides_articles.jsonl.gz"
POSTGRES_URL = os.environ.get("STORYLINE_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")
ENGINES = {"local": 0, "dask1": 1, "dask2": 2}


def records(size: int) -> Iterator[dict[str, Any]]:
    """The first ``size`` AllSides records, then re-dated copies (see the module docstring)."""
    copy = 0
    while True:
        with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
            for line in lines:
                if size <= 0:
                    return
                record = json.loads(line) if not copy else redate(json.loads(line), copy)
                if record is not None:
                    size -= 1
                    yield record
        copy += 1


def redate(record: dict[str, Any], copy: int) -> dict[str, Any] | None:
    """The record moved back by ``copy`` decades; None when it has no ISO date to move."""
    try:
        day = date.fromisoformat(record.get("date") or "") - timedelta(days=3653 * copy)
    except (ValueError, OverflowError):  # no ISO date, or one before year 1 (a typo in the corpus)
        return None
    url = f"{record.get('url') or record['ID']}#copy{copy}"
    return {**record, "url": url, "date": day.isoformat()}


def write_shards(folder: Path, size: int, *, shard_size: int) -> int:
    """``size`` records as JSONL files of ``shard_size`` lines; 0: one file, which the engines cut into
    slices of ``partition_lines`` lines themselves."""
    folder.mkdir(parents=True, exist_ok=True)
    if shard_size == 0:
        with (folder / "corpus.jsonl").open("w", encoding="utf-8") as whole:
            whole.writelines(json.dumps(record) + "\n" for record in records(size))
        return 1
    shards, handle = 0, None
    for number, record in enumerate(records(size)):
        if number % shard_size == 0:
            if handle is not None:
                handle.close()
            handle = (folder / f"shard-{shards:05d}.jsonl").open("w", encoding="utf-8")
            shards += 1
        assert handle is not None
        handle.write(json.dumps(record) + "\n")
    if handle is not None:
        handle.close()
    return shards


class PeakMemory:
    """Largest RSS of this process plus its descendants, sampled in a thread."""

    def __init__(self, *, every: float = 0.2) -> None:
        import psutil

        self.process, self.every, self.peak = psutil.Process(), every, 0
        self.cpu: dict[int, float] = {}  # user + system seconds last seen per process
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for process in [self.process, *self.process.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                    times = process.cpu_times()
                    self.cpu[process.pid] = times.user + times.system
                except psutil.Error:
                    continue  # a worker exiting between listing and reading
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)


def run_point(shards: Path, *, engine: str, nlp: str, store_kind: str) -> dict[str, Any]:
    """One engine over ``shards`` into a fresh store (runs in the child process)."""
    from storyline.api import iter_update_stories
    from storyline.errors import StorylineError
    from storyline.settings import DEFAULT
    from storyline.store import open_store

    settings = DEFAULT if nlp == "full" else dataclasses.replace(DEFAULT, nlp=())
    url, schema = str(shards.parent / f"{secrets.token_hex(4)}.db"), None
    if store_kind == "postgres":
        url, schema = POSTGRES_URL, f"bench_{secrets.token_hex(4)}"
    started = time.perf_counter()
    with PeakMemory() as memory:
        events = _run_engine(engine, url, schema, shards, settings)
        engine_seconds = time.perf_counter() - started
        engine_peak, memory.peak = memory.peak, 0  # from here on: the story step's peak
        story_error = None
        with open_store(url, schema=schema) as store:
            try:
                list(iter_update_stories(store, settings=settings))
            except StorylineError as exc:  # reported in the row: the engine numbers still count
                story_error = str(exc)[:300]
            articles, stories = store.count_articles(), store.count_stories()
    seconds = time.perf_counter() - started
    if schema is not None:
        _drop_schema(schema)
    task_seconds = sum(e.seconds for e in events)
    return {
        "engine": engine,
        "story_error": story_error,
        "articles": articles,
        "stories": stories,
        "partitions": len(events),
        "failed": sum(e.status == "failed" for e in events),
        "seconds": round(seconds, 2),
        "engine_seconds": round(engine_seconds, 2),
        "story_seconds": round(seconds - engine_seconds, 2),
        "task_seconds": round(task_seconds, 2),
        # Share of the workers' time not spent inside partition tasks (scheduling, start-up, idle tail).
        "engine_overhead": round(1 - task_seconds / max(engine_seconds * max(ENGINES[engine], 1), 1e-9), 3),
        "articles_per_second": round(articles / seconds, 1),
        "seconds_per_1k": round(1000 * seconds / max(articles, 1), 2),
        "peak_rss_mb": round(max(engine_peak, memory.peak) / 2**20),
        "engine_peak_rss_mb": round(engine_peak / 2**20),
        "story_peak_rss_mb": round(memory.peak / 2**20),
        "cpu_seconds": round(sum(memory.cpu.values()), 1),
        "cpu_seconds_per_1k": round(1000 * sum(memory.cpu.values()) / max(articles, 1), 2),
    }


def _run_engine(engine: str, url: str, schema: str | None, shards: Path, settings: Any) -> list[Any]:
    from storyline.engine.dask import iter_run_dask
    from storyline.engine.local import iter_run_local
    from storyline.store import open_store

    if engine == "local":
        with open_store(url, schema=schema) as store:
            return list(iter_run_local(store, [str(shards)], settings=settings))
    return list(iter_run_dask(url, [str(shards)], schema=schema, settings=settings, workers=ENGINES[engine]))


def _drop_schema(schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,37554,100000")
    parser.add_argument("--engines", default="local,dask1,dask2")
    parser.add_argument("--nlp", choices=("full", "none"), default="none")
    parser.add_argument("--store", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument(
        "--shard-size", type=int, default=500, help="lines per JSONL shard; 0: one file, sliced by the engine"
    )
    parser.add_argument("--json", help="Also write the results to this file.")
    parser.add_argument("--point", help=argparse.SUPPRESS)  # child mode: SHARDS,ENGINE
    args = parser.parse_args()
    if args.point:
        shards, engine = args.point.split(",")
        print(json.dumps(run_point(Path(shards), engine=engine, nlp=args.nlp, store_kind=args.store)))
        return
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS}")
    results = [row for size in map(int, args.sizes.split(",")) for row in measure_size(size, args)]
    print_summary(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def print_summary(rows: list[dict[str, Any]]) -> None:
    """Cost per 1k articles per engine and size, relative to the engine's smallest size."""
    header = ("engine", "size", "art/s", "s/1k", "cpu s/1k", "vs first", "peak MB", "engine MB", "story MB")
    print(f"{header[0]:<7} " + " ".join(f"{h:>8}" for h in header[1:]))
    first: dict[str, float] = {}
    for row in rows:
        if "error" in row:
            print(f"{row['engine']:<7} {row['size']:>7} failed: {row['error']}")
            continue
        base = first.setdefault(row["engine"], row["seconds_per_1k"])
        ratio = row["seconds_per_1k"] / base
        cells = (
            row["articles"],
            row["articles_per_second"],
            row["seconds_per_1k"],
            row["cpu_seconds_per_1k"],
            f"{ratio:.2f}",
            row["peak_rss_mb"],
            row["engine_peak_rss_mb"],
            row["story_peak_rss_mb"],
        )
        print(f"{row['engine']:<7} " + " ".join(f"{c:>8}" for c in cells))


def measure_size(size: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="storyline-scale-") as folder:
        shards = Path(folder) / "shards"
        count = write_shards(shards, size, shard_size=args.shard_size)
        for engine in args.engines.split(","):
            command = [sys.executable, __file__, "--nlp", args.nlp, "--store", args.store]
            child = subprocess.run(
                [*command, "--point", f"{shards},{engine}"], capture_output=True, text=True
            )
            row: dict[str, Any] = {"size": size, "shards": count, "nlp": args.nlp, "store": args.store}
            if child.returncode == 0:
                row.update(json.loads(child.stdout.strip().splitlines()[-1]))
            else:
                row.update(engine=engine, error=child.stderr.strip().splitlines()[-3:])
            print(json.dumps(row), flush=True)
            rows.append(row)
    return rows


if __name__ == "__main__":
    main()
