"""Word normalisation, shingles and passages used by the syndication index."""

from __future__ import annotations

import numpy as np

from storyline.stories.shingles import Sketcher, passage_spans, shingle_hashes, word_hashes, words


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
