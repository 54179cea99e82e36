"""Word normalisation, shingles and passages used by the syndication index."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from storyline.stories.bands import BandIndex
from storyline.stories.shingles import (
    SCHEME,
    SEED,
    Signer,
    Sketcher,
    passage_spans,
    shingle_hashes,
    word_hashes,
    words,
)


def sketcher() -> Sketcher:
    return Sketcher(
        shingle_words=5, num_perm=128, passage_num_perm=64, min_passage_words=3, max_passage_words=120
    )


def test_words_ignore_case_punctuation_and_quote_style() -> None:
    assert words("“I’m working on it,” Putin's team SAID—today.") == words(
        '"Im working on it" putin’s team said today'
    )
    assert words("U.S.-led talks") == ["u", "s", "led", "talks"]


def test_shingles_are_order_sensitive_and_stable() -> None:
    forward = shingle_hashes(word_hashes(["a", "b", "c"]), size=3)
    backward = shingle_hashes(word_hashes(["c", "b", "a"]), size=3)
    assert forward.tolist() != backward.tolist()
    assert forward.tolist() == shingle_hashes(word_hashes(["a", "b", "c"]), size=3).tolist()
    assert len(shingle_hashes(word_hashes(["a", "b"]), size=5)) == 1
    assert shingle_hashes(np.empty(0, dtype=np.uint64), size=5).size == 0


def test_paragraphs_are_passages_and_long_ones_are_cut_at_sentence_ends() -> None:
    text = "First para one.\n\n  Second para.  \n\nThird."
    assert [text[s:e] for s, e in passage_spans(text, max_words=50)] == [
        "First para one.",
        "Second para.",
        "Third.",
    ]
    long = " ".join(f"Sentence number {n} is here." for n in range(10))
    pieces = [long[s:e] for s, e in passage_spans(long, max_words=20)]
    assert len(pieces) == 5 and all(piece.endswith("here.") for piece in pieces)


def test_single_line_breaks_are_paragraphs_only_without_blank_lines() -> None:
    assert len(list(passage_spans("one\ntwo\nthree", max_words=50))) == 3
    assert len(list(passage_spans("one\nwrapped line\n\ntwo", max_words=50))) == 2


def test_rewrapped_text_has_the_same_document_signature() -> None:
    text = (
        "The union said more than 14,000 members had joined the strike.\n\nPort operators called it unlawful."
    )
    rewrapped = text.replace("members had", "members\nhad").replace("\n\n", "\n\n\n")
    first, second = sketcher().sketch(text), sketcher().sketch(rewrapped)
    assert first.signature is not None and second.signature is not None
    assert first.signature.jaccard(second.signature) == 1.0
    assert [p.words for p in first.passages] == [p.words for p in second.passages]


def test_signatures_equal_datasketch_minhash_of_the_same_shingles() -> None:
    shingles = shingle_hashes(
        word_hashes(words("the union said more than fourteen thousand members joined")), size=3
    )
    signer = Signer(num_perm=64)
    reference = MinHash(num_perm=64, seed=SEED, scheme=SCHEME, hashfunc=int)
    reference.update_batch(shingles.tolist())
    assert signer.values(shingles).tolist() == reference.hashvalues.tolist()
    doubled = np.concatenate([shingles, shingles])
    parts = signer.segment_values(doubled, [(0, len(shingles)), (len(shingles) + 2, len(doubled))])
    assert parts[0].tolist() == reference.hashvalues.tolist()
    assert parts[1].tolist() == signer.values(shingles[2:]).tolist()
    assert signer.values(np.empty(0, dtype=np.uint64)).tolist() == MinHash(num_perm=64).hashvalues.tolist()


def test_band_index_finds_similar_signatures_and_forgets_removed_ones() -> None:
    signer, bands = Signer(num_perm=64), BandIndex(threshold=0.5, num_perm=64)
    text = "dock workers at the three largest ports walked off the job on monday after talks collapsed"
    same = signer.values(shingle_hashes(word_hashes(words(text)), size=3))
    other = signer.values(
        shingle_hashes(word_hashes(words("heavy rain swept the northern valleys again")), size=3)
    )
    bands.insert("a", same)
    assert bands.query(same) == {"a"} and bands.query(other) == set()
    bands.remove("a", same)
    assert bands.query(same) == set() and len(bands) == 0


def test_band_index_keys_sharing_buckets_leave_one_at_a_time() -> None:
    signer, bands = Signer(num_perm=64), BandIndex(threshold=0.5, num_perm=64)
    signature = signer.values(
        shingle_hashes(word_hashes(words("the port strike entered its third week")), size=3)
    )
    for key in ("a", "b", "c"):
        bands.insert(key, signature)
    assert bands.query(signature) == {"a", "b", "c"} and len(bands) == 3
    bands.remove("b", signature)
    assert bands.query(signature) == {"a", "c"}
    bands.remove("a", signature)
    bands.remove("c", signature)
    assert bands.query(signature) == set() and not bands._buckets


def test_long_texts_are_signed_in_blocks_with_the_same_result() -> None:
    signer = Signer(num_perm=16)
    shingles = np.arange(10_000, dtype=np.uint64) * np.uint64(2654435761) % np.uint64(2**32)
    whole = np.minimum.reduce(signer._permuted(shingles), axis=0)
    assert signer.values(shingles).tolist() == whole.tolist()
    ranges = [(0, 5000), (5000, 5003), (6000, 10_000)]
    parts = signer.segment_values(shingles, ranges)
    assert [p.tolist() for p in parts] == [signer.values(shingles[a:b]).tolist() for a, b in ranges]
