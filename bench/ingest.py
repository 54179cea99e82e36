"""Ingest speed on one core: articles/second through the whole ingest path, per input format.

"Whole ingest path" = ``storyline.ingest.readers.read_inputs([folder or file])`` then
``storyline.ingest.normalize.normalize(raw)`` for every record, optionally followed by
``Store.add_article`` into a fresh SQLite file (the "+ store" column). Inputs, built in a temp dir:

- sample: the two seed articles (examples/seeds) copied to ``--sample-files`` files (default 1,000);
  in the store run every copy after the first two is an "unchanged" duplicate, as on re-ingest;
- html: the 181 pages of ../shared/data/article-extraction, one .html file each;
- warc: the same pages as HTTP response records of one .warc.gz (written here with warcio).

In the same run, bare ``trafilatura.extract(html)`` (default options, file read included) on the same
181 files gives the reference: ``ratio`` = our HTML articles/s ÷ trafilatura's pages/s (target ≥ 0.8).
Each measurement is repeated ``--repeat`` times, ours and trafilatura interleaved, and the fastest
run is kept. Rates are articles per CPU second of this one process (no threads, no workers): on a
shared machine, wall time also counts other processes' work; it is reported beside.

Run from the repository root: ``python bench/ingest.py [--json results.json]``. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `eval` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura
from eval.common import ROOT, shared_data_path, write_json
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.errors import StorylineError
from storyline.ingest.normalize import normalize
from storyline.ingest.readers import read_inputs
from storyline.store import open_store

SEEDS = ROOT / "examples" / "seeds"
DATASET = "article-extraction"


@dataclass(slots=True)
class Run:
    """One timed pass: articles out, inputs rejected, CPU seconds of this process and wall seconds.

    Rates use CPU time: on a shared machine it counts only the work done here, on one core.
    """

    articles: int
    rejected: int
    seconds: float
    wall_seconds: float

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


class Timer:
    def __enter__(self) -> Timer:
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu, self.wall = time.process_time() - self.cpu, time.perf_counter() - self.wall


# Inputs


def build_sample(folder: Path, *, files: int) -> Path:
    seeds = sorted(SEEDS.glob("*.txt"))
    folder.mkdir()
    for number in range(files):
        seed = seeds[number % len(seeds)]
        shutil.copyfile(seed, folder / f"{number:05d}_{seed.name}")
    return folder


def load_pages(root: Path) -> dict[str, tuple[str, bytes]]:
    """{id: (url, html bytes)} for every benchmark page."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return {
        doc_id: (item["url"], gzip.decompress((root / "html" / f"{doc_id}.html.gz").read_bytes()))
        for doc_id, item in sorted(truth.items())
    }


def build_html(folder: Path, pages: dict[str, tuple[str, bytes]]) -> Path:
    folder.mkdir()
    for doc_id, (_url, html) in pages.items():
        (folder / f"{doc_id}.html").write_bytes(html)
    return folder


def build_warc(path: Path, pages: dict[str, tuple[str, bytes]]) -> Path:
    """One gzipped WARC with an HTTP 200 text/html response record per page."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, html in pages.values():
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(html)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html), http_headers=headers
            )
            writer.write_record(record)
    return path


# Measurements


def ingest(path: Path, *, store_path: Path | None = None) -> Run:
    """read_inputs → normalize (→ add_article) over ``path``, timed."""
    store = open_store(str(store_path)) if store_path is not None else None
    articles = rejected = 0
    with Timer() as timer:
        for item in read_inputs([str(path)]):
            try:
                if isinstance(item, StorylineError):
                    raise item
                article = normalize(item)
                if store is not None:
                    store.add_article(item, article)
                articles += 1
            except StorylineError:
                rejected += 1
    if store is not None:
        store.close()
    return Run(articles, rejected, timer.cpu, timer.wall)


def bare_trafilatura(folder: Path) -> Run:
    """trafilatura.extract with default options on every .html file of ``folder``, file reads included."""
    articles = rejected = 0
    with Timer() as timer:
        for path in sorted(folder.glob("*.html")):
            if trafilatura.extract(path.read_bytes()):
                articles += 1
            else:
                rejected += 1
    return Run(articles, rejected, timer.cpu, timer.wall)


def record(runs: dict[str, list[Run]], name: str, measure: Callable[[], Run]) -> None:
    runs.setdefault(name, []).append(measure())


def measure_all(work: Path, *, sample_files: int, repeat: int) -> dict[str, Run]:
    pages = load_pages(shared_data_path(DATASET))
    inputs = {
        "sample": build_sample(work / "sample", files=sample_files),
        "html": build_html(work / "html", pages),
        "warc": build_warc(work / "pages.warc.gz", pages),
    }
    ingest(inputs["sample"])  # warm-up: imports, compiled patterns, the stage registry
    runs: dict[str, list[Run]] = {}
    for round_number in range(repeat):
        for name, path in inputs.items():
            record(runs, name, partial(ingest, path))
            store = work / f"store-{name}-{round_number}.db"
            record(runs, f"{name} + store", partial(ingest, path, store_path=store))
        record(runs, "trafilatura.extract (html)", partial(bare_trafilatura, inputs["html"]))
    return {name: min(found, key=lambda run: run.seconds) for name, found in runs.items()}


# Report


def report(best: dict[str, Run], *, repeat: int) -> dict[str, Any]:
    ratio = best["html"].rate / best["trafilatura.extract (html)"].rate
    return {
        "repeat": repeat,
        "runs": {name: {**asdict(run), "rate": round(run.rate, 2)} for name, run in best.items()},
        "html_ratio_to_trafilatura": round(ratio, 3),
    }


def format_table(result: dict[str, Any]) -> str:
    header = f"{'input':<28} {'articles':>8} {'rejected':>8} {'cpu s':>7} {'wall s':>7} {'articles/s':>10}"
    lines = [header, "-" * len(header)]
    for name, run in result["runs"].items():
        counts = f"{run['articles']:>8} {run['rejected']:>8}"
        times = f"{run['seconds']:>7.2f} {run['wall_seconds']:>7.2f}"
        lines.append(f"{name:<28} {counts} {times} {run['rate']:>10.1f}")
    lines.append(
        f"\nours (html) / trafilatura.extract: {result['html_ratio_to_trafilatura']:.3f}  (target ≥ 0.8)"
    )
    lines.append(f"fastest of {result['repeat']} runs each; articles/s per CPU second, one process")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest is kept")
    parser.add_argument("--sample-files", type=int, default=1000, help="copies of the seeds to ingest")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page; not what is measured
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as work:
        best = measure_all(Path(work), sample_files=args.sample_files, repeat=args.repeat)
    result = report(best, repeat=args.repeat)
    print(format_table(result))
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
