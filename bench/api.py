"""HTTP API latency: the story list, a story page and a search, over loopback, 1 and 8 clients.

The database holds the first ``--articles`` records of ../shared/data/allsides/allsides_articles.jsonl.gz,
ingested, annotated and clustered with the normal Python API (built once and reused from ``--db``).
``storyline serve`` runs it in a subprocess (uvicorn, one worker) on a free loopback port; clients are
httpx clients in threads. Endpoints: the JSON story list, story and search, and the web UI's story
list and story page (server-rendered HTML). For each endpoint: ``--requests`` requests one after
another, then the same number spread over ``--clients`` concurrent clients; p50/p95 latency (ms) and
requests/second.

Run from the repository root: ``python bench/api.py [--articles 1000] [--json results.json]``.
Nothing is asserted. The issue's target scale is 10k articles (``--articles 10000``; building that
database takes about half an hour on 2 cores, then it is reused); the default is smaller, and the
printed header says which N was measured.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import logging
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `eval` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from eval.common import shared_data_path, write_json

from storyline import api
from storyline.store import open_store

DATASET = "allsides"
FILE = "allsides_articles.jsonl.gz"
READY_SECONDS = 60
# Search terms: frequent title words of the corpus itself, so searches hit.
TERM_COUNT = 20


def build_database(db: Path, *, articles: int, processes: int) -> None:
    """Ingest, annotate and cluster the first ``articles`` records into ``db`` unless already there."""
    with open_store(str(db)) as store:
        if store.count_articles() >= articles and store.count_stories():
            return
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "allsides.jsonl"
            source.write_bytes(_first_lines(shared_data_path(DATASET) / FILE, articles))
            for _ in api.iter_ingest(store, [str(source)]):
                pass
        started = time.perf_counter()
        for _ in api.iter_annotate(store, processes=processes):
            pass
        for _ in api.iter_update_stories(store):
            pass
        logging.info("annotated and clustered in %.0f s", time.perf_counter() - started)


def _first_lines(path: Path, count: int) -> bytes:
    with gzip.open(path, "rb") as handle:
        return b"".join(itertools.islice(handle, count))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).with_name("storyline")),
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/stories?limit=1", timeout=2).raise_for_status()
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"server on port {port} did not answer within {READY_SECONDS} s")


def measure(base: str, paths: list[str], *, clients: int) -> dict[str, float]:
    """Latencies of GET ``paths`` spread over ``clients`` concurrent clients."""
    shares = [paths[i::clients] for i in range(clients)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        timings = [t for part in pool.map(lambda share: _run_client(base, share), shares) for t in part]
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(timings, n=20)
    return {
        "p50_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(cuts[18] * 1000, 1),
        "requests_per_s": round(len(timings) / wall, 1),
    }


def _run_client(base: str, paths: list[str]) -> list[float]:
    timings = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for path in paths:
            started = time.perf_counter()
            client.get(path).raise_for_status()
            timings.append(time.perf_counter() - started)
    return timings


def workloads(base: str, *, requests: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    stories = httpx.get(f"{base}/api/v1/stories", params={"limit": 200}).json()["items"]
    titles = " ".join(
        a["title"] or "" for a in httpx.get(f"{base}/api/v1/articles?limit=200").json()["items"]
    )
    words = re.findall(r"[A-Za-z]{5,}", titles.lower())
    terms = [w for w, _ in sorted(((w, words.count(w)) for w in set(words)), key=lambda p: -p[1])][
        :TERM_COUNT
    ]
    pick: Callable[[list[str]], str] = rng.choice
    story_ids = [s["id"] for s in stories]
    return {
        "story list": ["/api/v1/stories?limit=50"] * requests,
        "story page": [f"/api/v1/stories/{pick(story_ids)}" for _ in range(requests)],
        "search": [f"/api/v1/search?q={pick(terms)}&limit=20" for _ in range(requests)],
        "UI list": ["/ui/"] * requests,
        "UI story": [f"/ui/stories/{pick(story_ids)}" for _ in range(requests)],
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    db = Path(args.db or Path(tempfile.gettempdir()) / f"storyline-bench-api-{args.articles}.db")
    build_database(db, articles=args.articles, processes=args.processes)
    with open_store(str(db)) as store:
        sizes = {"articles": store.count_articles(), "stories": store.count_stories()}
    port = free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        results = {}
        for name, paths in workloads(base, requests=args.requests, seed=args.seed).items():
            results[name] = {
                "sequential": measure(base, paths, clients=1),
                f"{args.clients} clients": measure(base, paths, clients=args.clients),
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"database": str(db), **sizes, "requests": args.requests, "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--db", help="database to build or reuse (default: a temp file per N)")
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint and mode")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--processes", type=int, default=2, help="NLP worker processes while building")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    report = run(args)
    print(f"{report['articles']} articles, {report['stories']} stories; {args.requests} requests each")
    print(f"{'endpoint':<12} {'mode':<11} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}")
    for name, modes in report["results"].items():
        for mode, numbers in modes.items():
            p50, p95, rate = numbers["p50_ms"], numbers["p95_ms"], numbers["requests_per_s"]
            print(f"{name:<12} {mode:<11} {p50:>8} {p95:>8} {rate:>8}")
    if args.json:
        write_json(args.json, report)


if __name__ == "__main__":
    main()
