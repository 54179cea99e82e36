"""From a RawDocument to a clean Article: the entry point and the small text stages.

``normalize`` builds the Article from what the reader found, then runs the stages named in
``settings.normalize`` (each ``def stage(article) -> Article``, registered by name):
``unicode.v1`` and ``furniture.v1`` and ``whitespace.v1`` live here, ``embeds.v1`` in
:mod:`.embeds`, ``dateline.v1`` in :mod:`.dateline`.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import unicodedata

from ..errors import E101, E102, E103, E104, NormalizeError, StageError
from ..model import Article, RawDocument, article_id
from ..registry import Pipeline, stage
from ..settings import DEFAULT, Settings
from . import embeds as _embeds  # noqa: F401  (registers embeds.v1)
from .dateline import BYLINE, DATE, LEAD_LINES, match_dateline, merge_names, parse_byline, parse_date
from .edits import Edit, apply_edits, line_spans

logger = logging.getLogger(__name__)

# --- entry point -------------------------------------------------------------------------------------


def normalize(raw: RawDocument, *, settings: Settings = DEFAULT) -> Article:
    """A clean Article from ``raw``; raises NormalizeError (E101) when no text remains."""
    article = _article_from(raw)
    try:
        article = _pipeline(tuple(settings.normalize))(article)
    except StageError as exc:
        raise NormalizeError(E103.format(origin=raw.origin, reason=exc)) from exc
    if not article.text.strip():
        raise NormalizeError(E101.format(origin=raw.origin))
    article.id = article_id(url=article.url, text=article.text)
    return article


@functools.lru_cache(maxsize=8)
def _pipeline(names: tuple[str, ...]) -> Pipeline:
    return Pipeline(names)


def _article_from(raw: RawDocument) -> Article:
    text = raw_text(raw)
    if not text.strip():
        raise NormalizeError(E101.format(origin=raw.origin))
    return Article(
        id="",  # set from the clean text once the stages have run
        origin=raw.origin,
        text=text,
        title=clean_title(raw.title),
        published=published_date(raw),
        source=_clean_field(raw.source),
        url=_clean_field(raw.url),
        byline=merge_names([], [" ".join(name.split()) for name in raw.authors if name and name.strip()]),
        metadata={**_published_metadata(raw), **raw.metadata},
        raw_hash=hashlib.sha256(raw.data).hexdigest(),
    )


def raw_text(raw: RawDocument) -> str:
    """The decoded body; readers set it, but a bare UTF-8 ``data`` is accepted too."""
    if raw.text is not None:
        return raw.text
    try:
        return raw.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NormalizeError(E104.format(origin=raw.origin, reason=exc)) from exc


def published_date(raw: RawDocument) -> str | None:
    """``raw.published`` as YYYY-MM-DD; an unreadable date is logged (E102) and dropped, not fatal."""
    if raw.published is None or not raw.published.strip():
        return None
    value = parse_date(raw.published)
    if value is None or not "1800" <= value[:4] <= "2100":
        logger.warning(E102.format(origin=raw.origin, value=raw.published, reason="not a calendar date"))
        return None
    return value


def _published_metadata(raw: RawDocument) -> dict[str, str]:
    # Article.published is a day; a reader's full timestamp is kept beside it.
    value = (raw.published or "").strip()
    return {"published_at": value} if len(value) > 10 and value[:10] == published_date(raw) else {}


def clean_title(title: str | None) -> str | None:
    if title is None:
        return None
    return " ".join(unicodedata.normalize("NFC", title).split()) or None


def _clean_field(value: str | None) -> str | None:
    return value.strip() or None if value else None


# --- unicode.v1 --------------------------------------------------------------------------------------

# Spaces that look like spaces: NBSP, narrow NBSP, figure/thin/hair spaces, ideographic space.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Line breaks in other clothes; \r\n becomes one \n.
_BREAKS = re.compile(r"\r\n?|[\u000b\u000c\u0085\u2028\u2029]")
# Zero-width spaces, BOM, word joiner, soft hyphen, bidi marks and embeddings. ZWJ/ZWNJ stay:
# emoji sequences and several scripts need them.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Control characters other than tab and newline.
_CONTROL = re.compile(r"[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]")


def _unicode_edits(text: str) -> list[Edit]:
    edits: list[Edit] = [(m.start(), m.end(), " ") for m in _SPACES.finditer(text)]
    edits += [(m.start(), m.end(), "\n") for m in _BREAKS.finditer(text)]
    edits += [(m.start(), m.end(), "") for m in _INVISIBLE.finditer(text)]
    edits += [(m.start(), m.end(), "") for m in _CONTROL.finditer(text)]
    return edits


def _nfc_edits(text: str) -> list[Edit]:
    # Line by line, so that anchors outside a changed line do not move.
    edits = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if not unicodedata.is_normalized("NFC", line):
            edits.append((m.start(), m.end(), unicodedata.normalize("NFC", line)))
    return edits


@stage("unicode.v1", requires=["text"], assigns=["text"])
def unicode_stage(article: Article) -> Article:
    """NFC; odd spaces, invisible and control characters handled. Curly quotes are kept as written."""
    article = apply_edits(article, _unicode_edits(article.text))
    return apply_edits(article, _nfc_edits(article.text))


# --- furniture.v1 ------------------------------------------------------------------------------------

MAX_FURNITURE_WORDS = 25  # a longer line is prose, whatever it starts with
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)"
_READ = r"(?P<minutes>\d{1,3})[\s-]*min(?:ute)?s?\.?\s+read"

# Lines that carry a fact: each pattern names what it sets (see _record_fact).
_FACTS: list[tuple[str, re.Pattern[str]]] = [
    (
        "publisher",
        re.compile(
            r"^(?:Published|Publisher)(?:\s+by|\s*:)\s+(?P<value>[A-Z0-9][^\s,;:]*(?:\s+[^\s,;:]+){0,7}?)\.?$"
        ),
    ),
    (
        "posted",
        re.compile(
            rf"^(?:Posted|Published)(?:\s+on|\s*:)?\s+(?P<value>{DATE}){_TIME}?\s*(?:[|·•]\s*)?(?:{_READ})?$",
            re.I,
        ),
    ),
    (
        "updated",
        re.compile(
            rf"^(?:Last\s+)?(?:Updated|Modified)(?:\s+on|\s*:)?\s+(?P<value>{DATE}){_TIME}?\.?$", re.I
        ),
    ),
    ("reading_minutes", re.compile(rf"^{_READ}$", re.I)),
    ("copyright", re.compile(r"^(?P<value>(?:©|\(c\)\s|Copyright\s*(?:©|\(c\)|\d{4}))[^\n]{0,200})$", re.I)),
]

_NOISE_PHRASES = {
    "ad",
    "ads",
    "advertisement",
    "advertising",
    "sponsored",
    "sponsored content",
    "story continues below",
    "story continued below",
    "article continues below",
    "continue reading",
    "continue reading the main story",
    "advertisement continue reading the main story",
    "skip advertisement",
    "read more",
    "read more here",
    "read the full story",
    "full story",
    "more on this",
    "more",
    "related",
    "see also",
    "also see",
    "watch",
    "listen",
    "share",
    "share this",
    "share this article",
    "share this story",
    "print",
    "email",
    "close",
    "photo",
    "photos",
    "video",
    "trending",
    "recommended",
    "most read",
    "most popular",
    "you may also like",
    "enlarge this image",
    "image",
}
_NOISE_PATTERNS = [
    re.compile(r"^(?:click|tap)\s+(?:here|to)\b", re.I),
    re.compile(
        r"^(?:read|see|watch|listen)(?:\s+(?:more|also|next|the full story|full coverage))?\s*(?::|»|>>)",
        re.I,
    ),
    re.compile(r"^(?:read|see|watch)\s+(?:more|the full story|full story)\s+(?:here|at|on)\b", re.I),
    re.compile(
        r"^related(?:\s+(?:articles?|stories|coverage|content|links?|videos?|reading|news))?\s*:", re.I
    ),
    re.compile(r"^(?:sign\s*up|subscribe)\b", re.I),
    re.compile(r"\bnewsletters?\b.*\b(?:sign up|subscribe|inbox|manage|delivered)\b", re.I),
    re.compile(r"\b(?:sign up|subscribe)\b.*\bnewsletters?\b", re.I),
    re.compile(
        r"^follow\s+(?:us\b|@\w+|[^\n]{1,60}?\s+on\s+(?:twitter|facebook|instagram|x|linkedin|threads|bluesky))",
        re.I,
    ),
    re.compile(r"^follow\b[^\n]*@\w+\.?$", re.I),
    re.compile(
        r"^(?:share|click to (?:share|email|print))\b[^\n]*"
        r"(?:twitter|facebook|email|linkedin|whatsapp|tweet)",
        re.I,
    ),
    re.compile(r"\(opens in (?:a )?new window\)\.?$", re.I),
    re.compile(r"^(?:get|download)\s+the\s+[^\n]{1,40}\s+app\b", re.I),
    re.compile(r"^slideshow\s*\(\d+\s+images?\)$", re.I),
    re.compile(r"^(?:next|prev|previous)?\s*image\s+\d+\s+of\s+\d+$", re.I),
    re.compile(r"^this article is more than \d+ (?:years?|months?) old$", re.I),
    re.compile(
        r"^(?:last\s+)?updated(?:\s+at|\s*:)?\s+\d{1,2}:\d{2}\s*[ap]\.?m\.?(?:\s+[A-Z]{2,4})?\.?$", re.I
    ),
    re.compile(r"^(?:last\s+)?updated\s*:?\s*\d+\s+(?:minutes?|hours?|days?)\s+ago$", re.I),
    re.compile(r"^[^\n]{0,40}\ball rights reserved\.?$", re.I),
    re.compile(
        r"^the (?:views|opinions) expressed\b[^\n]*\b(?:their own|of the author|author's own)\b", re.I
    ),
    # Image credits and captions furniture: "Photo: Jane Doe/Getty Images", "Image copyright AFP".
    re.compile(
        r"^\(?(?:photo|photograph|image|picture|illustration|video)s?\s*(?:by|credit|courtesy|:)", re.I
    ),
    re.compile(r"^(?:image (?:copyright|caption)|toggle caption|enlarge this image|getty images)\b", re.I),
    re.compile(r"^FILE\s*(?:[-–—:]|PHOTO\b)"),
    re.compile(r"^[^\n]{0,60}/\s*(?:Getty Images|AP|AFP|Reuters|EPA|Bloomberg|NPR|Shutterstock|Pool)\)?$"),
]
# Agency photo captions of any length: "FILE - In this July 11, 2019, file photo, … (AP Photo/Evan Vucci)".
# Also Reuters' lead-photo line ending "… June 20, 2017. REUTERS/Aaron P. Bernstein/File Photo".
_PHOTO_CAPTION = re.compile(
    r"^FILE\s*[-–—]\s*In this\b|\((?:AP|AFP|Reuters|EPA|Getty) (?:Photo|Images)\b[^)]*\)\.?$"
    r"|\d{4}\.\s+(?:REUTERS|AFP|EPA|AP Photo)\s*/\s*[A-Z][^\n/]{1,60}(?:/[^\n]{0,30})?$"
)
_SEPARATOR = re.compile(r"^[*_=~#•·\-–—\s]{3,}$")  # "***", "___", "* * *"
_SHARE_WORDS = {
    "share",
    "tweet",
    "email",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "print",
    "pinterest",
}


def is_noise_line(line: str) -> bool:
    """Share/subscribe/follow/ad/related/credit lines; never a line longer than MAX_FURNITURE_WORDS."""
    if _SEPARATOR.match(line.strip()):
        return True
    stripped = line.strip().lstrip("-–—•*· ")  # list bullets do not change what a line is
    words = stripped.split()
    if _PHOTO_CAPTION.search(stripped):
        return True
    if len(words) > MAX_FURNITURE_WORDS:
        return False
    key = re.sub(r"[^\w\s]", "", stripped.lower()).strip()
    if " ".join(key.split()) in _NOISE_PHRASES:
        return True
    if sum(w.strip(".,:").lower() in _SHARE_WORDS for w in words) >= 3:
        return True
    return any(pattern.search(stripped) for pattern in _NOISE_PATTERNS)


def match_fact(line: str) -> tuple[str, re.Match[str]] | None:
    stripped = line.strip()
    if len(stripped.split()) > MAX_FURNITURE_WORDS:
        return None
    for name, pattern in _FACTS:
        match = pattern.match(stripped)
        if match:
            return name, match
    return None


def _record_fact(article: Article, name: str, match: re.Match[str]) -> None:
    groups = match.groupdict()
    value = (groups.get("value") or "").strip()
    if name == "publisher":
        if article.source is None:
            article.source = value
        else:
            article.metadata.setdefault("publisher", value)
    elif name in ("posted", "updated"):
        iso = parse_date(value)
        if iso:
            article.metadata.setdefault(name, iso)
            if name == "posted" and article.published is None:
                article.published = iso
    elif name == "copyright":
        article.metadata.setdefault("copyright", value)
    if groups.get("minutes"):
        article.metadata.setdefault("reading_minutes", int(groups["minutes"]))


def _same_words(a: str, b: str) -> bool:
    return re.sub(r"\W+", " ", a).strip().lower() == re.sub(r"\W+", " ", b).strip().lower()


def _furniture_edits(article: Article) -> tuple[list[Edit], list[tuple[int, int]]]:
    """Edits removing furniture lines, and the lines that stay."""
    edits: list[Edit] = []
    kept: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(line_spans(article.text)):
        line = article.text[start:end]
        fact = match_fact(line)
        if fact is not None:
            _record_fact(article, *fact)
        elif not (is_noise_line(line) or (index < 3 and article.title and _same_words(line, article.title))):
            kept.append((start, end))
            continue
        edits.append((start, end, ""))
    return edits, kept


MAX_STANDFIRST_WORDS = 60


def _standfirst_edit(article: Article, kept: list[tuple[int, int]]) -> Edit | None:
    """The dek: the first remaining line, when a byline line follows it directly."""
    if len(kept) < 3 or article.summary is not None:
        return None
    (start, end), (b_start, b_end) = kept[0], kept[1]
    line, byline = article.text[start:end], article.text[b_start:b_end]
    if parse_byline(byline) is None or BYLINE.match(line) or match_dateline(line):
        return None
    if len(line.split()) > MAX_STANDFIRST_WORDS:
        return None
    article.summary = " ".join(line.split())
    return (start, end, "")


@stage("furniture.v1", requires=["text"], assigns=["text", "summary", "source", "published", "metadata"])
def furniture_stage(article: Article) -> Article:
    """Publisher furniture out of the body; its facts (publisher, dates, copyright) into fields."""
    edits, kept = _furniture_edits(article)
    standfirst = _standfirst_edit(article, kept[:LEAD_LINES])
    if standfirst is not None:
        edits.append(standfirst)
    return apply_edits(article, edits)


# --- whitespace.v1 -----------------------------------------------------------------------------------

_ENDS_PARAGRAPH = tuple('.!?:;"”’)]…')
SHORT_LINE = 50  # a single line break after a line shorter than this is a paragraph break


def _line_edits(text: str) -> list[Edit]:
    # Tabs and runs of spaces become one space; lines lose their outer spaces.
    edits = []
    for m in re.finditer(r"[^\n]+", text):
        tidy = " ".join(m.group().split())
        if tidy != m.group():
            edits.append((m.start(), m.end(), tidy))
    return edits


def _break_edits(text: str) -> list[Edit]:
    """Blank-line runs become one blank line; a lone line break is a paragraph break or a wrap."""
    edits: list[Edit] = []
    for m in re.finditer(r"\n+", text):
        if m.start() == 0 or m.end() == len(text):
            edits.append((m.start(), m.end(), ""))
        elif m.end() - m.start() > 2:
            edits.append((m.start(), m.end(), "\n\n"))
        elif m.end() - m.start() == 1:
            edits.append((m.start(), m.end(), _single_break(text, m.start())))
    return edits


def _single_break(text: str, at: int) -> str:
    previous = text[text.rfind("\n", 0, at) + 1 : at]
    if previous.endswith(_ENDS_PARAGRAPH) or len(previous) < SHORT_LINE:
        return "\n\n"
    return " "  # a hard-wrapped line inside a sentence


@stage("whitespace.v1", requires=["text"], assigns=["text"])
def whitespace_stage(article: Article) -> Article:
    """Paragraphs separated by exactly one blank line, single spaces, no outer whitespace."""
    article = apply_edits(article, _line_edits(article.text))
    return apply_edits(article, _break_edits(article.text))
