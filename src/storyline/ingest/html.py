"""HTML pages → RawDocument: the main text via trafilatura, metadata from the page's own markup.

trafilatura finds the article body well but its metadata misses the site name and the
page's own URL on many pages, so explicit markup (``og:*``, ``<link rel=canonical>``,
``article:published_time``, ``<meta name=author>``, JSON-LD ``NewsArticle``) is read
here with lxml and preferred; trafilatura's heuristics fill what the markup lacks.

Paragraphs are separated by ``"\\n\\n"`` and line breaks inside a paragraph by ``"\\n"``:
the NLP stages rely on paragraph breaks.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import lxml.html
import trafilatura
from htmldate import find_date
from lxml.etree import ParserError, _Element
from trafilatura import metadata as trafilatura_metadata
from trafilatura.utils import load_html

from ..errors import E003, E005, IngestError
from ..model import RawDocument
from .dates import DateProblem, parse_date, published_fields
from .decode import bom_encoding

logger = logging.getLogger(__name__)

# trafilatura's options, chosen on the article-extraction benchmark (eval/extraction.py; F1, time for
# 181 pages): defaults with comments off 0.964; fast (no readability/justext fallback) 0.966 in 60% of
# the time; fast + favor_recall 0.967 in 50%. Comments are not article text.
EXTRACT_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "fast": True,
    "favor_recall": True,
}

# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">, in the head.
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
CHARSET_SNIFF_BYTES = 4096
ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "Report"}
)

# Elements that start and end a paragraph (HTML and trafilatura's output XML), and those whose content
# is never text.
BLOCK_TAGS = frozenset(
    {
        *("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd"),
        *("blockquote", "pre", "table", "tr", "thead", "tbody", "tfoot", "caption", "hr"),
        *("section", "article", "aside", "header", "footer", "main", "nav", "figure", "figcaption"),
        *("address", "details", "summary"),
        *("head", "quote", "list", "item", "row", "code"),  # trafilatura's output XML
    }
)
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "title", "meta", "link"}
)
LINE_BREAK_TAGS = frozenset({"br", "lb"})
CELL_TAGS = frozenset({"td", "th", "cell"})
SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
BLANK_LINE = re.compile(r"\n\s*\n")
# A sentence: a run ending in terminal punctuation with at least MIN_SENTENCE_WORDS words, or
# MIN_SENTENCE_CHARS characters for scripts written without spaces (Chinese, Japanese).
SENTENCE = re.compile(r"[^.!?…。！？]+[.!?…。！？]")
MIN_SENTENCE_WORDS = 6
MIN_SENTENCE_CHARS = 40
CANONICAL_HREF = "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
# A leading paragraph that repeats the headline is dropped when found among the first HEADLINE_SEARCH
# paragraphs; a part of the <title> must have MIN_HEADLINE_WORDS words to count as the headline.
HEADLINE_SEARCH = 2
MIN_HEADLINE_WORDS = 4
WORD = re.compile(r"\w+")
AUTHOR_META = ("author", "article:author", "byl", "sailthru.author")
BYLINE_PREFIX = re.compile(r"^\s*by\s+", re.I)


# Decoding


def decode_html(data: bytes, *, origin: str) -> str:
    """The page as text: BOM first, then the declared ``<meta charset>``, then detection."""
    encoding = bom_encoding(data)
    if encoding is not None:
        return _decode(data, encoding, origin=origin)
    declared = META_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    if declared and _known_codec(declared.group(1).decode("ascii")):
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except UnicodeDecodeError:
            logger.info("%s: declared charset %s does not fit, detecting", origin, declared.group(1))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _detect_and_decode(data, origin=origin)


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _decode(data: bytes, encoding: str, *, origin: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(E003.format(path=origin, reason=f"{encoding}: {exc.reason}")) from None


def _detect_and_decode(data: bytes, *, origin: str) -> str:
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise IngestError(E003.format(path=origin, reason="no character encoding fits"))
    return str(best)


# Page metadata from explicit markup


@dataclass(slots=True)
class PageMetadata:
    """What the page declares about itself; every field may be missing."""

    title: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    url: str | None = None
    description: str | None = None
    section: str | None = None
    body: str | None = None  # JSON-LD articleBody, a fallback when no main text is found
    headline: str | None = None  # the first <h1>, as displayed
    language: str | None = None
    date_source: str = "markup"  # where ``published`` came from


def read_page_metadata(tree: _Element, *, base_url: str | None = None) -> PageMetadata:
    """Metadata declared by the page: JSON-LD article first, then ``og:``/``article:``/``<meta>`` tags."""
    meta = _meta_tags(tree)
    ld = _jsonld_article(tree)
    return PageMetadata(
        title=_first(_text(ld.get("headline")), meta.get("og:title"), meta.get("twitter:title")),
        published=_first(
            _text(ld.get("datePublished")), meta.get("article:published_time"), meta.get("datepublished")
        ),
        modified=_first(_text(ld.get("dateModified")), meta.get("article:modified_time")),
        authors=_jsonld_names(ld.get("author")) or _meta_authors(meta),
        site_name=_first(meta.get("og:site_name"), _jsonld_name(ld.get("publisher"))),
        url=_page_url(tree, meta, ld, base_url=base_url),
        description=_first(meta.get("og:description"), meta.get("description")),
        section=_first(meta.get("article:section"), _text(ld.get("articleSection"))),
        body=_text(ld.get("articleBody")),
        headline=_first_h1(tree),
        language=tree.get("lang") or meta.get("og:locale"),
    )


def _first_h1(tree: _Element) -> str | None:
    heading = next(tree.iter("h1"), None)
    return SPACES.sub(" ", heading.text_content()).strip() or None if heading is not None else None


def _meta_tags(tree: _Element) -> dict[str, str]:
    """``<meta property|name|itemprop=... content=...>`` by lower-cased key; the first one wins."""
    found: dict[str, str] = {}
    for element in tree.iterfind(".//meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = (element.get("content") or "").strip()
        if key and content:
            found.setdefault(key.strip().lower(), content)
    return found


def _meta_authors(meta: dict[str, str]) -> list[str]:
    value = _first(
        meta.get("author"), meta.get("article:author"), meta.get("byl"), meta.get("sailthru.author")
    )
    if value is None or value.startswith(("http://", "https://")):
        return []  # article:author is often a profile URL, not a name
    names = re.split(r"\s*(?:;|,|\band\b|&)\s*", BYLINE_PREFIX.sub("", value))
    return [name for name in names if name]


def _page_url(
    tree: _Element, meta: dict[str, str], ld: dict[str, Any], *, base_url: str | None
) -> str | None:
    canonical = tree.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href")
    candidate = _first(
        str(canonical[0]).strip() if canonical else None,
        meta.get("og:url"),
        _text(ld.get("url")),
        _text(ld.get("mainEntityOfPage")),
    )
    if candidate is None:
        return base_url
    resolved = urljoin(base_url, candidate) if base_url else candidate
    return resolved if resolved.startswith(("http://", "https://")) else base_url


def _jsonld_article(tree: _Element) -> dict[str, Any]:
    """The first JSON-LD object typed as an article, or {}."""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except json.JSONDecodeError:
            logger.debug("unreadable JSON-LD block skipped")
            continue
        for item in _jsonld_items(data):
            if ARTICLE_TYPES.intersection(_types(item)):
                return item
    return {}


def _jsonld_items(data: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD block: top-level lists and ``@graph`` included."""
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_items(item)
    elif isinstance(data, dict):
        yield data
        yield from _jsonld_items(data.get("@graph"))


def _types(item: dict[str, Any]) -> list[str]:
    kind = item.get("@type")
    return [kind] if isinstance(kind, str) else [k for k in kind or [] if isinstance(k, str)]


def _jsonld_name(value: Any) -> str | None:
    if isinstance(value, list):
        return _jsonld_name(value[0]) if value else None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _jsonld_names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = (_jsonld_name(item) for item in values)
    return [BYLINE_PREFIX.sub("", name) for name in names if name]


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("@id") or value.get("url"))
    if isinstance(value, list):
        return _text(value[0]) if value else None
    return value.strip() or None if isinstance(value, str) else None


def _first(*values: str | None) -> str | None:
    return next((value for value in values if value), None)


# Text rendering with paragraph breaks


def render_text(root: _Element) -> str:
    """Text of an element tree, one paragraph per block element, joined by blank lines."""
    paragraphs: list[str] = []
    line: list[str] = []
    _render(root, paragraphs, line)
    _flush(paragraphs, line)
    return "\n\n".join(paragraphs)


def _render(element: _Element, paragraphs: list[str], line: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""  # comments and PIs have no text of ours
    if tag and tag not in SKIP_TAGS:
        is_block = tag in BLOCK_TAGS
        if is_block:
            _flush(paragraphs, line)
        elif tag in LINE_BREAK_TAGS:
            line.append("\n")
        elif tag in CELL_TAGS and element.getprevious() is not None:
            line.append(" | ")
        _render_content(element, paragraphs, line, preformatted=tag == "pre")
        if is_block:
            _flush(paragraphs, line)
    if element.tail:
        line.append(SPACES.sub(" ", element.tail))


def _render_content(element: _Element, paragraphs: list[str], line: list[str], *, preformatted: bool) -> None:
    if element.text:
        line.append(element.text if preformatted else SPACES.sub(" ", element.text))
    for child in element:
        _render(child, paragraphs, line)


def _flush(paragraphs: list[str], line: list[str]) -> None:
    lines = (SPACES.sub(" ", part).strip() for part in "".join(line).split("\n"))
    paragraph = "\n".join(part for part in lines if part)
    if paragraph:
        paragraphs.append(paragraph)
    line.clear()


def html_fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (RSS/Atom entry content), paragraphs kept as ``"\\n\\n"``.

    A fragment without markup is plain text: its blank lines are its paragraph breaks.
    """
    if not fragment.strip():
        return ""
    if not re.search(r"<[A-Za-z!/]", fragment):
        return _plain_text(lxml.html.fromstring(f"<div>{fragment}</div>").text_content())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except ParserError:
        return ""  # only markup that holds no text, such as a lone comment
    return render_text(root)


def _plain_text(text: str) -> str:
    paragraphs = (SPACES.sub(" ", part).strip() for part in BLANK_LINE.split(text))
    return "\n\n".join(part for part in paragraphs if part)


# Extraction


def extract_html(data: bytes, *, origin: str, url: str | None = None) -> RawDocument:
    """A RawDocument for one HTML page: main text, title, authors, date, site name, canonical URL.

    ``url`` is where the page was fetched from (a WARC target URI, say); the page's canonical URL
    is preferred for ``RawDocument.url`` and relative links resolve against ``url``.
    Raises IngestError E005 when the page has no article text, E003 when it cannot be decoded.
    """
    tree = load_html(decode_html(data, origin=origin))
    if tree is None:
        raise IngestError(E005.format(path=origin))
    page = read_page_metadata(tree, base_url=url)
    # Without trafilatura's metadata pass (a third of its time); _fill_gaps runs only the parts needed.
    extracted = trafilatura.bare_extraction(tree, url=url, **EXTRACT_OPTIONS)
    _fill_gaps(page, tree, url=url)
    titles = (page.headline, page.title, trafilatura_metadata.extract_title(tree))
    text = drop_headline(_main_text(extracted, page), titles=titles)
    if not has_prose(text):
        raise IngestError(E005.format(path=origin))
    return _raw_document(data, origin=origin, url=url, text=text, page=page)


def _main_text(extracted: Any, page: PageMetadata) -> str:
    text = render_text(extracted.body) if extracted is not None and extracted.body is not None else ""
    if not has_prose(text) and page.body:
        return _plain_text(page.body)  # the page's own JSON-LD copy of the article
    return text


def _fill_gaps(page: PageMetadata, tree: _Element, *, url: str | None) -> None:
    """What the markup does not declare, from trafilatura's and htmldate's heuristics."""
    page.title = page.title or page.headline or trafilatura_metadata.extract_title(tree)
    if not _readable_date(page.published):
        page.published, page.date_source = _find_date(tree, url=page.url or url), "htmldate"
    if not page.authors:
        page.authors = [name.strip() for name in (_find_author(tree) or "").split(";") if name.strip()]
    page.site_name = page.site_name or trafilatura_metadata.extract_sitename(tree)


def _readable_date(value: str | None) -> bool:
    try:
        return bool(value) and bool(parse_date(value or ""))
    except DateProblem as problem:
        logger.info("unreadable publication date %r in page markup (%s)", value, problem)
        return False


def _find_date(tree: _Element, *, url: str | None) -> str | None:
    # Not htmldate's extensive search: it guesses from any date in the text, the fast mode reads markup.
    params = trafilatura_metadata.set_date_params(extensive=False)
    found = find_date(tree, **{**params, "url": url})
    return found if isinstance(found, str) else None


def _find_author(tree: _Element) -> str | None:
    found = trafilatura_metadata.extract_author(tree)
    return found if isinstance(found, str) else None


def drop_headline(text: str, *, titles: tuple[str | None, ...]) -> str:
    """The text without a headline repeated in its first paragraphs: the title is kept in ``title``."""
    keys = [_words(title) for title in titles if title]
    paragraphs = text.split("\n\n")
    lead = [p for p in paragraphs[:HEADLINE_SEARCH] if not any(_is_headline(_words(p), key) for key in keys)]
    return "\n\n".join(lead + paragraphs[HEADLINE_SEARCH:])


def _words(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def _is_headline(paragraph: str, title: str) -> bool:
    # A page <title> often adds the site name ("Headline | Site"): a long enough part of it counts.
    if not paragraph or not title:
        return False
    return paragraph == title or (
        paragraph.count(" ") >= MIN_HEADLINE_WORDS - 1 and f" {paragraph} " in f" {title} "
    )


def has_prose(text: str) -> bool:
    """True when some paragraph reads like a sentence; menus, link lists and captions do not."""
    return any(_is_sentence(match.group()) for match in SENTENCE.finditer(text))


def _is_sentence(chunk: str) -> bool:
    return len(chunk.split()) >= MIN_SENTENCE_WORDS or len(chunk.strip()) >= MIN_SENTENCE_CHARS


def _raw_document(data: bytes, *, origin: str, url: str | None, text: str, page: PageMetadata) -> RawDocument:
    published, date_metadata = published_fields(page.published, source=page.date_source)
    canonical = page.url or url
    hostname = urlsplit(canonical).hostname if canonical else None
    metadata: dict[str, Any] = {
        **date_metadata,
        "fetched_url": url,
        "hostname": hostname,
        "description": page.description,
        "section": page.section,
        "modified": page.modified,
        "language": page.language,
    }
    return RawDocument(
        origin=origin,
        data=data,
        format="html",
        text=text,
        title=page.title,
        published=published,
        url=canonical,
        # No declared site name: the host names the outlet ("www.example.com" → "example.com").
        source=page.site_name or (hostname.removeprefix("www.") if hostname else None),
        authors=page.authors,
        metadata={key: value for key, value in metadata.items() if value is not None},
    )
