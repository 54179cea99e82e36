"""Candidate retrieval for story clustering: which active stories are worth scoring for an article.

Two inverted indexes over the *active* stories, so an arriving article is compared with a few stories,
never with all of them:

* canonical entity → stories that mention it (postings longer than ``max_posting``, such as
  "united states" in a US politics feed, are skipped as stop-entities: they would retrieve everything);
* random-hyperplane LSH over the story centroids (``bands`` × ``bits`` sign bits; two vectors share a
  band with probability (1 − θ/π)^bits), so stories with similar text and no shared entity are found too
  (over-full buckets are skipped like stop-entities).

Candidates are ranked by how many index hits they collect (rare entities count more) and cut to a limit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

BandKey = tuple[int, int]


class CandidateIndex:
    def __init__(self, *, dim: int, bands: int = 16, bits: int = 8, seed: int = 13, max_posting: int = 500):
        generator = np.random.default_rng(seed)
        self._planes = generator.standard_normal((bands * bits, dim)).astype(np.float32)
        self._weights = (1 << np.arange(bits)).astype(np.int64)
        self.bands, self.bits, self.max_posting = bands, bits, max_posting
        self._by_entity: dict[str, set[str]] = defaultdict(set)
        self._by_band: dict[BandKey, set[str]] = defaultdict(set)
        self._story_entities: dict[str, set[str]] = {}
        self._story_bands: dict[str, list[BandKey]] = {}

    def __len__(self) -> int:
        return len(self._story_bands)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._story_bands

    def band_keys(self, vector: np.ndarray) -> list[BandKey]:
        signs = (self._planes @ vector > 0).reshape(self.bands, self.bits).astype(np.int64)
        return list(enumerate((signs @ self._weights).tolist()))

    def update(self, story_id: str, *, entities: Iterable[str], vector: np.ndarray) -> None:
        """(Re)index a story under its current entities and centroid."""
        known = self._story_entities.setdefault(story_id, set())
        for key in set(entities) - known:
            self._by_entity[key].add(story_id)
            known.add(key)
        for band in self._story_bands.pop(story_id, []):
            self._discard(self._by_band, band, story_id)
        bands = self.band_keys(vector)
        for band in bands:
            self._by_band[band].add(story_id)
        self._story_bands[story_id] = bands

    def remove(self, story_id: str) -> None:
        for key in self._story_entities.pop(story_id, set()):
            self._discard(self._by_entity, key, story_id)
        for band in self._story_bands.pop(story_id, []):
            self._discard(self._by_band, band, story_id)

    def candidates(self, *, entities: Iterable[str], vector: np.ndarray, limit: int) -> list[str]:
        """Up to ``limit`` story ids, most index hits first (ties: story id, for determinism).

        While no more than ``limit`` stories are indexed at all, every one of them is a candidate (a
        bounded amount of work; it keeps recall at the start of a stream, where LSH misses most).
        """
        hits: dict[str, float] = defaultdict(float)
        if len(self._story_bands) <= limit:
            hits.update(dict.fromkeys(self._story_bands, 0.0))
        for key in entities:
            posting = self._by_entity.get(key)
            if posting and len(posting) <= self.max_posting:
                weight = 1.0 / math.log2(2 + len(posting))  # a rare shared entity says more
                for story_id in posting:
                    hits[story_id] += weight
        for band in self.band_keys(vector):
            posting = self._by_band.get(band)
            if posting and len(posting) <= self.max_posting:
                for story_id in posting:
                    hits[story_id] += 0.5
        ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
        return [story_id for story_id, _ in ranked[:limit]]

    @staticmethod
    def _discard(index: dict, key: object, story_id: str) -> None:
        posting = index.get(key)
        if posting is not None:
            posting.discard(story_id)
            if not posting:
                del index[key]
