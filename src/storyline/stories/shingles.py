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
    signature: MinHash


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
    """Makes MinHash signatures of shingle hashes; the template's permutations are built once."""

    def __init__(self, *, num_perm: int) -> None:
        self.num_perm = num_perm
        self._template = MinHash(num_perm=num_perm, seed=SEED, hashfunc=_identity, scheme=SCHEME)

    def sign(self, shingles: np.ndarray) -> MinHash:
        signature = self._template.copy()
        signature.update_batch(shingles.tolist())
        return signature

    def restore(self, hashvalues: list[int]) -> MinHash:
        """A signature from stored hash values (``to_state``), sharing this signer's permutations."""
        return MinHash(
            num_perm=self.num_perm,
            seed=SEED,
            hashfunc=_identity,
            hashvalues=np.asarray(hashvalues, dtype=np.uint32),
            permutations=self._template.permutations,
            scheme=SCHEME,
        )


def _identity(value: int) -> int:
    return value


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
        signature = (
            self.document.sign(shingle_hashes(stream, size=self.shingle_words)) if len(stream) else None
        )
        passages = tuple(
            Passage(start, end, len(h), self.passage.sign(shingle_hashes(h, size=self.shingle_words)))
            for (start, end), h in zip(spans, hashes, strict=True)
            if len(h) >= self.min_passage_words
        )
        return Sketch(words=len(stream), signature=signature, passages=passages)
