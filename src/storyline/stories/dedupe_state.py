"""Plain-dict state of the syndication index, so a store can persist it (JSON-able).

Only the parameters that shape signatures must match on restore (``PARAMS``); thresholds may change.

Version 2 layout (version 1 states still load)::

    {"version": 2, "params": {...}, "counter": 41, "clock": 739000 | null,
     "merged": {old group id: [group it joined, counter at the merge]},
     "articles": [entry, ...], "groups": [group, ...]}

Signatures are base64 of their little-endian uint32 values (version 1: lists of ints, about twice the
size). The same records can be kept *in pieces* (:func:`dump_header`, :func:`item`): a small header
without ``articles``/``groups`` plus one item per article (``article:<id>``) and per origin group
(``group:<id>``), so a store writes only what changed and no single value grows with the window.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import E522, E523, E524, StoryError
from .features import day_ordinal
from .origins import Entry, Group, ReusedPassage
from .shingles import SCHEME, SEED, Passage, Signer

VERSION = 2
READS = (1, 2)
PARAMS = ("shingle_words", "num_perm", "passage_num_perm", "seed", "scheme")
ARTICLE = "article:"
GROUP = "group:"


@dataclass(slots=True)
class Restored:
    counter: int
    clock: int | None
    entries: list[Entry]
    groups: list[Group]
    merged: dict[str, str]
    merged_at: dict[str, int]  # merged-away group id -> counter when it merged


@dataclass(frozen=True, slots=True)
class Changes:
    """The state in pieces: the header, items written since the last save, item keys deleted."""

    header: dict[str, Any]
    items: dict[str, Any]
    removed: list[str]


def signature_params(*, shingle_words: int, num_perm: int, passage_num_perm: int) -> dict[str, Any]:
    return {
        "shingle_words": shingle_words,
        "num_perm": num_perm,
        "passage_num_perm": passage_num_perm,
        "seed": SEED,
        "scheme": SCHEME,
    }


def dump_header(
    *,
    params: dict[str, Any],
    counter: int,
    clock: int | None,
    merged: Mapping[str, str],
    merged_at: Mapping[str, int],
) -> dict[str, Any]:
    """Everything but the articles and groups (which go in ``articles``/``groups`` or in items)."""
    return {
        "version": VERSION,
        "params": dict(params),
        "counter": counter,
        "clock": clock,
        "merged": {old: [new, merged_at[old]] for old, new in merged.items()},
    }


def dump(*, entries: Iterable[Entry], groups: Iterable[Group], **header: Any) -> dict[str, Any]:
    return {
        **dump_header(**header),
        "articles": [dump_entry(entry) for entry in entries],
        "groups": [dump_group(group) for group in groups],
    }


def item(key: str, *, entries: Mapping[str, Entry], groups: Mapping[str, Group]) -> dict[str, Any] | None:
    """The record of item ``key`` (``article:<id>`` or ``group:<id>``), None when it no longer exists."""
    if key.startswith(ARTICLE):
        entry = entries.get(key[len(ARTICLE) :])
        return None if entry is None else dump_entry(entry)
    group = groups.get(key[len(GROUP) :])
    return None if group is None else dump_group(group)


def dump_group(group: Group) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": group.id,
        "order": group.order,
        "wire": group.wire,
        "members": list(group.members),
    }
    if group.origin_article is not None:
        record["origin"] = {
            "article": group.origin_article,
            "source": group.origin_source,
            "published": group.origin_published,
            "order": group.origin_order,
        }
    return record


def dump_entry(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "order": entry.order,
        "day": entry.day,
        "words": entry.words,
        "signature": None if entry.signature is None else _encode(entry.signature.hashvalues),
        "source": entry.source,
        "published": entry.published,
        "url": entry.url,
        "wire": entry.wire,
        "names": sorted(entry.names),
        "place": entry.place,
        "group": entry.group,
        "copy_of": entry.copy_of,
        "jaccard": entry.jaccard,
        "evidence": list(entry.evidence),
        "reused": [_dump_reused(r) for r in entry.reused],
        "passages": [_dump_passage(key, p) for key, p in entry.passages.items()],
    }


def _encode(values: np.ndarray) -> str:
    return base64.b64encode(np.asarray(values, dtype="<u4").tobytes()).decode("ascii")


def _dump_reused(reused: ReusedPassage) -> dict[str, Any]:
    return {name: getattr(reused, name) for name in ReusedPassage.__dataclass_fields__}


def _dump_passage(key: str, passage: Passage) -> dict[str, Any]:
    return {
        "key": key,
        "start": passage.start,
        "end": passage.end,
        "words": passage.words,
        "signature": _encode(passage.signature),
    }


def load(
    state: Any,
    *,
    params: dict[str, Any],
    document: Signer,
    passage: Signer,
    items: Iterable[tuple[str, Any]] | None = None,
) -> Restored:
    """The records of a dumped index (its articles and groups in ``state`` or in ``items``); StoryError
    (E522-E524) naming what is wrong."""
    state = _mapping(state, "state")
    if state.get("version") not in READS:
        raise StoryError(E523.format(found=state.get("version"), supported=" or ".join(map(str, READS))))
    found = _mapping(state.get("params"), "params")
    for name in PARAMS:
        if found.get(name) != params[name]:
            raise StoryError(E524.format(name=name, found=found.get(name), expected=params[name]))
    try:
        articles, groups = _records(state, items)
        entries = sorted((_load_entry(r, document, passage) for r in articles), key=lambda e: e.order)
        counter = int(state["counter"])
        clock = _clock(state, entries)
        _date_undated(entries, clock)
        merged, merged_at = _load_merged(_mapping(state["merged"], "merged"), counter)
        return Restored(counter, clock, entries, [_load_group(g) for g in groups], merged, merged_at)
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise StoryError(E522.format(reason=f"{type(error).__name__}: {error}")) from error


def _records(
    state: Mapping[str, Any], items: Iterable[tuple[str, Any]] | None
) -> tuple[list[Any], list[Any]]:
    if items is None:
        return list(state["articles"]), list(state["groups"])
    articles: list[Any] = []
    groups: list[Any] = []
    for key, record in items:
        (articles if key.startswith(ARTICLE) else groups).append(record)
    return articles, groups


def _clock(state: Mapping[str, Any], entries: list[Entry]) -> int | None:
    if "clock" in state:
        return None if state["clock"] is None else int(state["clock"])
    # Version 1 kept no clock: the newest publication day of its articles.
    return max((e.day for e in entries if e.day is not None), default=None)


def _date_undated(entries: list[Entry], clock: int | None) -> None:
    """Version 1 undated articles count from the clock (as if added now)."""
    for entry in entries:
        if entry.day is None:
            entry.day = clock


def _load_merged(merged: Mapping[str, Any], counter: int) -> tuple[dict[str, str], dict[str, int]]:
    # Version 1: {old: new}, with no counter: stamped past the current one (kept while any article
    # indexed so far stays).
    pairs = [
        (str(old), value if isinstance(value, list) else [value, counter + 1])
        for old, value in merged.items()
    ]
    pairs.sort(key=lambda pair: int(pair[1][1]))
    return {old: str(new) for old, (new, _) in pairs}, {old: int(at) for old, (_, at) in pairs}


def _load_group(record: Mapping[str, Any]) -> Group:
    group = Group(str(record["id"]), int(record["order"]), record["wire"], list(record["members"]))
    origin = record.get("origin")
    if origin is not None:
        group.origin_article = str(origin["article"])
        group.origin_source = origin["source"]
        group.origin_published = origin["published"]
        group.origin_order = int(origin["order"])
    return group


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise StoryError(E522.format(reason=f"{what} is {type(value).__name__}, not a mapping"))
    return value


def _load_entry(record: Mapping[str, Any], document: Signer, passage: Signer) -> Entry:
    return Entry(
        id=str(record["id"]),
        order=int(record["order"]),
        words=int(record["words"]),
        signature=None
        if record["signature"] is None
        else document.minhash(_values_of(record["signature"], document)),
        source=record["source"],
        published=record["published"],
        url=record["url"],
        wire=record["wire"],
        names=frozenset(record["names"]),
        place=record["place"],
        group=str(record["group"]),
        copy_of=record["copy_of"],
        jaccard=record["jaccard"],
        evidence=tuple(record["evidence"]),
        reused=tuple(ReusedPassage(**r) for r in record["reused"]),
        passages={p["key"]: _load_passage(p, passage) for p in record["passages"]},
        day=_day(record),
    )


def _day(record: Mapping[str, Any]) -> int | None:
    if "day" in record:
        return None if record["day"] is None else int(record["day"])
    return day_ordinal(record["published"])  # version 1: the publication day


def _values_of(values: str | list[int], signer: Signer) -> np.ndarray:
    if isinstance(values, str):
        array = np.frombuffer(base64.b64decode(values, validate=True), dtype="<u4").astype(np.uint32)
    else:
        array = np.asarray(values, dtype=np.uint32)
    if len(array) != signer.num_perm:
        raise ValueError(f"signature has {len(array)} values, expected {signer.num_perm}")
    return array


def _load_passage(record: Mapping[str, Any], signer: Signer) -> Passage:
    signature = _values_of(record["signature"], signer)
    return Passage(int(record["start"]), int(record["end"]), int(record["words"]), signature)
