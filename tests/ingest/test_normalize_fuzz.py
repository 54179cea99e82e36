"""Property tests: arbitrary news-like text never breaks normalisation or its invariants."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import NormalizeError
from storyline.ingest.dateline import dateline_stage
from storyline.ingest.embeds import embeds_stage
from storyline.ingest.normalize import furniture_stage, normalize, unicode_stage, whitespace_stage
from storyline.model import Article, RawDocument

FRAGMENTS = [
    "Advertisement",
    "Published by Example Review",
    "Posted on February 4, 20262 min read",
    "Last updated: February 4, 2026",
    "By Bo Erickson",
    "By Jane Doe | Reuters",
    "WASHINGTON, Feb 4 (Reuters) - ",
    "PARIS (AFP) — ",
    "(Bloomberg) -- ",
    "(Reporting by Bo Erickson; Editing by Colleen Jenkins and Rosalba O'Brien)",
    "The Associated Press contributed to this report.",
    "pic.twitter.com/ZYDJBBA77P",
    "https://t.co/abc123",
    "— Office of the First Lady (@FirstLadyOffice) February 4, 2026",
    "– Jane (@jane.bsky.social) Jan 5, 2025 at 10:31 AM",
    "A post shared by Jane Doe (@janedoe) on Jun 2, 2019 at 10:05am PDT",
    "Posted by Franklin Graham on Friday, May 22, 2015",
    "♬ original sound - x",
    "youtu.be",
    "Copyright © 2024 Example Review. All rights reserved.",
    "Sign up for our newsletter",
    "She said, “I’m working on it.”",
    "It’s Putin's team -- and the Kremlin’s.",
    "U.S. first lady Melania Trump said on Wednesday she remains in contact.",
    "\u00a0",
    "\u200b",
    "\u00ad",
    "\r\n",
    "\t",
    "e\u0301",
    "\u0958",
    "***",
]
SEPARATORS = ["", " ", "\n", "\n\n", "\n\n\n\n", " — "]

news_text = st.lists(
    st.tuples(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), st.sampled_from(SEPARATORS)),
    max_size=14,
).map(lambda parts: "".join(fragment + separator for fragment, separator in parts))
published = st.one_of(
    st.none(), st.sampled_from(["2026-02-05", "2020-01-01T09:00:00Z", "7/23/17", "0001-01-01", "x"])
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def article(text: str) -> Article:
    return Article(id="t", origin="fuzz", text=text, published="2026-02-05")


@FUZZ
@given(text=news_text, date=published)
def test_normalize_returns_an_article_or_raises_normalize_error(text: str, date: str | None) -> None:
    raw = RawDocument(
        origin="fuzz", data=text.encode("utf-8", "surrogatepass"), format="txt", text=text, published=date
    )
    try:
        result = normalize(raw)
    except NormalizeError as exc:
        assert str(exc).startswith("E1")
        return
    assert isinstance(result, Article)
    assert result.text.strip() == result.text != ""
    assert "\n\n\n" not in result.text
    for embed in result.embeds:
        assert 0 <= embed.anchor <= len(result.text)


@FUZZ
@given(text=news_text)
def test_stages_never_lengthen_the_text(text: str) -> None:
    for stage in (furniture_stage, embeds_stage, dateline_stage):
        assert len(stage(article(text)).text) <= len(text)
    # NFC itself may expand a few characters (composition exclusions such as U+0958).
    assert len(unicode_stage(article(text)).text) <= len(unicodedata.normalize("NFC", text))


@FUZZ
@given(text=news_text)
def test_whitespace_only_changes_whitespace_and_is_idempotent(text: str) -> None:
    once = whitespace_stage(article(text)).text
    assert once.split() == text.split()
    # The only growth allowed: a lone line break that ends a paragraph becomes a blank line.
    assert len(once) <= len(text) + text.count("\n")
    assert whitespace_stage(article(once)).text == once


@FUZZ
@given(text=news_text)
def test_embed_anchors_stay_in_bounds_through_every_stage(text: str) -> None:
    current = article(text)
    for stage in (unicode_stage, furniture_stage, embeds_stage, dateline_stage, whitespace_stage):
        current = stage(current)
        for embed in current.embeds:
            assert 0 <= embed.anchor <= len(current.text)
