"""Plain-dict state of the syndication index, so a store can persist it (JSON-able: signatures as int lists).

Only the parameters that shape signatures must match on restore (``PARAMS``); thresholds may change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import MinHash

from ..errors import E522, E523, E524, StoryError
from .origins import Entry, Group, ReusedPassage
from .shingles import SCHEME, SEED, Passage, Signer

VERSION = 1
PARAMS = ("shingle_words", "num_perm", "passage_num_perm", "seed", "scheme")


@dataclass(slots=True)
class Restored:
    counter: int
    entries: list[Entry]
    groups: list[Group]
    merged: dict[str, str]


def signature_params(*, shingle_words: int, num_perm: int, passage_num_perm: int) -> dict[str, Any]:
    return {
        "shingle_words": shingle_words,
        "num_perm": num_perm,
        "passage_num_perm": passage_num_perm,
        "seed": SEED,
        "scheme": SCHEME,
    }


def dump(
    *,
    params: dict[str, Any],
    counter: int,
    entries: Iterable[Entry],
    groups: Iterable[Group],
    merged: Mapping[str, str],
) -> dict[str, Any]:
    return {
        "version": VERSION,
        "params": dict(params),
        "counter": counter,
        "articles": [_dump_entry(entry) for entry in entries],
        "groups": [
            {"id": g.id, "order": g.order, "wire": g.wire, "members": list(g.members)} for g in groups
        ],
        "merged": dict(merged),
    }


def _dump_group(group: Group) -> dict[str, Any]:
    return {"id": group.id, "order": group.order, "wire": group.wire, "members": list(group.members)}


def _dump_entry(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "order": entry.order,
        "words": entry.words,
        "signature": _values(entry.signature),
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


def _values(signature: MinHash | None) -> list[int] | None:
    return None if signature is None else signature.hashvalues.tolist()


def _dump_reused(reused: ReusedPassage) -> dict[str, Any]:
    return {name: getattr(reused, name) for name in ReusedPassage.__dataclass_fields__}


def _dump_passage(key: str, passage: Passage) -> dict[str, Any]:
    return {
        "key": key,
        "start": passage.start,
        "end": passage.end,
        "words": passage.words,
        "signature": passage.signature.tolist(),
    }


def load(state: Any, *, params: dict[str, Any], document: Signer, passage: Signer) -> Restored:
    """The records of a dumped index; StoryError (E522-E524) naming what is wrong."""
    state = _mapping(state, "state")
    if state.get("version") != VERSION:
        raise StoryError(E523.format(found=state.get("version"), supported=VERSION))
    found = _mapping(state.get("params"), "params")
    for name in PARAMS:
        if found.get(name) != params[name]:
            raise StoryError(E524.format(name=name, found=found.get(name), expected=params[name]))
    try:
        return Restored(
            counter=int(state["counter"]),
            entries=[_load_entry(record, document, passage) for record in state["articles"]],
            groups=[Group(g["id"], int(g["order"]), g["wire"], list(g["members"])) for g in state["groups"]],
            merged={str(k): str(v) for k, v in _mapping(state["merged"], "merged").items()},
        )
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise StoryError(E522.format(reason=f"{type(error).__name__}: {error}")) from error


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
    )


def _values_of(values: list[int], signer: Signer) -> np.ndarray:
    if len(values) != signer.num_perm:
        raise ValueError(f"signature has {len(values)} values, expected {signer.num_perm}")
    return np.asarray(values, dtype=np.uint32)


def _load_passage(record: Mapping[str, Any], signer: Signer) -> Passage:
    signature = _values_of(record["signature"], signer)
    return Passage(int(record["start"]), int(record["end"]), int(record["words"]), signature)
