"""A small MinHash LSH over numpy signatures, for the many passage signatures of the syndication index.

The banding parameters (``bands`` x ``rows``) are the ones datasketch's ``MinHashLSH`` picks for the same
threshold and permutation count; the buckets are plain dicts. datasketch's index costs ~150 us per
insert here (one ``MinHash`` object and byte-swapped keys per band), too much for ~20 passages an
article; this one needs no object per passage.
"""

from __future__ import annotations

import numpy as np
from datasketch import MinHashLSH


class BandIndex:
    def __init__(self, *, threshold: float, num_perm: int) -> None:
        reference = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.bands, self.rows = reference.b, reference.r
        self._buckets: list[dict[bytes, set[str]]] = [{} for _ in range(self.bands)]
        self._keys: dict[str, list[bytes]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def insert(self, key: str, signature: np.ndarray) -> None:
        labels = self._labels(signature)
        self._keys[key] = labels
        for bucket, label in zip(self._buckets, labels, strict=True):
            bucket.setdefault(label, set()).add(key)

    def query(self, signature: np.ndarray) -> set[str]:
        found: set[str] = set()
        for bucket, label in zip(self._buckets, self._labels(signature), strict=True):
            found.update(bucket.get(label, ()))
        return found

    def remove(self, key: str) -> None:
        for bucket, label in zip(self._buckets, self._keys.pop(key), strict=True):
            keys = bucket[label]
            keys.discard(key)
            if not keys:
                del bucket[label]

    def _labels(self, signature: np.ndarray) -> list[bytes]:
        """Each band's values as one bytes object (a row of ``rows`` uint32 viewed as raw bytes)."""
        bands = np.ascontiguousarray(signature[: self.bands * self.rows], dtype=np.uint32)
        return bands.view(np.dtype((np.void, 4 * self.rows))).tolist()
