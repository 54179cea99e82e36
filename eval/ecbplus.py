"""Loader for ECB+ (Cybulska & Vossen 2014) as a story-clustering gold set.

Each topic folder holds articles about two different but confusable real-world events: files named
``<topic>_<n>ecb.xml`` report the original ECB event, ``<topic>_<n>ecbplus.xml`` the second event added by
ECB+. The gold story of a document is therefore ``<topic>/ecb`` or ``<topic>/ecbplus``.

Documents become plain :class:`~storyline.model.Article` objects: tokens are joined with the MEANTIME
detokeniser (one line per sentence). Most ECB+ documents start with their source URL spelled out as tokens
(``http : / / www . bbc . co . uk / …``); that line is metadata, so it goes to ``Article.url`` and leaves the
text, otherwise a clusterer could tell the two halves of a topic apart by the URL line alone. ECB+ has no
reliable publication date, so ``published`` is ``None`` (clustering must work without dates).

Use: ``load_ecbplus(root)`` → list of :class:`EcbDoc`, sorted by topic then file name.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from eval.common import SHARED_DATA
from eval.meantime import _detokenise
from storyline.model import Article

DEFAULT_ROOT = SHARED_DATA / "ecbplus-dev"
FILE_NAME = re.compile(r"(?P<topic>\d+)_(?P<number>\d+)(?P<half>ecbplus|ecb)\.xml")
URL_LINE = re.compile(r"https?\s*:\s*/\s*/\S*")


@dataclass(slots=True)
class EcbDoc:
    name: str  # file name, e.g. "1_10ecbplus.xml"
    topic: int
    half: str  # "ecb" or "ecbplus"
    article: Article

    @property
    def gold(self) -> str:
        """The gold story: the topic plus which of its two events the document reports."""
        return f"{self.topic}/{self.half}"


def load_ecbplus(root: Path | None = None) -> list[EcbDoc]:
    """Every document under ``<root>/ECB+/<topic>/``; FileNotFoundError when the folder is absent."""
    corpus = (Path(root) if root is not None else DEFAULT_ROOT) / "ECB+"
    if not corpus.is_dir():
        raise FileNotFoundError(f"ECB+ corpus not found: {corpus}")
    paths = [p for p in corpus.glob("*/*.xml") if FILE_NAME.fullmatch(p.name)]
    return [parse_document(p) for p in sorted(paths, key=_sort_key)]


def _sort_key(path: Path) -> tuple[int, str, int]:
    match = FILE_NAME.fullmatch(path.name)
    if match is None:  # filtered out by the caller
        raise ValueError(f"{path}: not an ECB+ document name")
    return int(match["topic"]), match["half"], int(match["number"])


def parse_document(path: Path) -> EcbDoc:
    match = FILE_NAME.fullmatch(path.name)
    if match is None:
        raise ValueError(f"{path}: file name is not <topic>_<n>ecb.xml or <topic>_<n>ecbplus.xml")
    root = ET.parse(path).getroot()
    text, _spans = _detokenise(root.findall("token"))
    url, body = split_url_line(text)
    article = Article(id=path.stem, origin=str(path), text=body, url=url)
    return EcbDoc(name=path.name, topic=int(match["topic"]), half=match["half"], article=article)


def split_url_line(text: str) -> tuple[str | None, str]:
    """(url, rest) when the first line is a spelled-out URL, else (None, text)."""
    first, _, rest = text.partition("\n")
    if not URL_LINE.match(first):
        return None, text
    return re.sub(r"\s+", "", first), rest
