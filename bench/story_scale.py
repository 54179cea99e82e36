"""The story step at scale, on real annotations: cost per 1k articles and peak memory as the corpus grows.

``bench/scale.py`` times the engines end to end; with full NLP (~0.1-0.2 CPU-s per AllSides article)
a 100k point takes hours on this 2-core machine, and without NLP the articles carry no entities, so
the story step has nothing to cluster on. This script isolates the story step (syndication index,
clustering, fact comparison, timelines, state saving) with real annotations: it reads the annotated
articles of a source database (e.g. the one ``bench/api.py --articles 10000`` builds), writes the first
N of them in publication order into a fresh store — beyond the source's size, copies re-dated by +10,
+20 ... years (dates of the article and of its time expressions), URLs suffixed ``#copyK``, so they are
new articles in story windows of their own (undated articles are not copied: a copy could not be
re-dated, and twenty identical copies would pile up among the undated articles, which go first) —
then runs :func:`storyline.api.iter_update_stories` and times it.

Each size runs in a fresh subprocess and store (a PostgreSQL schema, or SQLite with ``--store sqlite``).
Peak memory: the largest RSS of that process, sampled every 0.2 s. Also reported: the bytes of
saved story state at the end (it must not grow with the corpus).

Run: ``python bench/story_scale.py --source /tmp/storyline-bench-api-10000.db --sizes 1000,10000,100000``
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scale import POSTGRES_URL, PeakMemory, _drop_schema

YEAR = re.compile(r"^(\d{4})")


def copies(source: str, size: int) -> Iterator[tuple[Any, Any]]:
    """(raw, annotated article) for the first ``size`` articles; re-dated copies beyond the source."""
    from storyline.model import RawDocument
    from storyline.store import open_store

    copy = 0
    with open_store(source) as store:
        rows = store.connection.execute("SELECT id FROM articles ORDER BY COALESCE(published, ''), id")
        ids = [row[0] for row in rows.fetchall()]
        while True:
            for article_id in ids:
                if size <= 0:
                    return
                article = store.get_article(article_id)
                if not article.timexes and not article.entities:
                    continue  # not annotated in the source
                if copy and not article.published:
                    continue  # an undated copy would land in no window of its own: in the undated pile
                size -= 1
                data = store.get_raw(article.raw_hash or "")
                if copy:
                    article = redate(article, copy)
                    data += f"\n#copy{copy}".encode()
                raw = RawDocument(origin=article.origin, data=data, format="replay", text=article.text)
                yield raw, article
            copy += 1


def redate(article: Any, copy: int) -> Any:
    from storyline.model import article_id

    url = f"{article.url or article.id}#copy{copy}"
    published = article.published
    if published:
        try:
            day = date.fromisoformat(published[:10]) + timedelta(days=3653 * copy)
            published = day.isoformat() + published[10:]
        except ValueError:
            pass
    timexes = [
        dataclasses.replace(t, value=_shift(t.value, 10 * copy)) if t.value else t for t in article.timexes
    ]
    return dataclasses.replace(
        article,
        id=article_id(url=url, text=article.text),
        url=url,
        published=published,
        timexes=timexes,
        raw_hash=None,
        revision=1,
    )


def _shift(value: str, years: int) -> str:
    return YEAR.sub(lambda m: str(int(m.group(1)) + years), value)


def run_point(source: str, size: int, *, store_kind: str) -> dict[str, Any]:
    from storyline import api
    from storyline.store import open_store

    url, schema = f"/tmp/story-scale-{secrets.token_hex(4)}.db", None
    if store_kind == "postgres":
        url, schema = POSTGRES_URL, f"bench_{secrets.token_hex(4)}"
    pipeline = api.pipeline_signature()
    started = time.perf_counter()
    try:
        with open_store(url, schema=schema) as store:
            for raw, article in copies(source, size):
                bare = dataclasses.replace(
                    article, entities=[], quotes=[], quantities=[], timexes=[], claims=[]
                )
                store.add_article(raw, bare)
                article.revision, article.raw_hash = bare.revision, bare.raw_hash
                store.save_annotations(article, pipeline=pipeline)
            loaded = time.perf_counter() - started
            with PeakMemory() as memory:
                cpu_before = _cpu()
                story_started = time.perf_counter()
                stories = sum(1 for e in api.iter_update_stories(store) if not e.deleted)
                seconds = time.perf_counter() - story_started
                cpu = _cpu() - cpu_before
            articles = store.count_articles()
            state_bytes = _state_bytes(store)
            story_count = store.count_stories()
    finally:
        if schema is not None:
            _drop_schema(schema)
        elif os.path.exists(url):
            os.unlink(url)
    return {
        "size": size,
        "articles": articles,
        "stories": story_count,
        "story_events": stories,
        "load_seconds": round(loaded, 1),
        "story_seconds": round(seconds, 1),
        "seconds_per_1k": round(1000 * seconds / max(articles, 1), 2),
        "cpu_seconds_per_1k": round(1000 * cpu / max(articles, 1), 2),
        "peak_rss_mb": round(memory.peak / 2**20),
        "state_bytes": state_bytes,
    }


def _state_bytes(store: Any) -> dict[str, int]:
    """Bytes of saved story state per name: the header plus its pieces (items)."""
    sizes: dict[str, int] = {}
    for table in ("story_state", "story_state_items"):
        for name, data in store.connection.execute(f"SELECT name, data FROM {table}").fetchall():
            sizes[name] = sizes.get(name, 0) + len(str(data))
    return sizes


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="an annotated database (SQLite path or URL)")
    parser.add_argument("--sizes", default="1000,10000,37554,100000")
    parser.add_argument("--store", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--json", help="Also write the results to this file.")
    parser.add_argument("--point", type=int, help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    if args.point:
        print(json.dumps(run_point(args.source, args.point, store_kind=args.store)))
        return
    rows = []
    for size in map(int, args.sizes.split(",")):
        command = [sys.executable, __file__, "--source", args.source, "--store", args.store]
        child = subprocess.run([*command, "--point", str(size)], capture_output=True, text=True)
        row = (
            json.loads(child.stdout.strip().splitlines()[-1])
            if child.returncode == 0
            else {"size": size, "error": child.stderr.strip().splitlines()[-3:]}
        )
        print(json.dumps(row), flush=True)
        rows.append(row)
    base = next((r["seconds_per_1k"] for r in rows if "error" not in r), None)
    print(f"{'size':>7} {'s/1k':>7} {'cpu s/1k':>9} {'vs first':>9} {'peak MB':>8} {'state KB':>9}")
    for row in rows:
        if "error" in row or base is None:
            continue
        state_kb = sum(row["state_bytes"].values()) // 1024
        ratio = row["seconds_per_1k"] / base
        print(
            f"{row['articles']:>7} {row['seconds_per_1k']:>7} {row['cpu_seconds_per_1k']:>9} "
            f"{ratio:>9.2f} {row['peak_rss_mb']:>8} {state_kb:>9}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
