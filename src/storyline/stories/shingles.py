"""Text sketches for copy detection: word shingles, passages and their MinHash signatures.

Texts are compared as sets of word shingles (``k`` consecutive words). Words are NFKC-folded and
lowercased; apostrophes are dropped and every other punctuation mark separates words, so straight
and curly quotes, dashes and re-wrapped lines make no difference.

A sketch holds one signature for the whole article (shingles run across paragraph breaks, so a
re-wrapped copy keeps the same set) and one per *passage*: a paragraph, or a sentence-aligned piece
of a long one. Passages find partial reuse: three wire paragraphs pasted into an outlet's report.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

# Signatures are stored and compared across runs, so everything that shapes them is fixed here.
SEED = 1
SCHEME = "affine32"
_MASK32 = np.uint64(0xFFFFFFFF)
# Odd multiplier of the rolling shingle hash (FNV-1a's 32-bit prime): order-sensitive, cheap in numpy.
_ROLL = np.uint64(0x01000193)

_APOSTROPHES = str.maketrans("", "", "'\u2018\u2019\u02bc\u0060\u00b4")
_WORD = re.compile(r"[^\W_]+")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+")


@dataclass(frozen=True, slots=True)
class Passage:
    """A span of the article text compared on its own; ``words`` counts its normalised words."""

    start: int
    end: int
    words: int
    signature: np.ndarray  # uint32 MinHash values


@dataclass(frozen=True, slots=True)
class Sketch:
    words: int
    signature: MinHash | None  # None when the text has no words at all
    passages: tuple[Passage, ...]


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (lowercase, no punctuation, apostrophes dropped)."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES)
    return _WORD.findall(folded)


def word_hashes(tokens: list[str]) -> np.ndarray:
    # crc32 is stable across processes (unlike hash()), which stored signatures need.
    return np.fromiter((zlib.crc32(t.encode("utf-8")) for t in tokens), dtype=np.uint64, count=len(tokens))


def shingle_hashes(hashes: np.ndarray, *, size: int) -> np.ndarray:
    """32-bit hashes of every run of ``size`` consecutive words; one shingle when the text is shorter."""
    size = min(size, len(hashes))
    if size == 0:
        return np.empty(0, dtype=np.uint64)
    count = len(hashes) - size + 1
    rolled = np.zeros(count, dtype=np.uint64)
    for offset in range(size):
        rolled = (rolled * _ROLL + hashes[offset : offset + count]) & _MASK32
    return rolled


class Signer:
    """MinHash signatures of shingle hashes, computed for many shingle sets at once.

    The permutations are datasketch's (``MinHash(num_perm, seed=SEED, scheme="affine32")``): a hash ``h``
    maps to ``fmix32(h) * a + b mod 2**32``, and a signature is the column-wise minimum. Applying them
    here in one numpy pass per article, instead of one ``MinHash.update_batch`` per paragraph, is what
    keeps per-paragraph signatures cheap; tests check the values equal datasketch's own.
    """

    def __init__(self, *, num_perm: int) -> None:
        self.num_perm = num_perm
        self._template = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
        self._a, self._b = (np.asarray(row, dtype=np.uint32) for row in self._template.permutations)

    def values(self, shingles: np.ndarray) -> np.ndarray:
        """The signature of one shingle set (all ``2**32 - 1`` when it is empty, as datasketch has it)."""
        signature = np.full(self.num_perm, _EMPTY, dtype=np.uint32)
        for block in range(0, len(shingles), _BLOCK):
            permuted = self._permuted(shingles[block : block + _BLOCK])
            signature = np.minimum(signature, permuted.min(axis=0))
        return signature

    def segment_values(self, shingles: np.ndarray, ranges: list[tuple[int, int]]) -> np.ndarray:
        """One signature per ``shingles[start:end]`` of ``ranges`` (ascending, non-overlapping, non-empty)."""
        signatures = np.empty((len(ranges), self.num_perm), dtype=np.uint32)
        for first, last in _blocks(ranges):
            low, high = ranges[first][0], ranges[last - 1][1]
            if high - low > _BLOCK:  # one very long passage (no sentence ends to cut it at)
                signatures[first] = self.values(shingles[low:high])
                continue
            # Appending one row of maxima keeps every bound a valid row index for reduceat.
            permuted = np.vstack([self._permuted(shingles[low:high]), np.full(self.num_perm, _EMPTY)])
            bounds = [bound - low for start, end in ranges[first:last] for bound in (start, end)]
            signatures[first:last] = np.minimum.reduceat(permuted, bounds, axis=0)[::2]
        return signatures

    def _permuted(self, shingles: np.ndarray) -> np.ndarray:
        mixed = _fmix32(shingles.astype(np.uint32))
        return mixed[:, np.newaxis] * self._a + self._b  # wraps modulo 2**32, like datasketch

    def minhash(self, values: np.ndarray | list[int]) -> MinHash:
        """A datasketch MinHash holding ``values`` (for MinHashLSH), sharing this signer's permutations."""
        return MinHash(
            num_perm=self.num_perm,
            seed=SEED,
            hashvalues=np.asarray(values, dtype=np.uint32),
            permutations=self._template.permutations,
            scheme=SCHEME,
        )


_EMPTY = np.uint32(0xFFFFFFFF)
# Shingles permuted per numpy pass for a whole-article signature: bounds memory on very long texts.
_BLOCK = 4096


def _blocks(ranges: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Consecutive runs ``ranges[first:last]`` spanning at most _BLOCK shingles (or one longer range)."""
    first = 0
    for number in range(1, len(ranges) + 1):
        if number == len(ranges) or ranges[number][1] - ranges[first][0] > _BLOCK:
            yield first, number
            first = number


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, the pre-mix of datasketch's affine32 scheme."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def agreement(first: np.ndarray, second: np.ndarray) -> float:
    """The estimated Jaccard of two signatures: the share of positions where they agree."""
    return float(np.count_nonzero(first == second)) / len(first)


def passage_spans(text: str, *, max_words: int) -> Iterator[tuple[int, int]]:
    """Paragraph spans (blank-line separated; one per line when the text has no blank lines),
    with paragraphs over ``max_words`` words cut at sentence ends into pieces of about half that."""
    for start, end in _paragraph_spans(text):
        if len(text[start:end].split()) > max_words:
            yield from _sentence_pieces(text, start, end, target=max(1, max_words // 2))
        else:
            yield start, end


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile(r"\n")
    start = 0
    for match in separator.finditer(text):
        yield from _stripped(text, start, match.start())
        start = match.end()
    yield from _stripped(text, start, len(text))


def _stripped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    chunk = text[start:end]
    if chunk.strip():
        left = len(chunk) - len(chunk.lstrip())
        yield start + left, start + len(chunk.rstrip())


def _sentence_pieces(text: str, start: int, end: int, *, target: int) -> Iterator[tuple[int, int]]:
    piece_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if len(text[piece_start : match.start()].split()) >= target:
            yield piece_start, match.start()
            piece_start = match.end()
    yield from _stripped(text, piece_start, end)


class Sketcher:
    """Sketches article texts with the shingle and passage parameters of one index."""

    def __init__(
        self,
        *,
        shingle_words: int,
        num_perm: int,
        passage_num_perm: int,
        min_passage_words: int,
        max_passage_words: int,
    ) -> None:
        self.shingle_words = shingle_words
        self.min_passage_words = min_passage_words
        self.max_passage_words = max_passage_words
        self.document = Signer(num_perm=num_perm)
        self.passage = Signer(num_perm=passage_num_perm)

    def sketch(self, text: str) -> Sketch:
        spans = list(passage_spans(text, max_words=self.max_passage_words))
        hashes = [word_hashes(words(text[start:end])) for start, end in spans]
        stream = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint64)
        if not len(stream):
            return Sketch(words=0, signature=None, passages=())
        shingles = shingle_hashes(stream, size=self.shingle_words)
        signature = self.document.minhash(self.document.values(shingles))
        return Sketch(len(stream), signature, self._passages(spans, [len(h) for h in hashes], shingles))

    def _passages(
        self, spans: list[tuple[int, int]], lengths: list[int], shingles: np.ndarray
    ) -> tuple[Passage, ...]:
        """Passage signatures from the article's shingles that lie wholly inside each passage."""
        size, minimum = self.shingle_words, max(self.min_passage_words, self.shingle_words)
        first_words = np.cumsum([0, *lengths[:-1]]).tolist()
        kept = [(span, n, w) for span, n, w in zip(spans, lengths, first_words, strict=True) if n >= minimum]
        ranges = [(w, w + n - size + 1) for _, n, w in kept]
        signatures = self.passage.segment_values(shingles, ranges)
        return tuple(Passage(s, e, n, sig) for ((s, e), n, _), sig in zip(kept, signatures, strict=True))
