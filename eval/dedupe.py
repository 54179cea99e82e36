"""Measure syndication / near-duplicate detection (stories/dedupe.py) on real allsides articles.

There are no gold copy labels for allsides, so three measurements, each said plainly:

1. **Synthetic copies** (precision/recall). The first ``--synthetic`` (2,000) articles with at least 50
   words are indexed as originals (file order). Then ``--copies`` (700) of them, picked with a seeded
   RNG, are perturbed, run through the real normaliser under another outlet name and added. Kinds,
   cycled in turn (paragraphs are the blank-line separated blocks of the original's text):

   - ``drop_paragraph``: one random paragraph removed (articles of one paragraph: its last sentence);
   - ``insert_paragraph``: one paragraph of another random article (>= 20 words) inserted at a random place;
   - ``boilerplate``: an outlet header (``Published by …``, ``By Staff Writer``, ``Updated …``) and a
     footer (``Copyright …``, newsletter pitch, tip address) added as paragraphs;
   - ``rewrap``: every paragraph re-wrapped at 72 columns with single newlines, straight quotes turned
     curly (``"`` alternately into “ ”, ``'`` into ’);
   - ``swap_words``: 2% of the words (at least one) swapped with their right-hand neighbour;
   - ``trim``: only the first 60% of the paragraphs kept (rounded up): a trimmed republication;
   - ``combined``: drop_paragraph, then 1% swapped words, rewrap and boilerplate.

   A copy is *found* when it joins its original's origin group. recall = found / copies;
   precision = found / copies that joined any group. Originals that joined each other while indexing
   are counted separately (``original_joins``): they are natural duplicates or false merges.
2. **Partial reuse**: ``--partial`` (200) hosts taken after the indexed originals (>= 250 words,
   never indexed) get three consecutive paragraphs (>= 15 words each) of a random indexed original pasted
   at a random paragraph break. ``passage_recall``: pasted paragraphs (still in the normalised text) at
   least 90% covered by passages reported as reused from the donor's group; ``own_origin_rate``: hosts
   that did not join the donor's group; ``other_passages``: reused passages overlapping no pasted one
   (natural reuse such as an outlet's newsletter box or author bio, or false matches).
3. **Natural near-duplicates** among the first ``--natural`` (10,000) articles, indexed in file order:
   how many articles join an earlier one, by evidence, and ``--sample`` (10) pairs printed (to stderr) for
   reading by hand. ``add()`` throughput (articles/second, excluding normalisation) is timed here.

Run: ``python -m eval.dedupe [--pin]`` (prints JSON; ``--pin`` writes precision/recall under "dedupe" in
eval/baselines.json).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.ingest.normalize import normalize
from storyline.model import Article, RawDocument
from storyline.settings import DEFAULT, Settings
from storyline.stories.dedupe import SyndicationIndex

from .common import SHARED_DATA, pin_baseline

ALLSIDES = SHARED_DATA / "allsides" / "allsides_articles.jsonl.gz"
KINDS = ("drop_paragraph", "insert_paragraph", "boilerplate", "rewrap", "swap_words", "trim", "combined")
SEED = 13
MIN_WORDS = 50


@dataclass(slots=True)
class Record:
    id: str
    text: str
    title: str | None
    date: str | None
    source: str | None
    url: str | None
    authors: list[str]


def read_records(path: Path = ALLSIDES, *, limit: int) -> list[Record]:
    records: list[Record] = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if len(records) >= limit:
                break
            data = json.loads(line)
            records.append(_record(data))
    return records


def _record(data: dict[str, Any]) -> Record:
    authors = [a.strip() for a in (data.get("authors") or "").split(",") if a.strip()]
    return Record(
        data["ID"],
        data.get("content_original") or "",
        data.get("title"),
        data.get("date"),
        data.get("source"),
        data.get("url"),
        authors,
    )


def to_article(
    record: Record, *, text: str | None = None, id: str | None = None, source: str | None = None
) -> Article:
    """The real normaliser over an allsides record (or a perturbed text of it under another id/outlet)."""
    body = record.text if text is None else text
    raw = RawDocument(
        origin=f"allsides#{id or record.id}",
        data=body.encode("utf-8"),
        format="jsonl",
        text=body,
        title=record.title,
        published=record.date,
        url=None if id else record.url,
        source=source or record.source,
        authors=list(record.authors),
    )
    article = normalize(raw)
    article.id = id or record.id
    return article


# -- perturbations ---------------------------------------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def drop_paragraph(text: str, rng: random.Random) -> str:
    parts = paragraphs(text)
    if len(parts) > 1:
        del parts[rng.randrange(len(parts))]
        return "\n\n".join(parts)
    sentences = text.rsplit(". ", 1)
    return sentences[0] + "." if len(sentences) == 2 else text


def insert_paragraph(text: str, rng: random.Random, *, donors: list[str]) -> str:
    parts = paragraphs(text)
    candidates = [p for p in paragraphs(rng.choice(donors)) if len(p.split()) >= 20] or [
        "Other news follows."
    ]
    parts.insert(rng.randrange(len(parts) + 1), rng.choice(candidates))
    return "\n\n".join(parts)


def boilerplate(text: str, rng: random.Random) -> str:
    outlet = f"The Example Ledger {rng.randrange(100)}"
    header = [
        f"Published by {outlet}",
        "By Staff Writer",
        f"Updated {rng.randrange(1, 12)} hours ago | 3 min read",
    ]
    footer = [
        f"Copyright 2024 {outlet}. All rights reserved.",
        "Sign up for our free morning newsletter to get the day's top stories delivered to your inbox.",
        f"Have a news tip? Email our newsroom at tips{rng.randrange(100)}@example.com.",
    ]
    return "\n\n".join([*header, *paragraphs(text), *footer])


def rewrap(text: str, rng: random.Random) -> str:
    wrapped = "\n\n".join(textwrap.fill(p, width=72) for p in paragraphs(text))
    return _curly_quotes(wrapped)


def _curly_quotes(text: str) -> str:
    pieces = text.replace("'", "\u2019").split('"')
    out = [pieces[0]]
    for number, piece in enumerate(pieces[1:]):
        out.append(("\u201c" if number % 2 == 0 else "\u201d") + piece)
    return "".join(out)


def swap_words(text: str, rng: random.Random, *, share: float = 0.02) -> str:
    parts = [p.split(" ") for p in paragraphs(text)]
    slots = [(i, j) for i, words in enumerate(parts) for j in range(len(words) - 1)]
    for i, j in rng.sample(slots, min(len(slots), max(1, round(share * len(slots))))):
        parts[i][j], parts[i][j + 1] = parts[i][j + 1], parts[i][j]
    return "\n\n".join(" ".join(words) for words in parts)


def trim(text: str, rng: random.Random) -> str:
    parts = paragraphs(text)
    return "\n\n".join(parts[: max(1, math.ceil(0.6 * len(parts)))])


def combined(text: str, rng: random.Random) -> str:
    return boilerplate(rewrap(swap_words(drop_paragraph(text, rng), rng, share=0.01), rng), rng)


def perturbations(donors: list[str]) -> dict[str, Callable[[str, random.Random], str]]:
    return {
        "drop_paragraph": drop_paragraph,
        "insert_paragraph": lambda text, rng: insert_paragraph(text, rng, donors=donors),
        "boilerplate": boilerplate,
        "rewrap": rewrap,
        "swap_words": swap_words,
        "trim": trim,
        "combined": combined,
    }


# -- 1. synthetic copies ------------------------------------------------------------------------------------


def originals(records: list[Record], *, count: int) -> list[Record]:
    return [r for r in records if len(r.text.split()) >= MIN_WORDS][:count]


def score_synthetic(
    records: list[Record],
    articles: list[Article],
    *,
    copies: int = 700,
    settings: Settings = DEFAULT,
    seed: int = SEED,
) -> dict[str, Any]:
    """``articles`` are ``records`` normalised (``to_article``), indexed as the originals."""
    rng = random.Random(seed)
    index = SyndicationIndex(settings=settings)
    original_joins = sum(index.add(article).is_copy for article in articles)
    makers = perturbations([r.text for r in records])
    found: Counter[str] = Counter()
    joined: Counter[str] = Counter()
    sources = rng.sample(records, min(copies, len(records)))
    for number, record in enumerate(sources):
        kind = KINDS[number % len(KINDS)]
        text = makers[kind](record.text, rng)
        info = index.add(to_article(record, text=text, id=f"copy{number}", source=f"Copy Outlet {number}"))
        joined[kind] += info.is_copy
        found[kind] += info.is_copy and info.group == index.group_of(record.id)
    total = Counter(KINDS[n % len(KINDS)] for n in range(len(sources)))
    return {**_synthetic_scores(found, joined, total=total), "original_joins": original_joins}


def _synthetic_scores(found: Counter[str], joined: Counter[str], *, total: Counter[str]) -> dict[str, Any]:
    all_found, all_joined, all_total = sum(found.values()), sum(joined.values()), sum(total.values())
    return {
        "copies": all_total,
        "precision": round(all_found / max(all_joined, 1), 4),
        "recall": round(all_found / max(all_total, 1), 4),
        "recall_by_kind": {kind: round(found[kind] / max(total[kind], 1), 4) for kind in KINDS},
        "wrong_joins": all_joined - all_found,
    }


# -- 2. partial reuse ---------------------------------------------------------------------------------------


def score_partial(
    indexed: list[Record],
    articles: list[Article],
    hosts: list[Record],
    *,
    cases: int = 200,
    settings: Settings = DEFAULT,
    seed: int = SEED,
) -> dict[str, Any]:
    rng = random.Random(seed)
    index = SyndicationIndex(settings=settings)
    for article in articles:
        index.add(article)
    donors = [(r, run) for r in indexed if (run := _pastable_run(r.text))]
    counts: Counter[str] = Counter()
    for number, host in enumerate(h for h in hosts if len(h.text.split()) >= 250):
        if number >= cases:
            break
        donor, run = rng.choice(donors)
        start = rng.randrange(len(run) - 2)
        pasted = run[start : start + 3]
        parts = paragraphs(host.text)
        at = rng.randrange(len(parts) + 1)
        article = to_article(host, text="\n\n".join([*parts[:at], *pasted, *parts[at:]]), id=f"host{number}")
        info = index.add(article)
        _count_partial(counts, index, info, article, pasted, donor.id)
    return {
        "cases": counts["cases"],
        "pasted_paragraphs": counts["pasted"],
        "removed_by_normaliser": counts["removed_by_normaliser"],
        "passage_recall": round(counts["found"] / max(counts["pasted"], 1), 4),
        "own_origin_rate": round(counts["own_origin"] / max(counts["cases"], 1), 4),
        "other_passages": counts["other"],
    }


def _pastable_run(text: str) -> list[str]:
    """The longest run of consecutive paragraphs of >= 15 words, when it has three or more."""
    best: list[str] = []
    run: list[str] = []
    for paragraph in paragraphs(text):
        run = [*run, paragraph] if len(paragraph.split()) >= 15 else []
        best = run if len(run) > len(best) else best
    return best if len(best) >= 3 else []


def _count_partial(
    counts: Counter[str], index, info, article: Article, pasted: list[str], donor: str
) -> None:
    """A pasted paragraph is found when passages reused from the donor's group cover 90% of it (long ones
    are compared as sentence-aligned pieces); paragraphs the normaliser removed (embedded posts) are
    counted apart. Reused passages overlapping no pasted paragraph are ``other``."""
    donor_group = index.group_of(donor)
    spans = [(at, at + len(p.strip())) for p in pasted if (at := article.text.find(p.strip())) >= 0]
    from_donor = [(p.start, p.end) for p in info.passages if p.source_group == donor_group]
    counts["cases"] += 1
    counts["pasted"] += len(spans)
    counts["removed_by_normaliser"] += len(pasted) - len(spans)
    counts["found"] += sum(_covered(span, from_donor) >= 0.9 for span in spans)
    counts["own_origin"] += info.group != donor_group
    counts["other"] += sum(not any(_overlap((p.start, p.end), span) for span in spans) for p in info.passages)


def _covered(span: tuple[int, int], pieces: list[tuple[int, int]]) -> float:
    inside = sum(max(0, min(end, span[1]) - max(start, span[0])) for start, end in pieces)
    return inside / max(span[1] - span[0], 1)


def _overlap(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] < second[1] and second[0] < first[1]


# -- 3. natural near-duplicates --------------------------------------------------------------------------


def natural(records: list[Record], *, sample: int = 10, settings: Settings = DEFAULT) -> dict[str, Any]:
    articles = [to_article(r) for r in records]
    index = SyndicationIndex(settings=settings)
    started = time.perf_counter()
    infos = [index.add(a) for a in articles]
    elapsed = time.perf_counter() - started
    by_id = {a.id: a for a in articles}
    pairs = [(info, by_id[info.article], by_id[info.copy_of]) for info in infos if info.copy_of]
    _print_sample(random.Random(SEED).sample(pairs, min(sample, len(pairs))))
    return {
        "articles": len(articles),
        "joined_an_earlier_article": len(pairs),
        "identical_text": sum(a.text == b.text for _, a, b in pairs),
        "by_evidence": dict(Counter(" + ".join(info.evidence) for info, _, _ in pairs)),
        "groups_with_copies": sum(len(g.members) > 1 for g in index.groups()),
        "articles_per_second": round(len(articles) / elapsed, 1),
    }


def _print_sample(pairs: list[tuple[Any, Article, Article]]) -> None:
    for info, copy, earlier in pairs:
        print(
            f"\n=== {copy.id} ({copy.source}, {copy.published}) copies {earlier.id} ({earlier.source}, "
            f"{earlier.published}) J={info.jaccard} evidence={info.evidence}",
            file=sys.stderr,
        )
        for article in (earlier, copy):
            print(
                f"--- {article.title!r} [{article.word_count} words]\n{_excerpt(article.text)}",
                file=sys.stderr,
            )


def _excerpt(text: str) -> str:
    return text[:400].replace("\n", " ") + (" … " + text[-200:].replace("\n", " ") if len(text) > 600 else "")


# -- command line ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=2000)
    parser.add_argument("--copies", type=int, default=700)
    parser.add_argument("--partial", type=int, default=200)
    parser.add_argument("--natural", type=int, default=10000)
    parser.add_argument("--sample", type=int, default=10)
    parser.add_argument(
        "--pin", action="store_true", help='write precision/recall under "dedupe" in baselines'
    )
    args = parser.parse_args(argv)
    records = read_records(limit=max(args.natural, 3 * args.synthetic))
    result = scores(records, synthetic=args.synthetic, copies=args.copies, partial=args.partial)
    result["natural"] = natural(records[: args.natural], sample=args.sample)
    print(json.dumps(result, indent=2))
    if args.pin:
        pin_baseline("dedupe", pinned(result))
    return 0


def scores(
    records: list[Record], *, synthetic: int = 2000, copies: int = 700, partial: int = 200
) -> dict[str, Any]:
    """Synthetic-copy and partial-reuse scores over ``records`` (read with ``limit >= 3 * synthetic``)."""
    indexed = originals(records, count=synthetic)
    articles = [to_article(r) for r in indexed]
    hosts = records[records.index(indexed[-1]) + 1 :]
    return {
        "synthetic": score_synthetic(indexed, articles, copies=copies),
        "partial": score_partial(indexed, articles, hosts, cases=partial),
    }


def pinned(result: dict[str, Any]) -> dict[str, Any]:
    """The numbers the gate test holds (tests/eval/test_dedupe_gate.py)."""
    synthetic, partial = result["synthetic"], result["partial"]
    return {
        "precision": synthetic["precision"],
        "recall": synthetic["recall"],
        "passage_recall": partial["passage_recall"],
        "own_origin_rate": partial["own_origin_rate"],
    }


if __name__ == "__main__":
    sys.exit(main())
