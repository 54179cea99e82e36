"""Repairs for what spaCy's small English NER gets wrong on news text.

Each repair is a small function over a list of :class:`Mention` (character offsets into
the article text), so they can be read, tested and reordered one by one. None uses a
gazetteer: the cues are the text's own shape (line breaks, capitalisation, titles,
possessives) and what the same article says elsewhere.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .aliases import ROLE_ACRONYMS, surface_key, words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Numbers, dates and amounts belong to the quantities and timexes stages.
NAMED_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)

# Titles and honorifics written before a name; longest first so "First Lady" wins over "Lady".
TITLES = (
    "u.s. first lady|first lady|vice president|president|prime minister|deputy prime minister|"
    "foreign minister|defense minister|defence minister|finance minister|minister|secretary of state|"
    "secretary|chancellor|senator|sen\\.|representative|rep\\.|congressman|congresswoman|governor|gov\\.|"
    "mayor|speaker|ambassador|general|gen\\.|lt\\. gen\\.|admiral|adm\\.|colonel|col\\.|captain|capt\\.|"
    "lieutenant|lt\\.|sergeant|sgt\\.|judge|justice|chief justice|attorney general|king|queen|prince|"
    "princess|pope|sheikh|ayatollah|archbishop|bishop|cardinal|rev\\.|reverend|father|sister|dr\\.|dr|"
    "prof\\.|professor|mr\\.|mr|mrs\\.|mrs|ms\\.|ms|miss|sir|dame|lord|lady|chief executive|ceo|chairman|"
    "chairwoman|spokesman|spokeswoman|spokesperson"
)
_TITLE_PREFIX = re.compile(rf"^(?:(?:{TITLES})\s+)+", re.IGNORECASE)
# "Lady" is a title only after "First" (otherwise it may be a name: Lady Gaga).
_BARE_LADY = re.compile(r"^lady\s+$", re.IGNORECASE)
_FIRST_BEFORE = re.compile(r"first\s+$", re.IGNORECASE)

_EDGE_JUNK = " \t\n\r\"'“”‘’«»()[]{}<>,;:!?*•–—-|/\\"
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.|\b(?:Inc|Corp|Co|Ltd|Jr|Sr|St|Bros|Mt|Ft)\.)$")
_HANDLE = re.compile(r"[@#]|https?:|www\.|pic\.twitter")
_TRAILING_FUNCTION_WORD = re.compile(r"\s+(?:and|or|of|the|for|&)$")
_DATELINE_AFTER = re.compile(r"^\s*(?:,|\(|—|–|-{1,2}\s|\s*$)")
_ALL_CAPS_WORD = re.compile(r"^[A-Z][A-Z.'’-]+$")

# Last words that make a name a place (a building or site) or an organisation.
FACILITY_HEADS = words(
    "wing house building tower airport bridge stadium palace base hall square street avenue "
    "arena plant station port harbor harbour canal dam mosque church cathedral temple"
)
ORG_HEADS = words(
    "inc inc. corp corp. corporation ltd ltd. llc plc company co co. group bank university party ministry "
    "department agency council committee association union institute foundation commission court office "
    "airlines airways motors bureau authority federation organization organisation"
)
ATTRIBUTION_LEMMAS = words(
    "say tell add state claim confirm deny announce explain note write ask reply insist argue warn recall "
    "mention reveal acknowledge admit suggest report declare comment respond urge stress tweet post "
    "estimate predict promise vow threaten describe accuse"
)
_RELABELLED = frozenset({"GPE", "LOC", "PERSON", "PRODUCT", "NORP", "FAC"})
_ORDINAL_WORDS = words("first second third fourth fifth sixth seventh eighth ninth tenth")
_INSTITUTION_NOUNS = words("spokesman spokeswoman spokesperson official officials aide aides staff")


@dataclass(slots=True)
class Mention:
    """An entity span being repaired. ``title`` keeps what was cut off its front ("first lady")."""

    start: int
    end: int
    label: str
    title: str | None = None
    canonical: str | None = None
    fixed: bool = False  # its extent is final: never merge it with a neighbour
    # (role key, gender, place key) cues from titles around a person's name; see canonical.py
    cues: list[tuple[str | None, str | None, str | None]] = field(default_factory=list)

    def text(self, text: str) -> str:
        return text[self.start : self.end]


Repair = Callable[[list[Mention], str, "Doc"], list[Mention]]


def mentions_from_doc(doc: Doc) -> list[Mention]:
    return [
        Mention(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents if ent.label_ in NAMED_LABELS
    ]


def split_lines(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """A name never runs over a line break ("Bo Erickson\\nWASHINGTON" is a byline and a dateline)."""
    result = []
    for mention in mentions:
        pieces = list(re.finditer(r"[^\n]+", mention.text(text)))
        broken = len(pieces) > 1
        for piece in pieces:
            start = mention.start + piece.start()
            result.append(Mention(start, start + len(piece.group()), mention.label, fixed=broken))
    return result


def trim(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """Drop surrounding punctuation and a trailing possessive; keep abbreviation dots (U.S.)."""
    result = []
    for mention in mentions:
        start, end = _trimmed(text, mention.start, mention.end)
        if end > start:
            mention.start, mention.end = start, end
            result.append(mention)
    return result


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while True:
        before = (start, end)
        while start < end and text[start] in _EDGE_JUNK:
            start += 1
        while end > start and text[end - 1] in _EDGE_JUNK:
            end -= 1
        possessive = _POSSESSIVE.search(text, start, end)
        if possessive and possessive.start() > start:
            end = possessive.start()
        if end > start and text[end - 1] == "." and not _ABBREVIATION_END.search(text, start, end):
            end -= 1
        dangling = _TRAILING_FUNCTION_WORD.search(text, start, end)
        if dangling and dangling.start() > start:
            end = dangling.start()  # "the Hang Seng and": a coordination cut in half
        if (start, end) == before:
            return start, end


def drop_non_names(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """Handles, links and spans without a letter or digit are not names in running text."""
    return [
        m for m in mentions if not _HANDLE.search(m.text(text)) and any(c.isalnum() for c in m.text(text))
    ]


def split_dateline_words(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """ "Bo Erickson WASHINGTON": an upper-case tail on a mixed-case person name is a dateline place."""
    result = []
    for mention in mentions:
        result.extend(_split_caps_tail(mention, text) if mention.label == "PERSON" else [mention])
    return result


def _split_caps_tail(mention: Mention, text: str) -> list[Mention]:
    words = list(re.finditer(r"\S+", mention.text(text)))
    caps = [bool(_ALL_CAPS_WORD.match(w.group())) for w in words]
    head = len(caps)
    while head > 0 and caps[head - 1]:
        head -= 1
    if head == 0 and _opens_dateline(mention, text):
        return [Mention(mention.start, mention.end, "GPE", fixed=True)]
    if head == 0 or head == len(caps):
        return [mention]  # all mixed case, or all capitals (a transcript speaker line)
    cut = mention.start + words[head - 1].end()
    tail_start = mention.start + words[head].start()
    person = Mention(mention.start, cut, "PERSON", fixed=True)
    if _DATELINE_AFTER.match(text[mention.end : mention.end + 12]):
        return [person, Mention(tail_start, mention.end, "GPE", fixed=True)]
    return [person]


def _opens_dateline(mention: Mention, text: str) -> bool:
    """Capitals opening a line and followed by ", Feb 4 (Reuters) -" are a dateline place."""
    at_line_start = mention.start == 0 or text[mention.start - 1] == "\n"
    return at_line_start and bool(_DATELINE_AFTER.match(text[mention.end : mention.end + 12]))


_NAME_WORD = r"[A-Z][a-z][\w'’.-]*"
_BYLINE = re.compile(rf"(?m)^[ \t]*By[ \t]+({_NAME_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]+)?{_NAME_WORD}){{1,3}})")
# Capitals before ", Feb 4" or "(Reuters)": a dateline place, at a line start or right after the byline.
_DATELINE = re.compile(
    r"[ \t]*([A-Z][A-Z'’.-]+(?:[ \t][A-Z][A-Z'’.-]+){0,2})(?=,[ \t]*[A-Z][a-z]{2}|[ \t]*\()"
)
_LINE_START = re.compile(r"(?m)^")


def bylines_and_datelines(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """ "By Bo Erickson" is a person, "WASHINGTON, Feb 4 (Reuters)" a place, where the tagger missed them."""
    bylines = list(_BYLINE.finditer(text))
    found = [Mention(m.start(1), m.end(1), "PERSON", fixed=True) for m in bylines]
    for at in [m.end() for m in bylines] + [m.start() for m in _LINE_START.finditer(text)]:
        dateline = _DATELINE.match(text, at)
        if dateline:
            found.append(Mention(dateline.start(1), dateline.end(1), "GPE", fixed=True))
    # A byline or dateline replaces the fragments the tagger found inside it ("Jane" of "By Jane Doe").
    outside = [m for m in mentions if not any(f.start <= m.start and m.end <= f.end for f in found)]
    free = [f for f in found if all(f.end <= m.start or f.start >= m.end for m in outside)]
    return remove_overlaps(outside + free, text, doc)


def strip_titles(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """Titles are roles, not names: "First Lady Melania Trump" → "Melania Trump" (title kept aside)."""
    for mention in mentions:
        if mention.label == "PERSON":
            _strip_title(mention, text)
    return mentions


def _strip_title(mention: Mention, text: str) -> None:
    span = mention.text(text)
    match = _TITLE_PREFIX.match(span)
    if match is None or match.end() >= len(span):
        return
    title = match.group().strip()
    if _BARE_LADY.match(match.group()) and not _FIRST_BEFORE.search(
        text[max(0, mention.start - 12) : mention.start]
    ):
        return
    if title.casefold() == "lady":
        title = "first lady"
    mention.start += match.end()
    mention.title = title.casefold()


def merge_adjacent(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """Join fragments of one name split by the tagger ("Joint Base" + "Elmendorf-Richardson")."""
    result: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, m.end)):
        previous = result[-1] if result else None
        if previous is not None and _mergeable(previous, mention, text):
            previous.end = mention.end
            continue
        result.append(mention)
    return result


def _mergeable(left: Mention, right: Mention, text: str) -> bool:
    gap = text[left.end : right.start]
    same = left.label == right.label and left.label != "NORP"
    # "Canadian Auto Workers CAW": a name and its acronym are two mentions.
    one_acronym = _is_acronym(left.text(text)) != _is_acronym(right.text(text))
    return same and not (left.fixed or right.fixed or one_acronym) and gap in (" ", "-")


def _is_acronym(name: str) -> bool:
    return name.replace(".", "").isupper() and " " not in name


def extend_adjective_tails(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """A name does not end on an adjective: "Office of the First" + "Lady" → one organisation."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if (
            span is None
            or len(span) < 2
            or mention.label in ("PERSON", "NORP")
            or not _adjective_tail(span[-1])
        ):
            continue
        nxt = span[-1].nbor() if span[-1].i + 1 < len(doc) else None
        if nxt is not None and nxt.is_title and nxt.pos_ in ("NOUN", "PROPN") and nxt.idx not in taken:
            mention.end = nxt.idx + len(nxt.text)
    return mentions


def _adjective_tail(token: Token) -> bool:
    ordinal = token.ent_type_ == "ORDINAL" or token.lower_ in _ORDINAL_WORDS
    return token.is_title and (token.pos_ == "ADJ" or ordinal)


# A model designation: "A380", "787", "737-800", "S24", "787s"; not a year ("2023") or a count ("500 jobs").
_MODEL_CODE = re.compile(
    r" ([A-Z]{1,3}-?\d{1,4}(?:-\d{1,4})?[A-Z]{0,3}s?(?![\w-])"  # lettered: A380, S24, F-35
    # bare digits, unless counting ("500 jobs") or a round index number ("FTSE 100", "S&P 500")
    r"|(?!\d00\b)\d{3}(?:-\d{1,4})?s?(?![\w-]|[,.]\d)(?! [a-z]+s\b))"
)


def model_products(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """ "Boeing" + "787", "Airbus" + "A380": a maker's name followed by a model code is one product."""
    starts = {m.start: m for m in mentions}
    result: list[Mention] = []
    for mention in mentions:
        if result and result[-1].end > mention.start:
            continue  # already merged into the product before it
        code = _MODEL_CODE.match(text, mention.end) if mention.label in ("ORG", "PRODUCT") else None
        if code is not None and _fits_model_code(code, starts, mentions):
            mention = Mention(mention.start, code.end(1), "PRODUCT")
        result.append(mention)
    return result


def _fits_model_code(code: re.Match[str], starts: dict[int, Mention], mentions: list[Mention]) -> bool:
    """The code is untagged text or a tagged product standing alone, never another name."""
    tagged = starts.get(code.start(1))
    if tagged is not None:
        return tagged.label == "PRODUCT" and tagged.end == code.end(1)
    return all(m.end <= code.start(1) or m.start >= code.end(1) for m in mentions)


def vote_labels(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """The same name gets the label the article gives it most often ("Ukrainian" NORP, not GPE once)."""
    votes: dict[str, Counter[str]] = {}
    for mention in mentions:
        votes.setdefault(surface_key(mention.text(text)), Counter())[mention.label] += 1
    for mention in mentions:
        counts = votes[surface_key(mention.text(text))].most_common()
        if len(counts) > 1 and counts[0][1] > counts[1][1]:
            mention.label = counts[0][0]
    return mentions


def first_names_are_people(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """A single word that is the first or last name of a person named in the article is that person
    ("Melania", "Starmer's office"), unless it also begins or ends a longer non-person name (Ford Motor)."""
    people = [parts for m in mentions if m.label == "PERSON" and len(parts := _key_words(m, text)) > 1]
    others = [parts for m in mentions if m.label != "PERSON" and len(parts := _key_words(m, text)) > 1]
    names = {p[0] for p in people} | {p[-1] for p in people}
    names -= {o[0] for o in others} | {o[-1] for o in others}
    for mention in mentions:
        if mention.label != "PERSON" and surface_key(mention.text(text)) in names:
            mention.label = "PERSON"
    return mentions


def _key_words(mention: Mention, text: str) -> list[str]:
    return surface_key(mention.text(text)).split()


def role_acronyms_are_people(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    for mention in mentions:
        if surface_key(mention.text(text)) in ROLE_ACRONYMS:
            mention.label = "PERSON"
    return mentions


def structural_labels(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """Last-word cues: "East Wing" is a building (or its office), "X Corp" an organisation."""
    for mention in mentions:
        last_word = mention.text(text).split()[-1].casefold()
        if mention.label in _RELABELLED and last_word in FACILITY_HEADS:
            mention.label = "ORG" if _acts_as_institution(mention, doc) else "FAC"
        elif mention.label in _RELABELLED and last_word in ORG_HEADS:
            mention.label = "ORG"
    return mentions


def _acts_as_institution(mention: Mention, doc: Doc) -> bool:
    """A building that speaks ("the White House said") or has staff ("an East Wing spokesman")."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    speaks = root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in ATTRIBUTION_LEMMAS
    staffed = root.dep_ == "compound" and root.head.lemma_.casefold() in _INSTITUTION_NOUNS
    return speaks or staffed


def remove_overlaps(mentions: list[Mention], text: str, doc: Doc) -> list[Mention]:
    """Keep spans disjoint: on a clash the longer (then earlier) span stays."""
    kept: list[Mention] = []
    spans: list[tuple[int, int]] = []  # kept (start, end), sorted: disjoint, so their ends are sorted too
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        # Only the last kept span starting before this mention ends can reach into it (bisect, not a
        # scan of every kept span: a long article has thousands).
        before_end = bisect.bisect_left(spans, (mention.end,))
        if before_end == 0 or spans[before_end - 1][1] <= mention.start:
            kept.append(mention)
            bisect.insort(spans, (mention.start, mention.end))
    return sorted(kept, key=lambda m: m.start)


REPAIRS: tuple[Repair, ...] = (
    split_lines,
    drop_non_names,
    trim,
    split_dateline_words,
    bylines_and_datelines,
    strip_titles,
    trim,
    merge_adjacent,
    extend_adjective_tails,
    model_products,
    structural_labels,
    vote_labels,
    first_names_are_people,
    role_acronyms_are_people,
    remove_overlaps,
)


def repair(doc: Doc, *, repairs: tuple[Repair, ...] = REPAIRS) -> list[Mention]:
    """spaCy's named entities of ``doc`` after every repair, in text order."""
    mentions = mentions_from_doc(doc)
    text = doc.text  # built once: Doc.text joins every token on each access
    for step in repairs:
        mentions = step(mentions, text, doc)
    return mentions
