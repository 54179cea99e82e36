"""The shared spaCy parse every NLP stage reads from.

The model is loaded once per process. ``attach_docs`` parses a batch with
``nlp.pipe`` (fast path); ``get_doc`` parses one article on demand so each
stage also works alone.
"""

from __future__ import annotations

import functools
import os
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
    if doc is None or doc.text != article.text:
        doc = load_model()(article.text)
        article.doc = doc
    return doc


def attach_docs(articles: Iterable[Article], *, batch_size: int = DEFAULT.batch_size) -> list[Article]:
    """Parse many articles with ``nlp.pipe`` and cache each Doc on its article."""
    batch = list(articles)
    nlp = load_model()
    for article, doc in zip(batch, nlp.pipe((a.text for a in batch), batch_size=batch_size), strict=True):
        article.doc = doc
    return batch
