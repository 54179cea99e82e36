"""Our ``quotes.v1`` against textacy's ``direct_quotations`` on the same articles, same scorer.

Both systems read the same spaCy parse of each article (seeds and the annotated allsides set).
textacy 0.13 finds direct quotations only and gives no canonical speaker, so its speaker phrase is
named with the same entities-stage lookup ours uses (``resolve_mention`` over its speaker tokens).
Scores are reported over all gold quotes and over direct quotes only (where textacy competes),
then per article: overlap F1 and speaker accuracy of each system and which one wins.

Run: ``python -m eval.quotes_vs_textacy [--split dev|heldout|seed|all]`` (prints JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from eval.quotes import GoldDoc, Span, Tally, load_gold, trimmed
from storyline.model import Article
from storyline.nlp.entities import entities_stage, resolve_mention
from storyline.nlp.pipeline import attach_docs
from storyline.nlp.quotes import quotes_stage

QUOTE_MARKS = "\"“”‘’'"


def run(docs: list[GoldDoc]) -> dict[str, Any]:
    articles = attach_docs([doc.article() for doc in docs])
    for article in articles:
        entities_stage(article)
    ours, ours_seconds = _timed(lambda a: [_ours(q) for q in quotes_stage(a).quotes], articles)
    theirs, theirs_seconds = _timed(_textacy, articles)
    return {
        "seconds": {"ours": round(ours_seconds, 3), "textacy": round(theirs_seconds, 3)},
        "all_quotes": {"ours": _score(docs, ours), "textacy": _score(docs, theirs)},
        "direct_only": {
            "ours": _score(docs, ours, kind="direct"),
            "textacy": _score(docs, theirs, kind="direct"),
        },
        "textacy_refused": sorted(a.id for a in articles if a.metadata.get("textacy_refused")),
        "per_article": [_compare(doc, ours[doc.id], theirs[doc.id]) for doc in docs],
    }


def _timed(predict: Any, articles: list[Article]) -> tuple[dict[str, list[Span]], float]:
    started = time.perf_counter()
    out = {article.id: predict(article) for article in articles}
    return out, time.perf_counter() - started


def _ours(quote: Any) -> Span:
    speaker = (quote.speaker_start, quote.speaker_end) if quote.speaker_start is not None else None
    cue = (quote.cue_start, quote.cue_end) if quote.cue_start is not None else None
    return Span(quote.start, quote.end, quote.kind, quote.speaker, speaker, cue)


def _textacy(article: Article) -> list[Span]:
    from textacy.extract.triples import direct_quotations

    out: list[Span] = []
    try:
        triples = list(direct_quotations(article.doc))
    except ValueError:
        # textacy refuses an article with an odd number of quote marks; it then finds nothing.
        article.metadata["textacy_refused"] = True
        return out
    for triple in triples:
        start, end = _unquoted(article.text, triple.content.start_char, triple.content.end_char)
        speaker = _token_span(triple.speaker)
        name = resolve_mention(article, *speaker) if speaker else None
        out.append(Span(start, end, "direct", name, speaker, _token_span(triple.cue)))
    return out


def _unquoted(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in QUOTE_MARKS:
        start += 1
    while end > start and text[end - 1] in QUOTE_MARKS:
        end -= 1
    return start, end


def _token_span(tokens: list[Any]) -> tuple[int, int] | None:
    if not tokens:
        return None
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _score(
    docs: list[GoldDoc], predictions: dict[str, list[Span]], *, kind: str | None = None
) -> dict[str, Any]:
    tally = Tally()
    for doc in docs:
        gold = [q for q in doc.quotes if kind is None or q.kind == kind]
        pred = [q for q in predictions[doc.id] if kind is None or q.kind == kind]
        tally.add(doc.text, gold, pred)
    scores = tally.scores()
    scores.pop("by_kind")
    return scores


def _compare(doc: GoldDoc, ours: list[Span], theirs: list[Span]) -> dict[str, Any]:
    gold = [q for q in doc.quotes if q.kind == "direct"]
    row: dict[str, Any] = {"id": doc.id, "split": doc.split, "direct_gold": len(gold)}
    for name, pred in (("ours", ours), ("textacy", theirs)):
        tally = Tally()
        tally.add(doc.text, gold, [q for q in pred if q.kind == "direct"])
        scores = tally.scores()
        row[name] = {"f1": scores["overlap_f1"], "speaker_acc": scores["speaker_acc"], "pred": scores["pred"]}
    row["missed_by_textacy"] = _missed(doc, gold, theirs)
    row["winner"] = _winner(row["ours"], row["textacy"])
    return row


def _missed(doc: GoldDoc, gold: list[Span], pred: list[Span]) -> list[str]:
    from eval.quotes import match

    found = {gi for gi, _ in match(doc.text, gold, pred)}
    return [
        doc.text[slice(*trimmed(doc.text, g.start, g.end))][:50] for i, g in enumerate(gold) if i not in found
    ]


def _winner(ours: dict[str, float], theirs: dict[str, float]) -> str:
    key = (ours["f1"], ours["speaker_acc"])
    other = (theirs["f1"], theirs["speaker_acc"])
    return "ours" if key > other else "textacy" if other > key else "tie"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="all", choices=("dev", "heldout", "seed", "all"))
    args = parser.parse_args(argv)
    docs = load_gold(splits=None if args.split == "all" else [args.split])
    json.dump(run(docs), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
