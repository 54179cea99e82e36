"""Story clustering cost: seconds per 1k articles at 1k, 10k, 37k and 100k articles, memory, and a rough
real-world check on AllSides (37,554 articles, 2012–2020).

What is timed: ``StoryClusterer.add_features`` only, article by article in publication order, with a
fresh clusterer per size (default settings: hashing embedder, 10-day window). The features are
precomputed once with a cheap path, because the full NLP stages (spaCy) would take hours on 37k articles
on this machine:

* text vector: the clusterer's own embedder over title + ``content_original`` (timed separately);
* entities: a proxy, not ``entities.v1``: capitalised word sequences (``Donald Trump``, ``White House``)
  outside sentence starts, case-folded, as canonical keys;
* event dates: the real ``timexes.v1`` rules (``storyline.nlp.timex.find_timexes``) over the first 1,500
  characters, relative to the article's date;
* publication date: ``date`` (ISO, or US ``m/d/yy``); dates outside 2000–2021 (years 0001 and 2050 occur)
  count as missing. Undated articles (12%) go after the dated ones, in file order, and are placed at the
  clock (see ``storyline.stories.cluster``).

The 100k point: the dated stream followed by copies of itself re-dated by +10 and +20 years (publication
dates and event dates shifted by 3,653 and 7,306 days, ids suffixed), cut at 100,000 articles. The corpus
spans 9 years, so each copy lands in windows of its own and the active index stays as small as for one copy.

Real-world check (no gold story ids): over the 37k run, the share of article pairs sharing a (date, topic)
that land in one story (a recall proxy: such pairs *often* cover one event), and the share of same-story
pairs that share the AllSides topic (a precision proxy).

Run: ``python bench/cluster.py [--sizes 1000,10000,37554,100000] [--json PATH]``. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `eval` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.common import shared_data_path, write_json

from storyline.model import Article, Timex
from storyline.nlp.timex import find_timexes
from storyline.settings import DEFAULT
from storyline.stories.cluster import StoryClusterer
from storyline.stories.embed import get_embedder
from storyline.stories.features import ArticleFeatures, event_dates, features_from_vector, story_text

FILE = "allsides_articles.jsonl.gz"
LEAD_CHARS = 1500
COPY_SHIFT_DAYS = 3653  # ten years
# The corpus says 2012-2020; a stray 2050 date would hold the stream clock (and eviction) for 30 years.
PLAUSIBLE_YEARS = (2000, 2021)
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})$")
NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|[A-Z]\.))*(?:\s+[A-Z][a-z]+)?")
NOT_NAMES = frozenset(
    {"the", "he", "she", "it", "they", "we", "i", "but", "and", "in", "on", "a", "this", "mr", "ms"}
)


@dataclass(slots=True)
class Record:
    article: Article
    topic: str


def read_records(path: Path) -> list[Record]:
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            article = Article(
                id=row["ID"],
                origin=f"{FILE}#{len(records) + 1}",
                text=row.get("content_original") or "",
                title=row.get("title") or None,
                published=iso_date(row.get("date") or ""),
                source=row.get("source") or None,
            )
            records.append(Record(article, row.get("topic") or ""))
    return records


def iso_date(value: str) -> str | None:
    """ISO date of the record, None when absent or implausible (years 0001 and 2050 occur in the data)."""
    match = US_DATE.match(value.strip())
    if match:
        month, day, year = (int(g) for g in match.groups())
        value = f"{2000 + year:04d}-{month:02d}-{day:02d}"
    try:
        parsed = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return parsed.isoformat() if PLAUSIBLE_YEARS[0] <= parsed.year <= PLAUSIBLE_YEARS[1] else None


def proxy_entities(text: str) -> Counter[str]:
    keys: Counter[str] = Counter()
    for match in NAME.finditer(text):
        key = match.group(0).casefold()
        if key not in NOT_NAMES and len(key) > 2:
            keys[key] += 1
    return keys


def cheap_features(records: Sequence[Record]) -> tuple[list[ArticleFeatures], dict[str, float]]:
    embedder = get_embedder(DEFAULT.story_embedder)
    started = time.perf_counter()
    vectors = embedder.embed([story_text(r.article) for r in records])
    embed_seconds = time.perf_counter() - started
    features, started, failures = [], time.perf_counter(), Counter[str]()
    for record, vector in zip(records, vectors, strict=True):
        article = record.article
        article.timexes = lead_timexes(article, failures)
        item = features_from_vector(article, vector)
        item.entities = proxy_entities(article.text)
        item.event_dates = event_dates(article)
        features.append(item)
        article.text = ""  # the texts are no longer needed; keep memory for the clusterer
    seconds = time.perf_counter() - started
    return features, {
        "embed_seconds": embed_seconds,
        "dates_entities_seconds": seconds,
        "timex_failures": failures,
    }


def lead_timexes(article: Article, failures: Counter[str]) -> list[Timex]:
    """The timex rules over the lead; a rule that crashes costs that article its dates (counted)."""
    try:
        return find_timexes(article.text[:LEAD_CHARS], published=article.published)
    except (KeyError, ValueError, IndexError) as exc:
        failures[f"{type(exc).__name__}: {exc}"] += 1
        return []


def stream_order(features: Sequence[ArticleFeatures]) -> list[int]:
    dated = sorted(
        (i for i, f in enumerate(features) if f.published is not None),
        key=lambda i: features[i].published or 0,
    )
    return dated + [i for i, f in enumerate(features) if f.published is None]


def redated_copies(
    features: Sequence[ArticleFeatures], order: Sequence[int], size: int
) -> Iterator[ArticleFeatures]:
    dated = [features[i] for i in order if features[i].published is not None]
    for copy in itertools.count():
        shift = copy * COPY_SHIFT_DAYS
        for item in dated:
            if size <= 0:
                return
            size -= 1
            yield item if copy == 0 else shifted(item, shift, copy)


def shifted(item: ArticleFeatures, shift: int, copy: int) -> ArticleFeatures:
    return replace(
        item,
        id=f"{item.id}~{copy}",
        published=None if item.published is None else item.published + shift,
        event_dates=[(a + shift, b + shift) for a, b in item.event_dates],
    )


def timed_run(stream: Iterator[ArticleFeatures]) -> tuple[StoryClusterer, dict[str, Any]]:
    clusterer = StoryClusterer(settings=DEFAULT)
    rss_before = _rss_mb()
    started, cpu_started, count, peak_active = time.perf_counter(), time.process_time(), 0, 0
    for count, item in enumerate(stream, start=1):
        clusterer.add_features(item)
        if count % 1000 == 0:
            peak_active = max(peak_active, len(clusterer.index))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    stats = clusterer.stats
    return clusterer, {
        "articles": count,
        "seconds": round(seconds, 2),
        "seconds_per_1k": round(1000 * seconds / max(count, 1), 3),
        # The machine is shared: CPU seconds of this process are the steadier measure.
        "cpu_seconds_per_1k": round(1000 * cpu_seconds / max(count, 1), 3),
        "stories": len(clusterer.stories),
        "active_stories_at_end": len(clusterer.index),
        "peak_active_stories_sampled": peak_active,
        "comparisons_per_article": round(stats["comparisons"] / max(stats["articles"], 1), 2),
        "auto_merges": stats["auto_merges"],
        "evicted": stats["evicted"],
        "rss_growth_mb": round(_rss_mb() - rss_before, 1),
    }


def _rss_mb() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def co_clustering(clusterer: StoryClusterer, records: Sequence[Record]) -> dict[str, Any]:
    """How often (date, topic) pairs share a story, and how often same-story pairs share a topic."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    topic_of = {}
    for record in records:
        topic_of[record.article.id] = record.topic
        if record.article.published and record.topic:
            groups[(record.article.published, record.topic)].append(record.article.id)
    pairs = together = 0
    for members in groups.values():
        for a, b in itertools.combinations(members, 2):
            pairs += 1
            together += clusterer.story_of(a) == clusterer.story_of(b)
    story_pairs = same_topic = 0
    by_story: dict[str, list[str]] = defaultdict(list)
    for article_id, story_id in clusterer.assignments.items():
        by_story[story_id].append(article_id)
    for members in by_story.values():
        for a, b in itertools.combinations(members, 2):
            story_pairs += 1
            same_topic += topic_of.get(a) == topic_of.get(b)
    sizes = Counter(len(m) for m in by_story.values())
    return {
        "date_topic_pairs": pairs,
        "date_topic_pairs_in_one_story": round(together / pairs, 4) if pairs else None,
        "same_story_pairs": story_pairs,
        "same_story_pairs_sharing_topic": round(same_topic / story_pairs, 4) if story_pairs else None,
        "singleton_stories": sizes[1],
        "stories_with_2_or_more": sum(n for size, n in sizes.items() if size > 1),
        "largest_story": max(sizes, default=0),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="story clustering cost on AllSides")
    parser.add_argument("--sizes", default="1000,10000,37554,100000")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    records = read_records(shared_data_path("allsides") / FILE)
    features, prep = cheap_features(records)
    order = stream_order(features)
    report: dict[str, Any] = {"prepare": prep | {"articles": len(features)}, "runs": []}
    print(f"features for {len(features)} articles: {json.dumps(prep)}")
    for size in sizes:
        if size <= len(order):
            stream: Iterator[ArticleFeatures] = (features[i] for i in order[:size])
        else:
            stream = redated_copies(features, order, size)
        clusterer, row = timed_run(stream)
        report["runs"].append(row)
        print(json.dumps(row))
        if size == len(order):
            report["co_clustering"] = co_clustering(clusterer, records)
            print(json.dumps(report["co_clustering"]))
    if args.json:
        write_json(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
