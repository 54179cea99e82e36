"""The ``dateline.v1`` stage: dateline, wire credit, byline lines and end-of-story credits.

News copy opens with ``WASHINGTON, Feb 4 (Reuters) -`` or ``PARIS (AFP) —`` and closes
with ``(Reporting by …; Editing by …)`` or ``Associated Press writer X contributed to this
report.`` These are facts about the article, not prose: they move to ``Article.dateline``,
``wire``, ``byline`` and ``credits`` and leave the text, so that the first sentence starts
with its subject (spaCy otherwise reads "Bo Erickson WASHINGTON" as one PERSON).

Also home of the small date helpers shared by the other normalisation stages.
"""

from __future__ import annotations

import datetime as dt
import re

from ..model import Article, Dateline
from ..registry import stage
from .edits import apply_edits, line_spans

# --- dates -------------------------------------------------------------------------------------------

_MONTH_NUMBERS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
# "February 4, 2026", "Feb. 4 2026", "4 February 2026"; the year is exactly four digits so that
# the glued "February 4, 20262 min read" still splits into a date and a reading time.
DATE = rf"(?:{MONTH}\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{4}}|\d{{1,2}}\s+{MONTH},?\s*\d{{4}})"
_MDY = re.compile(rf"(?P<month>{MONTH})\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<year>\d{{4}})", re.I)
_DMY = re.compile(rf"(?P<day>\d{{1,2}})\s+(?P<month>{MONTH}),?\s*(?P<year>\d{{4}})", re.I)
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_US_NUMERIC = re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{2}|\d{4})")


def month_number(name: str) -> int:
    return _MONTH_NUMBERS[name.strip(".").lower()[:3]]


def iso_date(year: int, month: int, day: int) -> str | None:
    """``YYYY-MM-DD``, or None when the parts are not a real calendar date."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first absolute date in ``text`` as ``YYYY-MM-DD`` (month names, ISO or US m/d/yy)."""
    for pattern in (_ISO, _MDY, _DMY):
        match = pattern.search(text)
        if match:
            month = match["month"]
            number = int(month) if month.isdigit() else month_number(month)
            return iso_date(int(match["year"]), number, int(match["day"]))
    match = _US_NUMERIC.search(text)
    if match:
        year = int(match["year"])
        year = year + 2000 if year < 100 else year
        return iso_date(year, int(match["month"]), int(match["day"]))
    return None


def date_in_year_of(month: int, day: int, published: str | None) -> str | None:
    """Month and day resolved against the publication date: a dateline is never after it."""
    reference = parse_date(published or "")
    if reference is None:
        return None
    year = int(reference[:4])
    candidate = iso_date(year, month, day)
    if candidate is not None and candidate > reference:
        candidate = iso_date(year - 1, month, day)
    return candidate


# --- wires and names ---------------------------------------------------------------------------------

# Canonical names, so that copies of one wire story carry the same ``wire`` whatever their spelling.
WIRES = {
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "the associated press": "Associated Press",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "upi": "UPI",
    "united press international": "UPI",
    "dpa": "dpa",
    "deutsche presse-agentur": "dpa",
    "xinhua": "Xinhua",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "efe": "EFE",
    "ansa": "ANSA",
    "pa": "PA Media",
    "pa media": "PA Media",
}
_WIRE_MENTION = re.compile(
    r"\b(Thomson Reuters|Reuters|The Associated Press|Associated Press|Agence France[- ]Presse|AFP"
    r"|Bloomberg News|Bloomberg|United Press International|UPI|Deutsche Presse-Agentur|dpa|Xinhua)\b"
)


def canonical_wire(name: str) -> str | None:
    return WIRES.get(name.strip().lower())


def wire_mentioned(text: str) -> str | None:
    match = _WIRE_MENTION.search(text)
    return canonical_wire(match[1]) if match else None


_NAME_TOKEN = re.compile(
    r"(?:[A-Z][\w'’.\-]*|[A-Z]\.|de|da|del|della|der|van|von|la|le|bin|al|dos|du|di|ter)$"
)
_ORG_END = {"News", "Post", "Times", "Journal", "Press", "Media", "Network", "Herald", "Tribune", "Review"}
_ORG_END |= {"Magazine", "Daily", "Wire", "TV", "Radio", "Staff", "Writer", "Correspondent", "Reporter"}
_ORG_END |= {"Editor", "Contributor", "Service", "Agency", "Group", "Company", "Inc.", "LLC"}


def is_person_name(text: str) -> bool:
    """Two to five capitalised tokens (particles like "de" allowed): "Bo Erickson", "N. R. Kleinfield"."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or not tokens[0][:1].isupper() or not tokens[-1][:1].isupper():
        return False
    if tokens[-1] in _ORG_END or tokens[0] == "The":
        return False
    if any(token.endswith(("'", "’", "'s", "’s")) for token in tokens):
        return False  # "Fox News' Chad Pergram": an outlet's possessive, not part of the name
    return all(_NAME_TOKEN.match(token) for token in tokens)


_NAME_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s*&\s*)")
_PLACE_SUFFIX = re.compile(r"\s+(?:in|from)\s+[A-Z][\w.'’\- ]*$")


def split_names(text: str) -> list[str]:
    """ "Colleen Jenkins and Rosalba O'Brien" → two names; "X in Washington" → "X"."""
    parts = (_PLACE_SUFFIX.sub("", part).strip(" .") for part in _NAME_SPLIT.split(text.strip()))
    return [part for part in parts if part]


def merge_names(names: list[str], more: list[str]) -> list[str]:
    """``names`` + the new ones in ``more``, compared without case or spacing differences."""
    seen = {" ".join(n.lower().split()) for n in names}
    merged = list(names)
    for name in more:
        key = " ".join(name.lower().split())
        if key not in seen:
            seen.add(key)
            merged.append(name)
    return merged


# --- bylines -----------------------------------------------------------------------------------------

BYLINE = re.compile(r"^\s*By\s+(?P<body>[A-Z][^\n]{2,150}?)\s*$")
_BYLINE_PARTS = re.compile(r"\s*(?:\||,|;|\s[-–—]\s)\s*")
LEAD_LINES = 6  # bylines and datelines are looked for only in the first lines of the body


def parse_byline(line: str) -> tuple[list[str], list[str]] | None:
    """Names and affiliations of a "By X and Y, Reuters" line, or None when it is prose."""
    match = BYLINE.match(line)
    if not match:
        return None
    names: list[str] = []
    affiliations: list[str] = []
    for part in _BYLINE_PARTS.split(match["body"].rstrip(".")):
        for name in split_names(part):
            if is_person_name(name):
                names.append(name)
            elif len(name.split()) <= 5 and name[:1].isupper():
                affiliations.append(name)
            else:
                return None
    return (names, affiliations) if names else None


def _take_bylines(article: Article) -> Article:
    edits = []
    for index, (start, end) in enumerate(line_spans(article.text)):
        if index >= LEAD_LINES:
            break
        parsed = parse_byline(article.text[start:end])
        if parsed is None:
            continue
        names, affiliations = parsed
        article.byline = merge_names(article.byline, names)
        for affiliation in affiliations:
            article.wire = article.wire or canonical_wire(affiliation)
        edits.append((start, end, ""))
    return apply_edits(article, edits)


# --- datelines ---------------------------------------------------------------------------------------

_DASH = r"(?:—|–|―|--|\s-)"
_UPPER_PLACE = r"[A-Z][A-Z.'’\-]+(?:\s[A-Z][A-Z.'’\-]+){0,3}"
_ANY_PLACE = r"[A-Z][\w.'’\-]+(?:\s[A-Z][\w.'’\-]+){0,3}"
_REGION = r"(?:,\s[A-Z][\w.'’\-]+(?:\s[A-Z][\w.'’\-]+){0,2})?"
_DAY = rf"(?:,?\s(?P<month>{MONTH})\s(?P<day>\d{{1,2}}))?"
_CREDIT = r"\((?P<credit>[A-Z][A-Za-z.\- ]{1,40}|dpa)\)"
# "WASHINGTON, Feb 4 (Reuters) - ", "Berlin (dpa) - ", "SAN JUAN, Puerto Rico (AP) — "
_WITH_CREDIT = re.compile(rf"^(?P<place>{_ANY_PLACE}{_REGION}){_DAY}\s?{_CREDIT}\s*{_DASH}\s*")
# "LONDON — ": without a credit the place must be in capitals, as datelines are printed.
_PLAIN = re.compile(rf"^(?P<place>{_UPPER_PLACE}{_REGION}){_DAY}\s*{_DASH}\s+")
# "(Bloomberg) -- ": a credit with no place.
_CREDIT_ONLY = re.compile(rf"^{_CREDIT}\s*{_DASH}\s*")
_NOT_PLACES = {"BREAKING", "UPDATE", "UPDATED", "EXCLUSIVE", "ANALYSIS", "OPINION", "WATCH", "NEW", "LIVE"}
_NOT_PLACES |= {
    "CORRECTION",
    "EDITOR'S NOTE",
    "EDITOR’S NOTE",
    "NOTE",
    "UPDATES",
    "VIDEO",
    "PHOTOS",
    "Q",
    "A",
    "FILE",
}


def match_dateline(line: str) -> re.Match[str] | None:
    for pattern in (_WITH_CREDIT, _PLAIN, _CREDIT_ONLY):
        match = pattern.match(line)
        if match and _plausible(match):
            return match
    return None


def _plausible(match: re.Match[str]) -> bool:
    place = match.groupdict().get("place")
    if place is not None and (place.upper() in _NOT_PLACES or len(place.strip(".")) < 2):
        return False
    credit = match.groupdict().get("credit")
    # A parenthesised credit is a wire or a short outlet name, never a clause.
    return credit is None or len(credit.split()) <= 4


def _take_dateline(article: Article) -> Article:
    for index, (start, end) in enumerate(line_spans(article.text)):
        if index >= 2:  # the dateline opens the first paragraph (after any byline)
            break
        match = match_dateline(article.text[start:end])
        if match is not None:
            _record_dateline(article, match)
            return apply_edits(article, [(start, start + match.end(), "")])
    return article


def _record_dateline(article: Article, match: re.Match[str]) -> None:
    groups = match.groupdict()
    if groups.get("place"):
        date = None
        if groups.get("month"):
            date = date_in_year_of(month_number(groups["month"]), int(groups["day"]), article.published)
        # rstrip: "STANFORD, Calif.--(BUSINESS WIRE)--" glues the dash to the place.
        article.dateline = Dateline(place=groups["place"].rstrip("-–— "), date=date)
    credit = groups.get("credit")
    if credit:
        wire = canonical_wire(credit) or wire_mentioned(credit)  # "(Reuters Breakingviews)"
        if wire:
            article.wire = wire
        else:
            article.metadata.setdefault("dateline_credit", credit)


# --- credits -----------------------------------------------------------------------------------------

_ROLE = (
    r"(?:(?:Additional|Further)\s+)?(?:reporting|writing|editing|written|edited|compiled|compiling|"
    r"research|graphics|production|fact[- ]checking|translation|translated)"
)
# "(Reporting by Bo Erickson; Editing by Colleen Jenkins and Rosalba O'Brien)", also glued to the end
# of the last paragraph as Reuters prints it.
_CREDIT_BLOCK = re.compile(rf"\s*\((?P<body>{_ROLE}\s+by\s[^()]{{2,300}})\)\.?\s*$", re.I)
_CREDIT_PART = re.compile(rf"^\s*(?P<role>{_ROLE})\s+by\s+(?P<names>.+?)\s*$", re.I)
_CONTRIBUTED = re.compile(
    r"^(?:(?:The\s+)?Associated\s+Press\s+(?:writers?|reporters?|correspondents?|photographers?)\s+)?"
    r"(?P<names>[A-Z][^.;:!?]{1,160}?)\s+contributed(?:\s+reporting)?"
    r"(?:\s+(?:to|for)\s+this\s+(?:report|story|article))?(?:\s+from\s+[A-Z][\w .,'’\-]{1,60})?\.?$"
)
_CONTRIBUTING = re.compile(r"^Contributing(?:\s+reporters?)?\s*:\s*(?P<names>[A-Z][^.;:!?]{1,160}?)\.?$")
_REPORTED_FROM = re.compile(
    r"^(?P<names>[A-Z][^.;:!?]{1,100}?)\s+reported\s+from\s+[A-Z][\w .,'’\-]{1,60}\.$"
)
_OUTLET_POSSESSIVE = re.compile(r"^[A-Z][\w.&]*(?:\s[A-Z][\w.&]*){0,3}['’]s?\s+(?=[A-Z])")
_ROLE_KEYS = {"written": "writing", "edited": "editing", "compiled": "compiling", "translated": "translation"}
_CREDIT_LINES = (
    (_CONTRIBUTED, "contributing"),
    (_CONTRIBUTING, "contributing"),
    (_REPORTED_FROM, "reporting"),
)
TAIL_LINES = 4  # credits are looked for only in the last lines of the body


def role_key(role: str) -> str:
    key = "_".join(role.lower().replace("-", " ").split())
    return _ROLE_KEYS.get(key, key)


def parse_credit_block(body: str) -> dict[str, list[str]]:
    """ "Reporting by A; Editing by B and C" → {"reporting": ["A"], "editing": ["B", "C"]}."""
    credits: dict[str, list[str]] = {}
    for part in body.split(";"):
        match = _CREDIT_PART.match(part)
        if match:
            key = role_key(match["role"])
            credits[key] = merge_names(credits.get(key, []), split_names(match["names"]))
    return credits


def contributor_names(text: str) -> list[str]:
    """People or wires in "Fox News' Chad Pergram and Jane Doe"; [] when any part is something else."""
    names = []
    for name in split_names(text):
        name = name if is_person_name(name) else _OUTLET_POSSESSIVE.sub("", name)
        wire = canonical_wire(name)
        if not (wire or is_person_name(name)):
            return []  # a clause, not a credit line: keep the line in the text
        names.append(wire or name)
    return names


def _add_credits(article: Article, found: dict[str, list[str]]) -> None:
    for key, names in found.items():
        article.credits[key] = merge_names(article.credits.get(key, []), names)


def _credit_edit(article: Article, start: int, end: int) -> tuple[int, int, str] | None:
    """Parse one tail line as credits; return the edit that removes it, or None."""
    line = article.text[start:end]
    block = _CREDIT_BLOCK.search(line)
    if block:
        found = parse_credit_block(block["body"])
        if found:
            _add_credits(article, found)
            article.wire = article.wire or wire_mentioned(block["body"])
            return (start + block.start(), end, "")
    for pattern, key in _CREDIT_LINES:
        match = pattern.match(line.strip())
        names = contributor_names(match["names"]) if match else []
        if names:
            _add_credits(article, {key: names})
            return (start, end, "")
    return None


def _take_credits(article: Article) -> Article:
    spans = line_spans(article.text)[-TAIL_LINES:]
    edits = [edit for start, end in spans if (edit := _credit_edit(article, start, end))]
    return apply_edits(article, edits)


def _wire_from_metadata(article: Article) -> None:
    # A copyright line kept by furniture.v1 ("Copyright 2020 The Associated Press") names the wire.
    if article.wire is None and isinstance(article.metadata.get("copyright"), str):
        article.wire = wire_mentioned(article.metadata["copyright"])


@stage("dateline.v1", requires=["text"], assigns=["dateline", "wire", "byline", "credits"])
def dateline_stage(article: Article) -> Article:
    """Byline lines, the dateline prefix and end credits move out of the text into fields."""
    article = _take_bylines(article)
    article = _take_dateline(article)
    article = _take_credits(article)
    _wire_from_metadata(article)
    return article
