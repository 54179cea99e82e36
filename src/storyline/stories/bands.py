"""A small MinHash LSH over numpy signatures, for the many passage signatures of the syndication index.

The banding parameters (``bands`` x ``rows``) are the ones datasketch's ``MinHashLSH`` picks for the same
threshold and permutation count. datasketch's index costs ~150 us per insert here (one ``MinHash``
object and byte-swapped keys per band), too much for ~20 passages an article.

Memory is what bounds the syndication window, so the buckets are compact: one dict for all bands, keyed
by a 64-bit hash of (band, the band's rows), holding the one key of a bucket as a plain string and a list
only when several share it, and no per-key copy of the labels (``remove`` is given the signature again).
A hash collision can only add a candidate, and the caller verifies every candidate's similarity anyway.
"""

from __future__ import annotations

import numpy as np
from datasketch import MinHashLSH

SEED = 0x5EED


class BandIndex:
    def __init__(self, *, threshold: float, num_perm: int) -> None:
        reference = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.bands, self.rows = reference.b, reference.r
        generator = np.random.default_rng(SEED)
        # Odd multipliers, a different set per band: the same rows in two bands give two keys.
        self._multipliers = generator.integers(1, 2**63, size=(self.bands, self.rows), dtype=np.uint64) | 1
        self._buckets: dict[int, str | list[str]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def insert(self, key: str, signature: np.ndarray) -> None:
        for label in self._labels(signature):
            held = self._buckets.get(label)
            if held is None:
                self._buckets[label] = key
            elif isinstance(held, str):
                self._buckets[label] = [held, key]
            else:
                held.append(key)
        self._count += 1

    def query(self, signature: np.ndarray) -> set[str]:
        found: set[str] = set()
        for label in self._labels(signature):
            held = self._buckets.get(label)
            if isinstance(held, str):
                found.add(held)
            elif held is not None:
                found.update(held)
        return found

    def remove(self, key: str, signature: np.ndarray) -> None:
        """Forget ``key``, inserted with this ``signature``."""
        for label in self._labels(signature):
            held = self._buckets.get(label)
            if held == key:
                del self._buckets[label]
            elif isinstance(held, list) and key in held:
                held.remove(key)
                if len(held) == 1:
                    self._buckets[label] = held[0]
        self._count -= 1

    def _labels(self, signature: np.ndarray) -> list[int]:
        rows = np.asarray(signature[: self.bands * self.rows], dtype=np.uint64).reshape(self.bands, self.rows)
        with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
            mixed = (rows * self._multipliers).sum(axis=1, dtype=np.uint64)
            mixed ^= mixed >> np.uint64(31)
            mixed *= np.uint64(0x94D049BB133111EB)
            mixed ^= mixed >> np.uint64(29)
        return mixed.tolist()
