"""Syndication and near-duplicates: which articles are copies of one origin.

A Reuters story republished by 40 sites is one source, not 40. :class:`SyndicationIndex` takes
articles one at a time (like the story clusterer) and puts each into an *origin group*:

- two articles are copies of one origin when their word-shingle sets are near-identical (estimated
  Jaccard >= ``settings.dedupe_threshold``), or when one is mostly made of the other's passages
  (``dedupe_copy_coverage``, either way round: trimmed copies), or when both carry the same wire credit,
  share a dateline place or a byline, and enough passages are copied (``dedupe_wire_coverage``);
  a shared wire credit alone never joins two articles (two different Reuters stories are two origins);
- the origin of a group is its wire when a member credits one, else its earliest-published article;
- partial reuse (an outlet pasting three wire paragraphs into its own report) is reported per passage
  and leaves the article its own origin.

Lookups go through MinHash LSH buckets, never all pairs: datasketch's ``MinHashLSH`` for whole
articles, a compact :class:`~.bands.BandIndex` with the same banding for the many passages. Each
distinct passage is indexed once, at its first occurrence, so later reuse points at the earliest article
holding it and the passage index does not grow with copies. The whole index round-trips through plain
dicts (``to_state``), or in pieces that change one article at a time (``state_changes``).

Time window. The clock is the latest publication day seen (as in :mod:`.cluster`); an undated article
counts from the clock when it is added (from the first date seen when there was none yet). ``evict``
drops the articles that count from more than ``settings.dedupe_window_days`` before the clock, and the
earliest-indexed ones beyond ``settings.window_max_articles`` (a hard bound, whatever the dates): their
signatures and passages leave the LSH indexes, so memory and state stay the size of the window, and a
later article no longer joins them. Eviction changes nothing the index says about the articles still
in it: a group pins its earliest evicted member, so it keeps naming the same origin, and a merged-away
group id resolves while any article indexed before the merge remains. ``evict`` returns the evicted
articles' final :class:`~.origins.OriginInfo` for the caller to keep. Eviction is the caller's call
(the story builder makes it before each article, like the clusterer's window); an index that is never
told to evict keeps everything, which is what a measurement over a corpus in no time order wants.
"""

from __future__ import annotations

import heapq
import logging
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from datasketch import MinHash, MinHashLSH

from ..errors import E520, E521, E522, StoryError
from ..model import Article
from ..settings import DEFAULT, Settings
from . import dedupe_state
from .bands import BandIndex
from .dedupe_state import ARTICLE, GROUP
from .features import day_ordinal
from .origins import Entry, Group, Origin, OriginInfo, Republisher, ReusedPassage, publication_order
from .shingles import Passage, Sketch, Sketcher, agreement

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

# LSH buckets are queried a little below each verification threshold so that pairs just above it are not
# lost to banding; every candidate is then checked against the threshold itself.
LSH_MARGIN = 0.1
# At most this many candidates are verified per lookup (earliest-indexed first): with hundreds of copies
# of one story, any few of them find its group, and adding stays linear in the number of copies.
MAX_CANDIDATES = 100


@dataclass(slots=True)
class _Match:
    """One passage of the new article and the best earlier passage it reuses."""

    passage: Passage
    source: Entry
    source_passage: Passage
    similarity: float


@dataclass(slots=True)
class _Candidate:
    entry: Entry
    jaccard: float
    coverage: float  # the larger of: share of the new article copied from it, share of it copied


# A candidate that qualifies, with the evidence that made it.
_Joined = tuple[_Candidate, tuple[str, ...]]


class SyndicationIndex:
    """Incremental origin groups over the articles added so far."""

    def __init__(self, *, settings: Settings = DEFAULT) -> None:
        self.settings = settings.validate()
        self._sketcher = Sketcher(
            shingle_words=settings.dedupe_shingle_words,
            num_perm=settings.dedupe_num_perm,
            passage_num_perm=settings.dedupe_passage_num_perm,
            min_passage_words=settings.dedupe_min_passage_words,
            max_passage_words=settings.dedupe_max_passage_words,
        )
        self._documents = _lsh(settings.dedupe_threshold, settings.dedupe_num_perm)
        self._passages = BandIndex(
            threshold=_lsh_threshold(settings.dedupe_passage_threshold),
            num_perm=settings.dedupe_passage_num_perm,
        )
        self._entries: dict[str, Entry] = {}
        self._passage_owner: dict[str, str] = {}
        self._groups: dict[str, Group] = {}
        self._merged: dict[str, str] = {}  # group id -> the group it was merged into
        self._counter = 0
        self.clock: int | None = None  # day ordinal of the latest publication seen
        self._merged_at: dict[str, int] = {}  # merged-away group id -> counter at the merge
        self._merge_log: deque[tuple[int, str]] = deque()  # (counter, group id), in merge order
        self._expiry: list[tuple[int, int, str]] = []  # heap of (day, order, article id)
        self._arrivals: deque[tuple[int, str]] = deque()  # (order, article id), lazily invalidated
        self._changed: set[str] = set()  # state items written or deleted since state_changes()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    # -- adding ----------------------------------------------------------------------------------------

    def add(self, article: Article) -> OriginInfo:
        """Index ``article`` and say which origin group it belongs to; a known id is replaced (revision)."""
        if article.id in self._entries:
            self.remove(article.id)
        day = day_ordinal(article.published)
        self._advance(day)
        sketch = self._sketcher.sketch(article.text)
        entry = _new_entry(article, sketch, order=self._next_order())
        entry.day = day if day is not None else self.clock
        matches = self._passage_matches(sketch)
        joined = self._joining(entry, self._candidates(entry, sketch, matches))
        self._place(entry, joined)
        entry.reused = tuple(self._reused(m) for m in matches)
        self._index(entry, sketch, matches)
        self._arrivals.append((entry.order, entry.id))
        self._expire_later(entry)
        self._changed.add(ARTICLE + entry.id)
        logger.debug("article %s: group %s, evidence %s", entry.id, entry.group, entry.evidence)
        return self.info(entry.id)

    def add_all(self, articles: Iterable[Article]) -> list[OriginInfo]:
        return [self.add(article) for article in articles]

    def _next_order(self) -> int:
        self._counter += 1
        return self._counter

    def _passage_matches(self, sketch: Sketch) -> list[_Match]:
        matches = []
        for passage in sketch.passages:
            best = self._best_passage(passage)
            if best is not None:
                matches.append(best)
        return matches

    def _best_passage(self, passage: Passage) -> _Match | None:
        best: _Match | None = None
        for key in self._earliest(list(self._passages.query(passage.signature)), self._passage_owner):
            source = self._entries[self._passage_owner[key]]
            source_passage = source.passages[key]
            similarity = agreement(passage.signature, source_passage.signature)
            if similarity >= self.settings.dedupe_passage_threshold and (
                best is None or similarity > best.similarity
            ):
                best = _Match(passage, source, source_passage, similarity)
        return best

    def _earliest(self, keys: list[str], owner: Mapping[str, str] | None = None) -> list[str]:
        """The earliest-indexed candidates first, at most MAX_CANDIDATES of them."""
        ordered = sorted(keys, key=lambda key: self._entries[owner[key] if owner else key].order)
        return ordered[:MAX_CANDIDATES]

    def _candidates(self, entry: Entry, sketch: Sketch, matches: list[_Match]) -> list[_Candidate]:
        ids = {m.source.id for m in matches}
        if sketch.signature is not None:
            ids.update(self._earliest(self._documents.query(sketch.signature)))
        copied_here = self._copied_words_by_group(matches)
        copied_there = _copied_words_by_source(matches)
        candidates = []
        for other in sorted((self._entries[i] for i in ids), key=lambda e: e.order):
            share_here = copied_here.get(self.group_of(other.id), 0) / max(entry.words, 1)
            share_there = copied_there.get(other.id, 0) / max(other.words, 1)
            jaccard = _jaccard(sketch.signature, other.signature)
            candidates.append(_Candidate(other, jaccard, max(share_here, share_there)))
        return candidates

    def _copied_words_by_group(self, matches: list[_Match]) -> dict[str, int]:
        copied: dict[str, int] = defaultdict(int)
        for match in matches:
            copied[self.group_of(match.source.id)] += match.passage.words
        return copied

    def _joining(
        self, entry: Entry, candidates: list[_Candidate]
    ) -> list[tuple[_Candidate, tuple[str, ...]]]:
        joined = []
        for candidate in candidates:
            evidence = self._evidence(entry, candidate)
            if evidence:
                joined.append((candidate, evidence))
        return joined

    def _evidence(self, entry: Entry, candidate: _Candidate) -> tuple[str, ...]:
        settings = self.settings
        if candidate.jaccard >= settings.dedupe_threshold:
            return ("near_duplicate",)
        if candidate.coverage >= settings.dedupe_copy_coverage:
            return ("copied_passages",)
        if candidate.coverage < settings.dedupe_wire_coverage or not self._same_wire(entry, candidate.entry):
            return ()
        shared = _shared_credits(entry, candidate.entry)
        return ("wire_credit", *shared, "copied_passages") if shared else ()

    def _same_wire(self, entry: Entry, other: Entry) -> bool:
        wire = other.wire or self._group(self.group_of(other.id)).wire
        return entry.wire is not None and wire is not None and entry.wire.casefold() == wire.casefold()

    def _place(self, entry: Entry, joined: list[_Joined]) -> None:
        if joined:
            best, evidence = max(joined, key=lambda pair: (pair[0].jaccard, pair[0].coverage))
            entry.copy_of, entry.jaccard, entry.evidence = best.entry.id, round(best.jaccard, 4), evidence
            group = self._merge([self.group_of(candidate.entry.id) for candidate, _ in joined])
        else:
            group = self._new_group(entry)
        group.members.append(entry.id)
        group.wire = group.wire or entry.wire
        entry.group = group.id
        self._entries[entry.id] = entry
        self._changed.add(GROUP + group.id)

    def _new_group(self, entry: Entry) -> Group:
        group_id = f"g-{entry.id}"
        if group_id in self._groups or group_id in self._merged:
            group_id = f"g-{entry.id}-{entry.order}"
        group = Group(group_id, entry.order, entry.wire, [])
        self._groups[group_id] = group
        return group

    def _merge(self, group_ids: list[str]) -> Group:
        """One group out of several that the new article bridges; the oldest keeps its id."""
        groups = sorted({gid: self._groups[gid] for gid in group_ids}.values(), key=lambda g: g.order)
        target = groups[0]
        for other in groups[1:]:
            logger.debug("merging origin group %s into %s", other.id, target.id)
            target.members.extend(other.members)
            target.wire = target.wire or other.wire
            target.pin_from(other)
            self._merged[other.id] = target.id
            # Articles indexed before now may still name the old id; later ones get the resolved one.
            self._merged_at[other.id] = self._counter
            self._merge_log.append((self._counter, other.id))
            del self._groups[other.id]
            self._changed.add(GROUP + other.id)
        return target

    def _reused(self, match: _Match) -> ReusedPassage:
        return ReusedPassage(
            start=match.passage.start,
            end=match.passage.end,
            source_article=match.source.id,
            source_start=match.source_passage.start,
            source_end=match.source_passage.end,
            source_group=self.group_of(match.source.id),
            similarity=round(match.similarity, 4),
        )

    def _index(self, entry: Entry, sketch: Sketch, matches: list[_Match]) -> None:
        if sketch.signature is not None:
            self._documents.insert(entry.id, sketch.signature)
        reused = {m.passage.start for m in matches}
        for number, passage in enumerate(sketch.passages):
            if passage.start not in reused:
                self._index_passage(entry, f"{entry.id}#{number}", passage)

    def _index_passage(self, entry: Entry, key: str, passage: Passage) -> None:
        self._passages.insert(key, passage.signature)
        entry.passages[key] = passage
        self._passage_owner[key] = entry.id

    # -- removing --------------------------------------------------------------------------------------

    def remove(self, article_id: str) -> None:
        """Forget an article (its passages are no longer offered as sources of later reuse)."""
        entry = self._entry(article_id)
        if entry.signature is not None:
            self._documents.remove(entry.id)
        for key, passage in entry.passages.items():
            self._passages.remove(key, passage.signature)
            del self._passage_owner[key]
        group = self._group(self.group_of(article_id))
        group.members.remove(article_id)
        if not group.members:
            del self._groups[group.id]
        del self._entries[article_id]
        self._changed.update((ARTICLE + article_id, GROUP + group.id))

    # -- time window -----------------------------------------------------------------------------------

    def evict(self, published: str | None = None) -> list[OriginInfo]:
        """Move the clock on to ``published`` (when later) and drop the articles that count from more than
        ``dedupe_window_days`` before it, then the earliest-indexed ones while the index holds
        ``window_max_articles`` or more (room for the next); returns their final origin info (as
        :meth:`info` gave it)."""
        self._advance(day_ordinal(published))
        leaving = self._expired()
        excess = len(self._entries) - len(leaving) - self.settings.window_max_articles + 1
        for order, article_id in self._arrivals:
            if excess <= 0:
                break
            entry = self._entries.get(article_id)
            if entry is not None and entry.order == order and article_id not in leaving:
                leaving[article_id] = entry
                excess -= 1
        infos = [self.info(article_id) for article_id in leaving]
        for entry in leaving.values():
            self._group(self.group_of(entry.id)).pin(entry)
            self.remove(entry.id)
        if leaving:
            self._forget_merges()
            logger.debug("evicted %d articles", len(leaving))
        return infos

    def _expired(self) -> dict[str, Entry]:
        if self.clock is None:
            return {}  # no dated article yet: nothing to count from
        horizon = self.clock - self.settings.dedupe_window_days
        leaving: dict[str, Entry] = {}
        while self._expiry and self._expiry[0][0] < horizon:
            _, order, article_id = heapq.heappop(self._expiry)
            entry = self._entries.get(article_id)
            if entry is not None and entry.order == order:  # else removed or re-added since: stale
                leaving[article_id] = entry
        return leaving

    def _advance(self, day: int | None) -> None:
        if day is None or (self.clock is not None and day <= self.clock):
            return
        first = self.clock is None
        self.clock = day
        if first:  # articles added before any date count from the first one (once)
            for entry in self._entries.values():
                if entry.day is None:
                    entry.day = day
                    self._expire_later(entry)
                    self._changed.add(ARTICLE + entry.id)

    def _expire_later(self, entry: Entry) -> None:
        if entry.day is not None:
            heapq.heappush(self._expiry, (entry.day, entry.order, entry.id))

    def _forget_merges(self) -> None:
        """Drop merged-away ids no article in the index can name any more (all indexed after the merge)."""
        oldest = self._oldest_order()
        while self._merge_log and self._merge_log[0][0] <= oldest:
            at, group_id = self._merge_log.popleft()
            if self._merged_at.get(group_id) == at:
                del self._merged[group_id], self._merged_at[group_id]

    def _oldest_order(self) -> int:
        while self._arrivals:
            order, article_id = self._arrivals[0]
            entry = self._entries.get(article_id)
            if entry is not None and entry.order == order:
                return order
            self._arrivals.popleft()
        return self._counter + 1

    # -- questions -------------------------------------------------------------------------------------

    def info(self, article_id: str) -> OriginInfo:
        """The article's origin as the index sees it now (groups may have merged since it was added)."""
        entry = self._entry(article_id)
        origin = self.origin(entry.group)
        return OriginInfo(
            article=entry.id,
            group=origin.id,
            origin=origin.label,
            origin_article=origin.article,
            wire=origin.wire,
            copy_of=entry.copy_of,
            jaccard=entry.jaccard,
            evidence=entry.evidence,
            passages=tuple(self._current(p) for p in entry.reused),
        )

    def _current(self, passage: ReusedPassage) -> ReusedPassage:
        group = self._resolve(passage.source_group)
        if group == passage.source_group:
            return passage
        return ReusedPassage(**{**_fields(passage), "source_group": group})

    def group_of(self, article_id: str) -> str:
        return self._resolve(self._entry(article_id).group)

    def origin(self, group_id: str) -> Origin:
        """The origin group ``group_id`` (an id that was merged away resolves to the group it joined).

        ``members`` are the group's articles still in the index; ``article`` may have left it (pinned).
        """
        group = self._group(self._resolve(group_id))
        members = sorted((self._entries[m] for m in group.members), key=publication_order)
        first_id, first_source = members[0].id, members[0].source
        if group.origin_article is not None and group.pinned_order() < publication_order(members[0]):
            first_id, first_source = group.origin_article, group.origin_source
        label = group.wire or first_source or first_id
        return Origin(group.id, label, group.wire, first_id, tuple(m.id for m in members))

    def republishers(self, group_id: str) -> list[Republisher]:
        """Who republished the origin: every member of a wire group, else all but the origin article."""
        origin = self.origin(group_id)
        members = [m for m in origin.members if origin.wire or m != origin.article]
        return [_republisher(self._entries[m]) for m in members]

    def independent_sources(self, article_ids: Iterable[str]) -> int:
        """How many origins the articles come from: copies of one origin count once."""
        return len({self.group_of(article_id) for article_id in article_ids})

    def groups(self) -> list[Origin]:
        return [
            self.origin(group_id) for group_id in sorted(self._groups, key=lambda g: self._groups[g].order)
        ]

    def _entry(self, article_id: str) -> Entry:
        try:
            return self._entries[article_id]
        except KeyError:
            raise StoryError(E520.format(id=article_id)) from None

    def _group(self, group_id: str) -> Group:
        try:
            return self._groups[group_id]
        except KeyError:
            raise StoryError(E521.format(id=group_id)) from None

    def _resolve(self, group_id: str) -> str:
        while group_id in self._merged:
            group_id = self._merged[group_id]
        return group_id

    # -- state -----------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Everything the index knows as one plain JSON-able dict (see :mod:`.dedupe_state`)."""
        return dedupe_state.dump(
            entries=self._entries.values(), groups=self._groups.values(), **self._header()
        )

    def state_changes(self) -> dedupe_state.Changes:
        """The state in pieces: a small header, and the items (one per article and per origin group)
        written or deleted since the last call, for :meth:`from_state` with ``items``."""
        items: dict[str, Any] = {}
        removed: list[str] = []
        for key in sorted(self._changed):
            record = dedupe_state.item(key, entries=self._entries, groups=self._groups)
            if record is None:
                removed.append(key)
            else:
                items[key] = record
        self._changed.clear()
        return dedupe_state.Changes(dedupe_state.dump_header(**self._header()), items, removed)

    def _header(self) -> dict[str, Any]:
        return {
            "params": self._params(),
            "counter": self._counter,
            "clock": self.clock,
            "merged": self._merged,
            "merged_at": self._merged_at,
        }

    @classmethod
    def from_state(
        cls,
        state: dict[str, Any],
        *,
        items: Iterable[tuple[str, Any]] | None = None,
        settings: Settings = DEFAULT,
    ) -> SyndicationIndex:
        """An index restored from :meth:`to_state`, or from a header and its items (:meth:`state_changes`);
        StoryError (E522-E524) when the state is malformed or its signatures were made with other
        parameters than ``settings`` gives. Restored from one dict, every item counts as changed."""
        index = cls(settings=settings)
        sketcher = index._sketcher
        restored = dedupe_state.load(
            state, params=index._params(), document=sketcher.document, passage=sketcher.passage, items=items
        )
        index._install(restored)
        if items is None:
            index._changed.update(ARTICLE + e for e in index._entries)
            index._changed.update(GROUP + g for g in index._groups)
        return index

    def _params(self) -> dict[str, Any]:
        return dedupe_state.signature_params(
            shingle_words=self.settings.dedupe_shingle_words,
            num_perm=self.settings.dedupe_num_perm,
            passage_num_perm=self.settings.dedupe_passage_num_perm,
        )

    def _install(self, restored: dedupe_state.Restored) -> None:
        self._counter = restored.counter
        self.clock = restored.clock
        self._groups = {group.id: group for group in sorted(restored.groups, key=lambda g: g.order)}
        self._merged = restored.merged
        self._merged_at = restored.merged_at
        self._merge_log = deque((at, group_id) for group_id, at in restored.merged_at.items())
        for entry in restored.entries:  # in indexing order
            self._entries[entry.id] = entry
            if entry.signature is not None:
                self._documents.insert(entry.id, entry.signature)
            for key, passage in entry.passages.items():
                self._index_passage(entry, key, passage)
            self._arrivals.append((entry.order, entry.id))
        self._expiry = [(e.day, e.order, e.id) for e in restored.entries if e.day is not None]
        heapq.heapify(self._expiry)
        self._check_groups()

    def _check_groups(self) -> None:
        members = {member for group in self._groups.values() for member in group.members}
        if members != set(self._entries):
            raise StoryError(E522.format(reason="group members and articles differ"))
        for entry in self._entries.values():
            if self._resolve(entry.group) not in self._groups:
                raise StoryError(
                    E522.format(reason=f"article {entry.id!r} is in unknown group {entry.group!r}")
                )


def _lsh(threshold: float, num_perm: int) -> MinHashLSH:
    return MinHashLSH(threshold=_lsh_threshold(threshold), num_perm=num_perm)


def _lsh_threshold(threshold: float) -> float:
    return max(0.05, threshold - LSH_MARGIN)


def _new_entry(article: Article, sketch: Sketch, *, order: int) -> Entry:
    names = [*article.byline, *article.credits.get("reporting", [])]
    return Entry(
        id=article.id,
        order=order,
        words=sketch.words,
        signature=sketch.signature,
        source=article.source,
        published=article.published,
        url=article.url,
        wire=(article.wire or "").strip() or None,
        names=frozenset(name.casefold() for name in names if name.strip()),
        place=article.dateline.place.casefold() if article.dateline and article.dateline.place else None,
    )


def _copied_words_by_source(matches: list[_Match]) -> dict[str, int]:
    copied: dict[str, int] = defaultdict(int)
    for match in matches:
        copied[match.source.id] += match.source_passage.words
    return copied


def _jaccard(first: MinHash | None, second: MinHash | None) -> float:
    if first is None or second is None:
        return 0.0
    return float(first.jaccard(second))


def _shared_credits(entry: Entry, other: Entry) -> tuple[str, ...]:
    shared = []
    if entry.place is not None and entry.place == other.place:
        shared.append("dateline")
    if entry.names & other.names:
        shared.append("byline")
    return tuple(shared)


def _republisher(entry: Entry) -> Republisher:
    return Republisher(entry.id, entry.source, entry.published, entry.url)


def _fields(passage: ReusedPassage) -> dict[str, Any]:
    return {name: getattr(passage, name) for name in ReusedPassage.__dataclass_fields__}
