"""Robustness of the whole per-article chain: no stage raises on any text the foundation accepts,
and every annotation's offsets slice ``article.text`` to exactly its ``text``.

The chain is every stage of ``DEFAULT.nlp`` in order (``registry.Pipeline``) after the shared parse
(``attach_docs``), as ``nlp.run.annotate`` runs it. Hypothesis draws news-like fragments (names,
numbers, dates, quote marks of every style, datelines, emoji, RTL scripts, odd whitespace) and
arbitrary Unicode; explicit cases cover the shapes the issue names (empty, whitespace, no
sentences, all caps, number tables, only quote marks, one very long line, a 1 MB article).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.model import ANNOTATION_TYPES, Article
from storyline.nlp.pipeline import MAX_PIECE_CHARS, attach_docs, load_model
from storyline.nlp.run import annotate
from storyline.registry import Pipeline
from storyline.settings import DEFAULT

FRAGMENTS = [
    "WASHINGTON (Reuters) -",
    "Melania Trump",
    "President Biden",
    "the first lady",
    "she",
    "he",
    "said",
    "told reporters",
    "according to",
    "Ukraine",
    "the U.S.",
    "NATO",
    "at least",
    "nearly",
    "1,200",
    "19,000 children",
    "twenty-five",
    "hundreds of",
    "$4 billion",
    "3.5%",
    "between 10 and 20",
    "last August",
    "on Wednesday",
    "two weeks ago",
    "2024-05-01",
    "in 1999",
    "next year",
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    "«",
    "»",
    "„",
    ",",
    ".",
    "?",
    "!",
    ":",
    ";",
    "—",
    "-",
    "(",
    ")",
    "\n",
    "\n\n",
    "\t",
    "\u00a0",
    "\u200b",
    "😀",
    "🇺🇦",
    "👩‍👩‍👧",
    "مرحبا بالعالم",
    "שלום עולם",
    "Привет",
    "@user",
    "https://example.com/a?b=1",
    "|",
    "SAID",
    "TOLD",
    "OFFICIALS",
]

news_like = st.lists(st.sampled_from(FRAGMENTS), max_size=60).flatmap(
    lambda parts: st.sampled_from([" ", ""]).map(lambda sep: sep.join(parts))
)
any_text = st.text(max_size=300)
published = st.one_of(st.none(), st.sampled_from(["2024-05-01", "2024-02-29", "0001-01-01", "9999-12-31"]))


def _article(text: str, *, published: str | None = "2024-05-01") -> Article:
    return Article(id="prop", origin="test#prop", text=text, published=published)


def run_chain(article: Article) -> Article:
    attach_docs([article])
    result = Pipeline(DEFAULT.nlp)(article)
    assert isinstance(result, Article)
    return result


def check_offsets(article: Article) -> None:
    text = article.text
    for name in ANNOTATION_TYPES:
        for item in getattr(article, name):
            assert 0 <= item.start < item.end <= len(text), (name, item)
            assert text[item.start : item.end] == item.text, (name, item)
    for quote in article.quotes:
        _check_optional_span(text, quote.speaker_start, quote.speaker_end, quote.speaker_text)
        _check_optional_span(text, quote.cue_start, quote.cue_end, quote.cue)


def _check_optional_span(text: str, start: int | None, end: int | None, value: str | None) -> None:
    if start is None:
        return
    assert end is not None and 0 <= start <= end <= len(text)
    assert text[start:end] == value


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(news_like, any_text), date=published)
def test_chain_never_raises_and_offsets_slice_the_text(text: str, date: str | None) -> None:
    check_offsets(run_chain(_article(text, published=date)))


LEAD = (
    "KYIV (Reuters) - Ukraine said on Tuesday that at least 19,000 children had been deported since "
    'February 2022. "We will bring every one of them home," President Volodymyr Zelenskiy told reporters.'
)

EXPLICIT = {
    "empty": "",
    "whitespace only": " \n\t\u00a0\n\n   ",
    "no sentences": "... ,,, ;; 12 34 -- !!! ??? ... 5 6 7 %%% $$$",
    "all caps": (
        "WASHINGTON (AP) — THE SENATE VOTED 52-48 ON TUESDAY TO CONFIRM THE NOMINEE, "
        'SEN. JOHN THUNE SAID. "WE GOT IT DONE," HE TOLD REPORTERS LAST WEEK.\n\n' * 5
    ),
    "table of numbers": "\n".join(
        " | ".join(f"{row * col * 1.5:,.2f}" for col in range(1, 9)) for row in range(1, 60)
    ),
    "only quote marks": '""" “”“” ‘’‘’ \'\' «» „“ ” “ " \' ’',
    "emoji and RTL scripts": (
        "🇺🇦😀 مرحبا بالعالم، قال الرئيس يوم الثلاثاء. שלום עולם, אמר השר. "
        "The minister said 👩‍👩‍👧 “شكرا” on Monday.\n\n‏Arabic‏ and ‎LTR‎ marks."
    ),
    "unbalanced quotes": (
        '"This quote never ends, she said. And “this one neither. He said ‘maybe. '
        "The end” came “ early” ” on Friday.\n\n“Paragraph continuation\n\n“Another"
    ),
    "lone surrogate-free odd whitespace": "\u2028\u2029\u000b\u000c\u0085 said \u3000 twenty \r\n five",
}


@pytest.mark.parametrize("text", list(EXPLICIT.values()), ids=list(EXPLICIT))
def test_explicit_shapes(text: str) -> None:
    check_offsets(run_chain(_article(text)))


def test_very_long_single_line_is_parsed_in_pieces() -> None:
    # No newline at all, longer than one parse piece: cut at sentence ends, offsets still exact.
    sentences = itertools.cycle([LEAD, "Prices rose 4% in March.", "Officials in Kyiv declined to comment."])
    text = ""
    while len(text) <= MAX_PIECE_CHARS + 5_000:
        text += next(sentences) + " "
    (result,) = list(annotate([_article(text)]))
    assert isinstance(result, Article)
    check_offsets(result)
    assert result.quantities[-1].start > MAX_PIECE_CHARS  # the pieces after the first were annotated


def test_one_megabyte_article_over_spacy_max_length() -> None:
    # Over spaCy's default max_length (1,000,000 characters). Mostly long tokens (a scraped data
    # blob) so the test stays fast; news paragraphs at both ends and a 300 KB line with no spaces.
    prose = "\n\n".join([LEAD] * 40)
    blob_line = " ".join(f"https://cdn.example.com/assets/{n:08d}/image-{n:08d}.jpg" for n in range(12_000))
    no_spaces = "x" * 300_000
    text = "\n\n".join([prose, blob_line, no_spaces, prose])
    assert len(text) > load_model().max_length
    (result,) = list(annotate([_article(text)]))
    assert isinstance(result, Article)
    check_offsets(result)
    assert result.quotes[-1].start > len(text) - len(prose)  # the last paragraphs were annotated too
