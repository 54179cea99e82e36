"""Text embeddings for story clustering, behind one small Protocol so the model can be swapped.

* ``hashing`` (default): signed feature hashing of lower-cased words, 1 + log tf, 1024-d. No model.
  On ECB+ dev topics (two confusable events per topic) it separates same-story from same-topic
  articles as well as or better than the embedding models tried (pairwise F1 of the clusterer, each tuned
  on dev: hashing 0.873, hybrid 0.873, all-MiniLM-L6-v2 0.836, wordllama 0.817): events differ by names
  and specifics, which averaged static or sentence embeddings blur into "topic".
* ``wordllama``: wordllama 0.4 static token embeddings (256-d, weights shipped in the wheel, loaded
  offline). Optional extra: ``pip install 'storyline[embeddings]'``.
* ``hybrid``: both side by side (70% hashing, 30% wordllama in the cosine).

All return L2-normalised float32 rows, so a dot product is the cosine.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import E500, E501, OptionError

logger = logging.getLogger(__name__)

# Nothing here may reach a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
EMBEDDERS = ("hashing", "wordllama", "hybrid")
# Articles are long; the head carries the event (headline, lead). wordllama truncates anyway.
MAX_CHARS = 3000


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


class HashingEmbedder:
    """Signed feature hashing of lower-cased words (tf = 1 + log count); no model, no vocabulary."""

    name = "hashing"

    def __init__(self, *, dim: int = 1024) -> None:
        self.dim = dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word, count in Counter(w.lower() for w in WORD.findall(text[:MAX_CHARS])).items():
                bucket, sign = _hash(word, self.dim)
                rows[row, bucket] += sign * (1.0 + math.log(count))
        return normalise_rows(rows)


@functools.lru_cache(maxsize=4096)
def _hash(word: str, dim: int) -> tuple[int, float]:
    value = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
    return value % dim, 1.0 if (value >> 63) else -1.0


class WordLlamaEmbedder:
    """wordllama 0.4 with its packaged weights (loaded from the wheel; downloads disabled)."""

    name = "wordllama"

    def __init__(self) -> None:
        self._model = _load_wordllama()
        self.dim = int(self._model.embedding.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.embed([t[:MAX_CHARS] for t in texts], norm=False)
        return normalise_rows(np.asarray(vectors, dtype=np.float32))


@functools.lru_cache(maxsize=1)
def _load_wordllama() -> Any:
    try:
        import wordllama
    except ImportError as exc:
        raise OptionError(E500.format(name="wordllama", reason=exc)) from exc
    # Packaging bug in 0.4.0.post1: the weights ship in the package folder but the default cache
    # path points elsewhere and would try a download.
    return wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


class HybridEmbedder:
    """Hashed words beside wordllama: cosine = share · hashing cosine + (1 − share) · wordllama cosine."""

    name = "hybrid"

    def __init__(self, *, share: float = 0.7) -> None:
        self._parts: tuple[Embedder, ...] = (HashingEmbedder(), _shared_wordllama())
        self._scales = (math.sqrt(share), math.sqrt(1.0 - share))
        self.dim = sum(part.dim for part in self._parts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        blocks = [part.embed(texts) * scale for part, scale in zip(self._parts, self._scales, strict=True)]
        return np.hstack(blocks).astype(np.float32)


def normalise_rows(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (rows / norms).astype(np.float32)


def get_embedder(name: str) -> Embedder:
    """The embedder registered under ``name`` (settings.story_embedder)."""
    if name == "wordllama":
        return _shared_wordllama()
    if name == "hashing":
        return HashingEmbedder()
    if name == "hybrid":
        return HybridEmbedder()
    raise OptionError(E501.format(name=name, choices=", ".join(EMBEDDERS)))


@functools.lru_cache(maxsize=1)
def _shared_wordllama() -> WordLlamaEmbedder:
    return WordLlamaEmbedder()
