"""The shared spaCy parse every NLP stage reads from.

The model is loaded once per process. ``attach_docs`` parses a batch with
``nlp.pipe`` (fast path); ``get_doc`` parses one article on demand so each
stage also works alone.

Long texts are parsed in pieces. spaCy refuses texts over ``nlp.max_length``
(1,000,000 characters by default) because the parser and NER need temporary memory
in proportion to the length of what they are given (its error E088); raising the
limit would let a 50 MB input (``settings.max_file_bytes``) exhaust memory. Instead, a text over
``MAX_PIECE_CHARS`` is cut into pieces at paragraph breaks (else after a sentence
end, else at whitespace, else at the limit), each piece is parsed on its own and
the parts are joined with ``Doc.from_docs``: the joined Doc's text is exactly the
article's text, so every character offset is the same as for one parse. A
sentence never spans two pieces; a cut inside a paragraph is rare (a paragraph of
over 100,000 characters) and only loses context across the cut.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..errors import E401, StageError
from ..model import Article
from ..settings import DEFAULT

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Nothing here may reach a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# Longest text parsed in one piece: a tenth of spaCy's max_length, so the parser's temporary memory stays
# small. Typical news articles (2-30k characters) are one piece.
MAX_PIECE_CHARS = 100_000
# Where a long text may be cut, best first: after a blank line or line break, after a sentence end, after
# any whitespace. Searched backwards from the limit; the cut goes after the match.
_CUT_POINTS = (re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)\]]*\s+"), re.compile(r"\s+"))
# The text a Doc was parsed from, kept in its user_data: checking it is O(1) when the
# article still holds the same string, while Doc.text rebuilds the whole text on every access.
_SOURCE_TEXT = "storyline.source_text"


@functools.lru_cache(maxsize=4)
def load_model(names: Sequence[str] = DEFAULT.spacy_models) -> Language:
    import spacy

    for name in names:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise StageError(E401)


def get_doc(article: Article) -> Doc:
    """The article's parse, computed and cached on first use."""
    doc = article.doc
    if doc is None or not _parsed_from(doc, article.text):
        doc = parse_texts([article.text])[0]
        article.doc = doc
    return doc


def attach_docs(articles: Iterable[Article], *, batch_size: int = DEFAULT.batch_size) -> list[Article]:
    """Parse many articles with ``nlp.pipe`` and cache each Doc on its article."""
    batch = list(articles)
    for article, doc in zip(batch, parse_texts([a.text for a in batch], batch_size=batch_size), strict=True):
        article.doc = doc
    return batch


def parse_texts(texts: Sequence[str], *, batch_size: int = DEFAULT.batch_size) -> list[Doc]:
    """One Doc per text, in order, from a single ``nlp.pipe`` over all their pieces."""
    from spacy.tokens import Doc

    pieces = [split_text(text) for text in texts]
    parsed = iter(load_model().pipe(itertools.chain.from_iterable(pieces), batch_size=batch_size))
    docs = []
    for text, parts in zip(texts, pieces, strict=True):
        part_docs = [next(parsed) for _ in parts]
        doc = part_docs[0] if len(part_docs) == 1 else Doc.from_docs(part_docs, ensure_whitespace=False)
        doc.user_data[_SOURCE_TEXT] = text
        docs.append(doc)
    return docs


def split_text(text: str, *, limit: int = MAX_PIECE_CHARS) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``limit`` characters; ``"".join`` gives it back."""
    pieces = []
    start = 0
    while len(text) - start > limit:
        cut = _cut_before(text, start, start + limit)
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _cut_before(text: str, start: int, limit: int) -> int:
    # The last good cut point in the second half of the window, so pieces never get tiny.
    floor = start + (limit - start) // 2
    for pattern in _CUT_POINTS:
        ends = [m.end() for m in pattern.finditer(text, floor, limit)]
        if ends:
            return ends[-1]
    return limit


def doc_text(doc: Doc) -> str:
    """``doc.text`` without rebuilding it: the string the Doc was parsed from, when parsed here.

    ``Doc.text`` joins every token on each access; a stage that needs the text per sentence or
    per quote should call this (or take ``article.text``) instead.
    """
    source = doc.user_data.get(_SOURCE_TEXT)
    return source if isinstance(source, str) else doc.text


def _parsed_from(doc: Doc, text: str) -> bool:
    source = doc.user_data.get(_SOURCE_TEXT)
    return source == text if source is not None else doc.text == text
