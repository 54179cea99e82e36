"""The ``quantities.v1`` stage: counts, amounts, percentages and money, with their unit and modifier.

Reads the shared spaCy parse and scans it left to right. At each token it tries to read a numeric
*core* (digits, number words, a vague plural such as "hundreds", or "a record number"), then looks
left for a modifier ("at least", "nearly", "an estimated" ...) and right for the unit ("%",
"dollars", "of its children", "ballistic missiles"). Numbers that belong to dates, times, ages,
hyphenated durations ("four-year-old"), ordinals, phone numbers or names ("Air Force One") are
not quantities and are skipped.

Conventions (also in ``numbers``):

- ``value`` is the number as a float; for a range or a vague plural it is the low end and
  ``value_max`` the high end ("hundreds of drones" → 100 to 999, ``approximate=True``).
- ``modifier`` is the lowercased phrase as written ("at least", "more than", "record"). Bounds
  ("at least", "more than", "up to") are exact statements about a bound, so ``approximate`` stays
  False; hedges ("about", "nearly", "an estimated") set it.
- ``unit`` is the counted noun as written, lowercased ("children", "days"), or a code for money
  ("USD") and "percent". "seven of them" takes the unit of the nearest earlier quantity, or the
  nearest earlier plural noun, and keeps "them" when there is none.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Article, Quantity
from ..registry import stage
from .numbers import (
    SCALES,
    VAGUE_PLURALS,
    is_number_word,
    parse_digits,
    parse_digits_with_suffix,
    parse_words,
    vague_range,
)
from .pipeline import get_doc

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Longest first, so "no more than" wins over "more than".
MODIFIERS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(phrase.split())
            for phrase in (
                "at least",
                "at most",
                "at or below",
                "at or above",
                "as low as",
                "as high as",
                "plus or minus",
                "more than",
                "fewer than",
                "less than",
                "no more than",
                "no fewer than",
                "no less than",
                "up to",
                "as many as",
                "as few as",
                "as much as",
                "close to",
                "upwards of",
                "just over",
                "just under",
                "well over",
                "an estimated",
                "estimated",
                "about",
                "around",
                "nearly",
                "almost",
                "over",
                "under",
                "some",
                "roughly",
                "approximately",
                "a record",
                "record",
            )
        ),
        key=len,
        reverse=True,
    )
)
APPROXIMATE_MODIFIERS = frozenset(
    {"about", "around", "nearly", "almost", "some", "roughly", "approximately", "an estimated", "estimated"}
    | {"close to", "or so", "plus or minus"}
)
CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₴": "UAH", "₽": "RUB"}
CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "yen": "JPY"}
PERCENT_WORDS = {"%": "percent", "percent": "percent", "pct": "percent"}
TIME_UNITS = frozenset(
    [
        "second",
        "seconds",
        "minute",
        "minutes",
        "hour",
        "hours",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "decade",
        "decades",
    ]
)
MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
    ]
)
CLOCK_WORDS = frozenset(
    [
        "a.m.",
        "p.m.",
        "a.m",
        "p.m",
        "am",
        "pm",
        "gmt",
        "utc",
        "et",
        "est",
        "edt",
        "pst",
        "pdt",
        "bst",
        "cet",
        "o'clock",
        "hrs",
    ]
)
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "NORP", "LOC"}
)
ANAPHORS = frozenset({"them", "those", "these", "us", "whom", "which"})
NUMBER_MARKERS = frozenset({"no.", "no", "#", "number", "aged", "age", "ages"})
_PHONE = re.compile(r"\(?\b\d{3}\)?[-.\s]\d{3}[-.]\d{4}\b|\b\d{3}-\d{4}\b")
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
# Words that open a core besides numerals and number words: "a record number", "record numbers",
# "a dozen"/"a million", vague plurals ("hundreds", "tens of thousands").
_CORE_OPENING_WORDS = frozenset({"a", "record", "tens", *VAGUE_PLURALS})


@dataclass(slots=True)
class _Core:
    """The number itself: token range [start, end) and what it is worth."""

    start: int
    end: int
    value: float | None
    value_max: float | None = None
    approximate: bool = False
    unit: str | None = None
    modifier: str | None = None
    numeric: bool = True  # False for vague plurals and "a record number"


@stage("quantities.v1", assigns=("quantities",))
def quantities_stage(article: Article) -> Article:
    article.quantities = find_quantities(get_doc(article))
    return article


def find_quantities(doc: Doc) -> list[Quantity]:
    """Every quantity in ``doc``, in text order, offsets into ``doc.text``."""
    text = doc.text  # built once: Doc.text joins every token on each access
    blocked = _phone_spans(text)
    found: list[Quantity] = []
    index = 0
    for start in _core_starts(doc):
        if start < index:
            continue  # inside a quantity already read or excluded
        core = _read_core(doc, start)
        if core is None or _is_excluded(doc, core, blocked):
            index = core.end if core is not None else start + 1
            continue
        quantity, next_index = _complete(doc, core, found)
        found.append(quantity)
        index = max(next_index, start + 1)
    return _share_units(text, found)


def _core_starts(doc: Doc) -> list[int]:
    # Only these tokens can open a core (see the _read_* functions); trying every token with all
    # the readers cost more than the rest of the stage together.
    return [token.i for token in doc if _may_open_core(token.text, token.lower_)]


def _may_open_core(text: str, lower: str) -> bool:
    return (
        lower in _CORE_OPENING_WORDS
        or text in CURRENCY_SIGNS
        or any(char.isdigit() for char in lower)
        or is_number_word(lower)
    )


# -- reading the number -----------------------------------------------------------------


def _read_core(doc: Doc, i: int) -> _Core | None:
    return _read_record(doc, i) or _read_vague(doc, i) or _read_money(doc, i) or _read_range(doc, i)


def _read_record(doc: Doc, i: int) -> _Core | None:
    # "a record number of X": a superlative claim without a value.
    words = [t.lower_ for t in doc[i : i + 3]]
    if words == ["a", "record", "number"] or words[:2] == ["record", "numbers"]:
        end = i + (3 if words[0] == "a" else 2)
        return _Core(i, end, None, modifier="record", numeric=False)
    return None


def _read_vague(doc: Doc, i: int) -> _Core | None:
    for length in (3, 1):
        words = [t.text for t in doc[i : i + length]]
        bounds = vague_range(words) if len(words) == length else None
        if bounds is not None:
            return _Core(i, i + length, bounds[0], bounds[1], approximate=True, numeric=False)
    return None


def _read_money(doc: Doc, i: int) -> _Core | None:
    code = CURRENCY_SIGNS.get(doc[i].text)
    if code is None or i + 1 >= len(doc):
        return None
    core = _read_range(doc, i + 1, lead=i)
    if core is None:
        suffixed = parse_digits_with_suffix(doc[i + 1].text)
        core = _Core(i + 1, i + 2, suffixed) if suffixed is not None else None
    if core is None:
        return None
    core.start, core.unit = i, code
    return core


def _read_range(doc: Doc, i: int, *, lead: int | None = None) -> _Core | None:
    # "10-20", "10 to 20", "between 10 and 20", "between $15 and $19", "3.5% and 4%": one quantity
    # with value and value_max. ``lead`` is where the expression starts (a currency sign).
    low = _read_number(doc, i)
    if low is None:
        return None
    link_at = low.end + (1 if low.end < len(doc) and doc[low.end].text == "%" else 0)
    begin = i if lead is None else lead
    between = begin > 0 and doc[begin - 1].lower_ == "between"
    if link_at + 1 >= len(doc) or not _is_range_link(doc[link_at].lower_, between=between):
        return low
    high_at = link_at + 1 + (1 if doc[link_at + 1].text in CURRENCY_SIGNS else 0)
    high = _read_number(doc, high_at) if high_at < len(doc) else None
    if high is None or low.value is None or high.value is None or not low.value < high.value:
        return low
    low.end, low.value_max = high.end, high.value
    low.modifier = "between" if between else None
    return low


def _is_range_link(word: str, *, between: bool) -> bool:
    return word in {"-", "–", "—", "to"} or (word == "and" and between)


def _read_number(doc: Doc, i: int) -> _Core | None:
    token = doc[i]
    digits = parse_digits(token.text)
    if digits is not None:
        end = i + 1
        while end < len(doc) and doc[end].lower_ in SCALES and doc[end].lower_ != "hundred":
            digits *= SCALES[doc[end].lower_]
            end += 1
        return _Core(i, end, digits)
    return _read_number_words(doc, i)


def _read_number_words(doc: Doc, i: int) -> _Core | None:
    end = i
    while end < len(doc) and _continues_words(doc, i, end):
        end += 1
    while end > i and doc[end - 1].lower_ in {"and", "-", "a"}:
        end -= 1
    if end == i:
        return None
    value = parse_words([t.text for t in doc[i:end] if t.text != "-"])
    return _Core(i, end, value) if value is not None else None


def _continues_words(doc: Doc, first: int, j: int) -> bool:
    token = doc[j]
    lower = token.lower_
    if parse_words([lower]) is not None and parse_digits(lower) is None:
        return True
    if j == first:
        return lower == "a" and j + 1 < len(doc) and doc[j + 1].lower_ in {*SCALES, "dozen"}
    joined_hyphen = lower == "-" and not doc[j - 1].whitespace_
    joined_and = lower == "and" and doc[j - 1].lower_ in SCALES
    return (joined_hyphen or joined_and) and j + 1 < len(doc) and parse_words([doc[j + 1].lower_]) is not None


# -- what is not a quantity -------------------------------------------------------------


def _is_excluded(doc: Doc, core: _Core, blocked: Sequence[tuple[int, int]]) -> bool:
    if not core.numeric:
        return False
    tokens = doc[core.start : core.end]
    return (
        _overlaps(tokens, blocked)
        or _in_name(tokens)
        or _is_date_or_time(doc, core)
        or _is_hyphen_duration(doc, core.end)
        or _is_marker_or_age(doc, core)
        or _is_pronoun_one(doc, core)
        or _is_relative_date(doc, core.end)
    )


def _phone_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PHONE.finditer(text)]


def _overlaps(tokens: Span, blocked: Sequence[tuple[int, int]]) -> bool:
    start, end = tokens.start_char, tokens.end_char
    return any(s < end and start < e for s, e in blocked)


def _in_name(tokens: Span) -> bool:
    # "Air Force One", "Apollo 11", "Boeing 737": a number that is part of a name.
    first = tokens[0]
    if any(
        t.ent_type_ in NAME_LABELS or t.ent_type_ == "ORDINAL" for t in tokens if t.text not in CURRENCY_SIGNS
    ):
        return True
    previous = first.nbor(-1) if first.i > 0 else None
    capital_word = first.text[:1].isupper() and not first.is_sent_start and not first.is_digit
    after_name = previous is not None and previous.pos_ == "PROPN" and not previous.is_sent_start
    return capital_word or (after_name and first.is_digit and not _next_is_noun(tokens))


def _next_is_noun(tokens: Span) -> bool:
    doc = tokens.doc
    return tokens.end < len(doc) and doc[tokens.end].pos_ == "NOUN"


def _is_date_or_time(doc: Doc, core: _Core) -> bool:
    before = doc[core.start - 1].lower_ if core.start > 0 else ""
    after = doc[core.end].lower_ if core.end < len(doc) else ""
    text = doc[core.start : core.end].text
    if before in MONTHS or after in MONTHS or after in CLOCK_WORDS or ":" in text:
        return True
    year_like = _YEAR.fullmatch(text) is not None
    return year_like and not (core.end < len(doc) and doc[core.end].tag_ == "NNS")


def _is_hyphen_duration(doc: Doc, end: int) -> bool:
    # "four-year-old war", "a 10-day trip": durations belong to the timex stage.
    return (
        end + 1 < len(doc)
        and doc[end].text in {"-", "–"}
        and not doc[end - 1].whitespace_
        and doc[end + 1].lower_ in TIME_UNITS
    )


def _is_relative_date(doc: Doc, end: int) -> bool:
    # "two weeks ago", "ten days later": a date for the timex stage, not an amount.
    words = [t.lower_ for t in doc[end : end + 2]]
    return len(words) == 2 and words[0] in TIME_UNITS and words[1] in {"ago", "earlier", "later"}


def _is_marker_or_age(doc: Doc, core: _Core) -> bool:
    before = doc[core.start - 1] if core.start > 0 else None
    if before is None:
        return False
    if before.lower_ in NUMBER_MARKERS:
        return True
    # "Keith Siegel, 65, said": an age in apposition to a name.
    after = doc[core.end].text if core.end < len(doc) else ""
    before_name = doc[core.start - 2] if core.start > 1 else None
    return (
        before.text == "," and after in {",", ")"} and before_name is not None and before_name.pos_ == "PROPN"
    )


def _is_pronoun_one(doc: Doc, core: _Core) -> bool:
    # "no one", "one of the most ...", "the one": "one" counts only when it directly counts a noun.
    if doc[core.start].lower_ != "one" or core.end - core.start != 1:
        return False
    return not _next_is_noun(doc[core.start : core.end])


# -- modifier and unit -------------------------------------------------------------------


def _complete(doc: Doc, core: _Core, earlier: list[Quantity]) -> tuple[Quantity, int]:
    start, modifier = _left_modifier(doc, core)
    core.end, suffix = _right_modifier(doc, core.end)  # "100 or so miles"
    end, unit = _unit(doc, core, earlier)
    if suffix is None:
        end, suffix = _right_modifier(doc, end)  # "3,000 homes or more"
    modifier = core.modifier or modifier or suffix
    approximate = core.approximate or modifier in APPROXIMATE_MODIFIERS
    span = doc[start:end]
    quantity = Quantity(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        value=core.value,
        unit=unit,
        modifier=modifier,
        approximate=approximate,
        value_max=core.value_max,
    )
    return quantity, end


def _left_modifier(doc: Doc, core: _Core) -> tuple[int, str | None]:
    start = core.start - (1 if core.modifier == "between" else 0)
    for phrase in MODIFIERS:
        begin = start - len(phrase)
        if begin >= 0 and tuple(t.lower_ for t in doc[begin:start]) == phrase:
            return begin, " ".join(phrase).removeprefix("a ")
    return start, None


def _right_modifier(doc: Doc, end: int) -> tuple[int, str | None]:
    words = tuple(t.lower_ for t in doc[end : end + 2])
    if words in {("or", "more"), ("or", "so")}:
        return end + 2, " ".join(words)
    return end, None


def _unit(doc: Doc, core: _Core, earlier: list[Quantity]) -> tuple[int, str | None]:
    """Where the quantity ends and its unit, looking right of the number."""
    end = core.end
    if end >= len(doc):
        return end, core.unit
    word = doc[end].lower_
    if word in PERCENT_WORDS:
        return end + 1, "percent"
    if word == "per" and end + 1 < len(doc) and doc[end + 1].lower_ == "cent":
        return end + 2, "percent"
    if word in CURRENCY_WORDS and core.unit is None:
        return end + 1, CURRENCY_WORDS[word]
    if core.unit is not None:
        return end, core.unit
    if word == "of":
        return _unit_after_of(doc, core, earlier)
    if word in {"-", "–"} and not doc[end - 1].whitespace_ and end + 1 < len(doc):
        return end + 2, doc[end + 1].lower_  # "an 11-point lead": the unit is the hyphenated word
    head = _noun_run_head(doc, end)
    return (head + 1, doc[head].lower_) if head is not None else (end, None)


def _unit_after_of(doc: Doc, core: _Core, earlier: list[Quantity]) -> tuple[int, str | None]:
    i = core.end + 1
    while i < len(doc) and (doc[i].pos_ == "DET" or doc[i].tag_ == "PRP$"):
        i += 1
    if i < len(doc) and doc[i].lower_ in ANAPHORS:
        return i + 1, _antecedent(doc, i, earlier) or doc[i].lower_
    if i < len(doc) and doc[i].like_num:
        # "19 of its 20 counties": the span stops at "19", the unit is the one counted next.
        head = _noun_run_head(doc, i + 1)
        return core.end, doc[head].lower_ if head is not None else None
    head = _noun_run_head(doc, i)
    return (head + 1, doc[head].lower_) if head is not None else (core.end, None)


def _noun_run_head(doc: Doc, i: int, *, limit: int = 5) -> int | None:
    """The last common noun of the noun phrase starting at ``i`` ("freed Israeli American hostages")."""
    head = None
    for j in range(i, min(i + limit, len(doc))):
        token = doc[j]
        if token.pos_ == "NOUN" and token.tag_ in {"NN", "NNS"}:
            head = j
        elif not (
            token.pos_ in {"ADJ", "PROPN"}
            or token.tag_ == "VBN"
            or token.text == "-"
            or _adverb_of_adj(token)
        ):
            break
        if head is not None and not (j + 1 < len(doc) and doc[j + 1].pos_ == "NOUN"):
            break
    return head


def _inside_noun_phrase(token: Token) -> bool:
    return token.pos_ in {"ADJ", "PROPN"} or token.tag_ == "VBN" or token.text == "-" or _adverb_of_adj(token)


def _adverb_of_adj(token: Token) -> bool:
    # "closely contested races": an adverb inside the noun phrase, modifying the next adjective.
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return (
        token.pos_ == "ADV" and following is not None and (following.pos_ == "ADJ" or following.tag_ == "VBN")
    )


def _antecedent(doc: Doc, i: int, earlier: list[Quantity]) -> str | None:
    """The plural noun "them" stands for: an earlier quantity's unit, else an earlier plural noun."""
    sentence = doc[i].sent
    window_start = doc[sentence.start - 1].sent.start_char if sentence.start > 0 else 0
    for quantity in reversed(earlier):
        if quantity.start >= window_start and quantity.unit and quantity.unit not in {"percent", "USD"}:
            return quantity.unit
    for j in range(i - 1, -1, -1):
        if doc[j].idx < window_start:
            break
        if doc[j].tag_ == "NNS":
            return doc[j].lower_
    return None


def _share_units(text: str, quantities: list[Quantity]) -> list[Quantity]:
    # "51 and 484 days": the first number counts the same unit as the second.
    for first, second in itertools.pairwise(quantities):
        link = text[first.end : second.start].strip().lower()
        if first.unit is None and second.unit and link in {"and", "or", ",", "to"}:
            first.unit = second.unit
    return quantities
