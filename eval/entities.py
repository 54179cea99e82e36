"""Score ``entities.v1`` against MEANTIME (120 English Wikinews articles), bare spaCy alongside.

Both systems run on the same parses in one run, so the effect of the repairs is measured:

- ``bare``: spaCy's ``doc.ents`` (named labels only), canonical name = the surface text.
- ``ours``: the ``entities.v1`` stage; canonical names then resolved across all documents
  through one :class:`~storyline.nlp.aliases.AliasTable` learned from every document.

Label mapping (spaCy → MEANTIME type): PERSON→PER, ORG→ORG, GPE/LOC/FAC/NORP→LOC (MEANTIME
annotates "German", "US" in "US automaker" as LOCATION pre-modifiers), PRODUCT→PRO. EVENT,
WORK_OF_ART, LAW, LANGUAGE have no MEANTIME counterpart and are left out; MEANTIME's FIN
(financial) and MIX are never predicted. Gold mentions with no instance type (UNK) are left out.

MEANTIME marks every mention: names (syntactic type NAM, PRE.NAM), common nouns (NOM), pronouns
(PRO), appositions, conjunctions. Two views are reported:

- ``named``: gold = NAM/PRE.NAM mentions; our role-noun and pronoun mentions are not predictions;
  a prediction that matches only a gold mention of another or unknown syntactic type counts
  neither way (MEANTIME leaves ~30% of syntactic types empty).
- ``all``: gold = every typed mention; predictions = every mapped entity.

Match: ``strict`` = same offsets and type; ``lenient`` = overlapping and same type (one-to-one,
largest overlap first). MEANTIME extents are whole noun phrases ("EADS chief executive Louis
Gallois"), so strict scores are low for any NER.

Canonicalisation: over mentions matched (lenient, ``all``) to a gold mention with a cross-document
instance, B-cubed and pairwise P/R/F1 of the predicted clusters (same canonical name) against the
gold instances, across documents. ``surface_only`` clusters the same mentions by their exact text
and ``without_alias_table`` by the stage's per-article canonical names, to show what each step adds.

Run: ``python -m eval.entities [--pin]`` (prints JSON; ``--pin`` writes the main scores to
eval/baselines.json under "entities").
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.common import pin_baseline
from eval.meantime import CORPUS_DIR, DEFAULT_ROOT, MeantimeDoc, load_meantime
from storyline.model import Article
from storyline.nlp.aliases import AliasTable
from storyline.nlp.canonical import PRONOUN_GENDER, ROLE_NOUN, canonicalise
from storyline.nlp.entities import entities_stage
from storyline.nlp.ner_repair import mentions_from_doc, repair
from storyline.nlp.pipeline import load_model

LABEL_TO_TYPE = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "LOC",
    "PRODUCT": "PRO",
}
NAMED_SYNTAX = frozenset({"NAM", "PRE.NAM"})
TYPES = ("PER", "ORG", "LOC", "PRO", "FIN")


@dataclass(slots=True)
class Span:
    doc: str
    start: int
    end: int
    type: str
    syntax: str = ""
    instance: str | None = None
    cluster: str | None = None  # predicted canonical name
    local: str | None = None  # the stage's own canonical name, before the cross-article alias table
    surface: str = ""
    named: bool = True


# --- gold ------------------------------------------------------------------------------------------


def syntactic_types(doc: MeantimeDoc, root: Path) -> dict[str, str]:
    """m_id → syntactic_type, read from the document's XML (the loader does not keep it)."""
    path = root / CORPUS_DIR / f"corpus_{doc.corpus}" / f"{doc.name}.xml"
    markables = ET.parse(path).getroot().find("Markables")
    if markables is None:
        return {}
    return {m.get("m_id", ""): m.get("syntactic_type") or "" for m in markables.findall("ENTITY_MENTION")}


def gold_spans(doc: MeantimeDoc, root: Path) -> list[Span]:
    syntax = syntactic_types(doc, root)
    return [
        Span(
            doc.doc_id,
            e.start,
            e.end,
            e.type,
            syntax.get(e.m_id, ""),
            e.instance,
            surface=doc.text[e.start : e.end],
        )
        for e in doc.entities
        if e.type != "UNK"
    ]


# --- predictions -----------------------------------------------------------------------------------


def predict_bare(doc_id: str, parsed: Any) -> list[Span]:
    spans = []
    for m in mentions_from_doc(parsed):
        if m.label in LABEL_TO_TYPE:
            surface = parsed.text[m.start : m.end]
            spans.append(
                Span(
                    doc_id,
                    m.start,
                    m.end,
                    LABEL_TO_TYPE[m.label],
                    cluster=surface,
                    surface=surface,
                    local=surface,
                )
            )
    return spans


def predict_ours(articles: list[Article], table: AliasTable) -> list[Span]:
    spans = []
    for article in articles:
        for e in article.entities:
            if e.label in LABEL_TO_TYPE:
                cluster = table.canonical(e.canonical or e.text, e.label)
                span = Span(
                    article.id, e.start, e.end, LABEL_TO_TYPE[e.label], cluster=cluster, surface=e.text
                )
                span.named = not _resolved_non_name(e.text)
                span.local = e.canonical
                spans.append(span)
    return spans


def _resolved_non_name(text: str) -> bool:
    """The stage's added mentions: pronouns and role nouns ("she", "the first lady"), not names."""
    return text.casefold() in PRONOUN_GENDER or ROLE_NOUN.fullmatch(text) is not None


# --- matching and scores ---------------------------------------------------------------------------


def match(pred: list[Span], gold: list[Span], *, lenient: bool) -> list[tuple[Span, Span]]:
    """One-to-one pairs of the same document and type: exact offsets, or largest overlap first."""
    gold_by_doc: dict[tuple[str, str], list[Span]] = defaultdict(list)
    for g in gold:
        gold_by_doc[(g.doc, g.type)].append(g)
    candidates = []
    for p in pred:
        for g in gold_by_doc[(p.doc, p.type)]:
            overlap = min(p.end, g.end) - max(p.start, g.start)
            exact = (p.start, p.end) == (g.start, g.end)
            if exact or (lenient and overlap > 0):
                candidates.append(
                    (exact, overlap, -abs(g.end - g.start - p.end + p.start), id(p), id(g), p, g)
                )
    candidates.sort(key=lambda c: c[:3], reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for *_, pid, gid, p, g in candidates:
        if pid not in used_p and gid not in used_g:
            used_p.add(pid)
            used_g.add(gid)
            pairs.append((p, g))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def score_view(pred: list[Span], gold: list[Span], *, named: bool, lenient: bool) -> dict[str, Any]:
    """P/R/F1 overall and by type for one view (named or all) and one match mode."""
    annotated = gold
    if named:
        pred = [p for p in pred if p.named]
        # A prediction matching only a non-named or untyped-syntax gold mention counts neither way.
        others = [g for g in gold if g.syntax not in NAMED_SYNTAX]
        gold = [g for g in gold if g.syntax in NAMED_SYNTAX]
        matched_named = {id(p) for p, _ in match(pred, gold, lenient=lenient)}
        neutral = {id(p) for p, _ in match(pred, others, lenient=lenient)} - matched_named
        pred = [p for p in pred if id(p) not in neutral]
    pairs = match(pred, gold, lenient=lenient)
    result = {"all": prf(len(pairs), len(pred), len(gold))}
    result["all"]["p_annotated"] = _precision_in_annotated(pred, pairs, annotated)
    for kind in TYPES:
        tp = sum(1 for p, _ in pairs if p.type == kind)
        result[kind] = prf(tp, sum(p.type == kind for p in pred), sum(g.type == kind for g in gold))
        of_kind = [p for p in pred if p.type == kind]
        result[kind]["p_annotated"] = _precision_in_annotated(of_kind, pairs, annotated)
    return result


def _precision_in_annotated(pred: list[Span], pairs: list[tuple[Span, Span]], annotated: list[Span]) -> float:
    """Precision over predictions overlapping some gold mention of any type.

    MEANTIME marks only the entities taking part in the annotated events, so most names outside
    them ("UBS", "Ron Sugar") have no gold mention at all; plain precision counts them as errors.
    """
    by_doc: dict[str, list[Span]] = defaultdict(list)
    for g in annotated:
        by_doc[g.doc].append(g)
    inside = [p for p in pred if any(g.start < p.end and p.start < g.end for g in by_doc[p.doc])]
    matched = {id(p) for p, _ in pairs}
    return round(sum(id(p) in matched for p in inside) / len(inside), 4) if inside else 0.0


def cluster_scores(pairs: Iterable[tuple[Span, Span]], *, key: str) -> dict[str, float]:
    """B-cubed and pairwise P/R/F1 of predicted clusters vs gold instances over matched mentions."""
    items = [(getattr(p, key), g.instance) for p, g in pairs if g.instance]
    pred_sizes = Counter(c for c, _ in items)
    gold_sizes = Counter(i for _, i in items)
    both = Counter(items)
    n = len(items) or 1
    b3_p = sum(both[(c, i)] / pred_sizes[c] for c, i in items) / n
    b3_r = sum(both[(c, i)] / gold_sizes[i] for c, i in items) / n
    same_both = sum(k * (k - 1) / 2 for k in both.values())
    same_pred = sum(k * (k - 1) / 2 for k in pred_sizes.values())
    same_gold = sum(k * (k - 1) / 2 for k in gold_sizes.values())
    pw_p = same_both / same_pred if same_pred else 0.0
    pw_r = same_both / same_gold if same_gold else 0.0
    return {
        "mentions": len(items),
        "b3_p": round(b3_p, 4),
        "b3_r": round(b3_r, 4),
        "b3_f1": round(_f(b3_p, b3_r), 4),
        "pair_p": round(pw_p, 4),
        "pair_r": round(pw_r, 4),
        "pair_f1": round(_f(pw_p, pw_r), 4),
    }


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# --- the run ---------------------------------------------------------------------------------------


def run(root: Path | None = None) -> dict[str, Any]:
    root = Path(root) if root is not None else DEFAULT_ROOT
    docs = load_meantime(root)
    gold = [g for d in docs for g in gold_spans(d, root)]
    nlp = load_model()
    parses = list(nlp.pipe(d.text for d in docs))
    articles = [Article(id=d.doc_id, origin=d.name, text=d.text, published=d.dct) for d in docs]
    started = time.perf_counter()
    for article, parsed in zip(articles, parses, strict=True):
        article.doc = parsed
        entities_stage(article)
    stage_seconds = time.perf_counter() - started
    table = AliasTable()
    for article in articles:
        table.update(article)
    systems = {
        "bare": [s for d, parsed in zip(docs, parses, strict=True) for s in predict_bare(d.doc_id, parsed)],
        "ours": predict_ours(articles, table),
    }
    report: dict[str, Any] = {"documents": len(docs), "gold_mentions": len(gold)}
    for name, pred in systems.items():
        report[name] = system_report(pred, gold)
    report["speed"] = stage_speed(parses, stage_seconds)
    return report


def system_report(pred: list[Span], gold: list[Span]) -> dict[str, Any]:
    views: dict[str, Any] = {}
    for view in ("named", "all"):
        for mode in ("strict", "lenient"):
            views[f"{view}_{mode}"] = score_view(pred, gold, named=view == "named", lenient=mode == "lenient")
    pairs = match(pred, gold, lenient=True)
    views["canonical"] = cluster_scores(pairs, key="cluster")
    views["canonical_surface_only"] = cluster_scores(pairs, key="surface")
    views["canonical_without_alias_table"] = cluster_scores(pairs, key="local")
    views["resolved_non_names"] = resolved_accuracy(pairs)
    return views


def resolved_accuracy(pairs: list[tuple[Span, Span]]) -> dict[str, float]:
    """Pronouns and role nouns the stage resolved: share whose name is the one our named mentions
    of the same gold instance (same document) mostly carry."""
    names: dict[tuple[str, str | None], Counter[str]] = defaultdict(Counter)
    for p, g in pairs:
        if p.named and g.instance and p.cluster:
            names[(p.doc, g.instance)][p.cluster] += 1
    judged = [(p, g) for p, g in pairs if not p.named and g.instance and names.get((p.doc, g.instance))]
    right = sum(names[(p.doc, g.instance)].most_common(1)[0][0] == p.cluster for p, g in judged)
    unmatched = sum(1 for p, g in pairs if not p.named and not g.instance)
    return {
        "judged": len(judged),
        "accuracy": round(right / len(judged), 4) if judged else 0.0,
        "matched_without_instance": unmatched,
    }


def stage_speed(parses: list[Any], full_stage_seconds: float) -> dict[str, float]:
    """Articles per second of repairs + canonicalisation alone (parse excluded), best of 3."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for parsed in parses:
            canonicalise(repair(parsed), parsed)
        best = min(best, time.perf_counter() - started)
    return {
        "articles": len(parses),
        "articles_per_second": round(len(parses) / best, 1),
        "stage_with_conversion_articles_per_second": round(len(parses) / full_stage_seconds, 1),
    }


def pinned(report: dict[str, Any]) -> dict[str, float]:
    """The main scores the gate test holds the stage to."""
    ours = report["ours"]
    return {
        "named_lenient_f1": ours["named_lenient"]["all"]["f1"],
        "named_strict_f1": ours["named_strict"]["all"]["f1"],
        "all_lenient_f1": ours["all_lenient"]["all"]["f1"],
        "named_lenient_f1_per": ours["named_lenient"]["PER"]["f1"],
        "named_lenient_f1_org": ours["named_lenient"]["ORG"]["f1"],
        "named_lenient_f1_loc": ours["named_lenient"]["LOC"]["f1"],
        "named_lenient_f1_pro": ours["named_lenient"]["PRO"]["f1"],
        "canonical_b3_f1": ours["canonical"]["b3_f1"],
        "canonical_pair_f1": ours["canonical"]["pair_f1"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root", type=Path, default=None, help="MEANTIME folder (default ../shared/data/meantime)"
    )
    parser.add_argument("--pin", action="store_true", help="write the main scores to eval/baselines.json")
    args = parser.parse_args(argv)
    report = run(args.root)
    report["pinned"] = pinned(report)
    if args.pin:
        pin_baseline("entities", report["pinned"])
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
