"""Loader for the NewsReader MEANTIME corpus (English, CAT XML, intra- and cross-document layer).

Each document is rebuilt as plain text from its tokens, keeping the exact character
offsets of every token, so gold markables (TIMEX3, entity mentions) become
``start``/``end`` offsets into ``MeantimeDoc.text`` like our own annotations.

Detokenisation is deliberately simple: tokens are joined by one space, except no
space before closing punctuation and clitics (``, . ; : ! ? ) 's n't``) and none
after opening brackets, currency signs and opening quotes. PTB quotes (`` '')
and plain ``"`` alternate open/close. Sentences are separated by a newline; the first sentences are the
headline and the date line, kept as they are.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROOT = ROOT.parent / "shared" / "data" / "meantime"
CORPUS_DIR = "intra_cross-doc_annotation"

NO_SPACE_BEFORE = frozenset(
    {
        ",",
        ".",
        ";",
        ":",
        "!",
        "?",
        ")",
        "]",
        "}",
        "%",
        "'s",
        "'",
        "n't",
        "'re",
        "'ve",
        "'ll",
        "'d",
        "'m",
        "...",
        "”",
        "’",
    }
)
NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "US$", "CA$", "£", "€", "#", "“", "‘", "`"})
ANNOTATED_SENTENCES = 5  # the temporal layer covers sentence ids 0..5 only (checked on all 120 docs)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
QUOTE_TOKENS = {"``": '"', "''": '"'}  # a plain '"' token is open or close by alternation


@dataclass(slots=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str
    tid: str


@dataclass(slots=True)
class GoldEntity:
    start: int
    end: int
    type: str
    m_id: str
    instance: str | None  # cross-document instance id (or DBpedia ref) when linked


@dataclass(slots=True)
class MeantimeDoc:
    doc_id: str
    name: str
    corpus: str
    text: str
    dct: str
    timexes: list[GoldTimex] = field(default_factory=list)
    entities: list[GoldEntity] = field(default_factory=list)
    instances: dict[str, dict] = field(default_factory=dict)
    # Extra (not in the gold TIMEX list): where the DCT line stands, so scorers can ignore it.
    dct_span: tuple[int, int] | None = None
    # Extra: TIMEX3 and events are annotated only in the headline, date line and first four body
    # sentences (sentence ids 0-5); scorers ignore predictions from this offset on.
    annotated_end: int = 0


def load_meantime(root: Path | None = None) -> list[MeantimeDoc]:
    """Every document of every ``corpus_*`` folder, sorted by corpus then file name."""
    root = Path(root) if root is not None else DEFAULT_ROOT
    corpus_root = root / CORPUS_DIR
    if not corpus_root.is_dir():
        raise FileNotFoundError(f"MEANTIME corpus not found: {corpus_root}")
    instances = _read_instance_list(root / "list_instances.csv")
    docs = []
    for corpus in sorted(corpus_root.glob("corpus_*")):
        for path in sorted(corpus.glob("*.xml")):
            docs.append(parse_document(path, corpus=corpus.name.removeprefix("corpus_"), instances=instances))
    return docs


def parse_document(path: Path, *, corpus: str, instances: dict[str, dict] | None = None) -> MeantimeDoc:
    tree = ET.parse(path).getroot()
    tokens = tree.findall("token")
    text, spans = _detokenise(tokens)
    markables = tree.find("Markables")
    if markables is None:
        raise ValueError(f"{path}: no <Markables> element")
    dct, dct_span, timexes = _timexes(markables, spans)
    if not ISO_DATE.fullmatch(dct):
        # Two documents lack a CREATION_TIME timex and one has "03-02-2009": the date line says which.
        dct, dct_span = _date_line(text, path)
    targets = _refers_to(tree.find("Relations"))
    entity_defs = {m.get("m_id", ""): m for m in markables.findall("ENTITY")}
    entities = _entities(markables, spans, targets, entity_defs)
    linked = {e.instance for e in entities if e.instance}
    return MeantimeDoc(
        doc_id=tree.get("doc_id", path.stem),
        name=tree.get("doc_name", path.stem),
        corpus=corpus,
        text=text,
        dct=dct,
        timexes=timexes,
        entities=entities,
        instances=_doc_instances(entity_defs, linked, instances or {}),
        dct_span=dct_span,
        annotated_end=_annotated_end(tokens, spans),
    )


def _annotated_end(tokens: list[ET.Element], spans: dict[str, tuple[int, int]]) -> int:
    """End offset of the last token of sentences 0-5 (headline, date line, four sentences)."""
    ends = [spans[t.get("t_id", "")][1] for t in tokens if int(t.get("sentence", "0")) <= ANNOTATED_SENTENCES]
    return max(ends, default=0)


def _detokenise(tokens: list[ET.Element]) -> tuple[str, dict[str, tuple[int, int]]]:
    """Join tokens into text; return the text and each token id's (start, end)."""
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    length = 0
    previous: str | None = None
    previous_sentence: str | None = None
    quote_open = False
    for token in tokens:
        raw = token.text or ""
        word = QUOTE_TOKENS.get(raw, raw)
        sentence = token.get("sentence")
        if previous is None:
            sep = ""
        elif sentence != previous_sentence:
            sep = "\n"
        else:
            sep = _separator(previous, word, raw, quote_open)
        if word == '"':
            quote_open = raw == "``" or (raw == '"' and not quote_open)
        parts.append(sep + word)
        length += len(sep)
        spans[token.get("t_id", "")] = (length, length + len(word))
        length += len(word)
        previous, previous_sentence = word, sentence
    return "".join(parts), spans


def _separator(previous: str, word: str, raw: str, quote_open: bool) -> str:
    if word in NO_SPACE_BEFORE or previous in NO_SPACE_AFTER:
        return ""
    if word == '"':  # closing quote hugs the previous word, opening one gets a space
        closing = raw == "''" or (raw == '"' and quote_open)
        return "" if closing else " "
    if previous == '"' and quote_open:
        return ""
    return " "


def _extent(markable: ET.Element, spans: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    """Min/max character extent of a markable's tokens (discontinuous spans are closed)."""
    anchors = [spans[a.get("t_id", "")] for a in markable.findall("token_anchor") if a.get("t_id") in spans]
    if not anchors:
        return None
    return min(s for s, _ in anchors), max(e for _, e in anchors)


def _timexes(
    markables: ET.Element, spans: dict[str, tuple[int, int]]
) -> tuple[str, tuple[int, int] | None, list[GoldTimex]]:
    dct, dct_span = "", None
    timexes = []
    for element in markables.findall("TIMEX3"):
        if element.get("functionInDocument") == "CREATION_TIME":
            dct, dct_span = element.get("value", "")[:10], _extent(element, spans)
            continue
        extent = _extent(element, spans)
        if extent is None:  # empty (non-text-consuming) timexes have no extent to score
            continue
        timexes.append(
            GoldTimex(
                extent[0],
                extent[1],
                element.get("type", ""),
                element.get("value", ""),
                element.get("m_id", ""),
            )
        )
    timexes.sort(key=lambda t: (t.start, t.end))
    return dct, dct_span, timexes


def _date_line(text: str, path: Path) -> tuple[str, tuple[int, int]]:
    """The publication date from the document's second line ("September 01, 2007")."""
    lines = text.split("\n")
    if len(lines) < 2:
        raise ValueError(f"{path}: no CREATION_TIME timex and no date line")
    start = len(lines[0]) + 1
    try:
        day = datetime.strptime(lines[1].strip(), "%B %d, %Y").date()
    except ValueError as exc:
        raise ValueError(f"{path}: no CREATION_TIME timex and date line {lines[1]!r} unreadable") from exc
    return day.isoformat(), (start, start + len(lines[1]))


def _refers_to(relations: ET.Element | None) -> dict[str, str]:
    """Mention m_id → the instance markable m_id it REFERS_TO."""
    targets: dict[str, str] = {}
    if relations is None:
        return targets
    for relation in relations.findall("REFERS_TO"):
        target = relation.find("target")
        if target is None:
            continue
        for source in relation.findall("source"):
            targets[source.get("m_id", "")] = target.get("m_id", "")
    return targets


def _entities(
    markables: ET.Element,
    spans: dict[str, tuple[int, int]],
    targets: dict[str, str],
    entity_defs: dict[str, ET.Element],
) -> list[GoldEntity]:
    entities = []
    for mention in markables.findall("ENTITY_MENTION"):
        extent = _extent(mention, spans)
        if extent is None:
            continue
        m_id = mention.get("m_id", "")
        definition = entity_defs.get(targets.get(m_id, ""))
        kind = definition.get("ent_type", "") if definition is not None else ""
        instance = _instance_key(definition) if definition is not None else None
        entities.append(GoldEntity(extent[0], extent[1], kind or "UNK", m_id, instance))
    entities.sort(key=lambda e: (e.start, e.end))
    return entities


def _instance_key(definition: ET.Element) -> str | None:
    return definition.get("instance_id") or definition.get("external_ref") or None


def _doc_instances(
    entity_defs: dict[str, ET.Element], linked: set[str], listed: dict[str, dict]
) -> dict[str, dict]:
    """The entity instances mentioned in this document, with the instance list's fields when listed."""
    found: dict[str, dict] = {}
    for definition in entity_defs.values():
        key = _instance_key(definition)
        if key is None or key not in linked:
            continue
        info = {
            "type": definition.get("ent_type", ""),
            "name": definition.get("TAG_DESCRIPTOR", ""),
            "external_ref": definition.get("external_ref") or None,
        }
        info.update(listed.get(key, {}))
        found[key] = info
    return found


def _read_instance_list(path: Path) -> dict[str, dict]:
    """list_instances.csv (tab-separated) → instance id → {name, descr, ext_link, class}."""
    if not path.exists():
        return {}
    rows: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            key = row.get("#ID")
            if key and row.get("TYPE") == "ENTITY":
                rows[key] = {
                    "class": row.get("CLASS", ""),
                    "name": row.get("INSTANCE_NAME", ""),
                    "descr": row.get("DESCR", ""),
                    "external_ref": row.get("EXT_LINK") or None,
                }
    return rows
