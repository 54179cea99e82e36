"""normalize(): the Article built from a RawDocument, and the unicode/furniture/whitespace stages."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pytest

from storyline.errors import NormalizeError
from storyline.ingest.normalize import (
    furniture_stage,
    is_noise_line,
    normalize,
    unicode_stage,
    whitespace_stage,
)
from storyline.model import Article, Embed, RawDocument
from storyline.registry import registered_stages, stage
from storyline.settings import DEFAULT

SEED_HEADLINE_WORDS = 20


def seed_raw(path: Path) -> RawDocument:
    """A seed file as a reader would give it: line 1 is ` date YYYY-MM-DD <headline or lead>`."""
    data = path.read_bytes()
    first, _, body = data.decode("utf-8").partition("\n")
    match = re.match(r"\s*date (\d{4}-\d{2}-\d{2}) (.*)", first)
    assert match, f"{path} does not start with a date line"
    published, rest = match.groups()
    is_headline = len(rest.split()) <= SEED_HEADLINE_WORDS and not rest.rstrip().endswith(".")
    title = rest if is_headline else None
    text = body if is_headline else f"{rest}\n\n{body}"
    return RawDocument(origin=path.name, data=data, format="txt", text=text, title=title, published=published)


def article(text: str, **fields: object) -> Article:
    return Article(id="t", origin="test", text=text, **fields)  # type: ignore[arg-type]


def raw(text: str, **fields: object) -> RawDocument:
    return RawDocument(origin="test.txt", data=text.encode(), format="txt", text=text, **fields)  # type: ignore[arg-type]


# --- the seeds -----------------------------------------------------------------------------------------


def test_seed_000_reuters_copy(seeds_dir: Path) -> None:
    result = normalize(seed_raw(seeds_dir / "000_f539d11b3f0b5ae4.txt"))
    assert result.source == "Global Banking and Finance Review"
    assert result.wire == "Reuters"
    assert result.byline == ["Bo Erickson"]
    assert result.dateline is not None
    assert (result.dateline.place, result.dateline.date) == ("WASHINGTON", "2026-02-04")
    assert result.credits == {"reporting": ["Bo Erickson"], "editing": ["Colleen Jenkins", "Rosalba O'Brien"]}
    assert result.metadata["updated"] == "2026-02-04"
    assert result.metadata["posted"] == "2026-02-04"
    assert result.metadata["reading_minutes"] == 2
    assert result.summary is not None and result.summary.startswith("Melania Trump continues discussions")
    assert result.text.startswith("U.S. first lady Melania Trump said on Wednesday")
    for furniture in (
        "Published by",
        "Posted on",
        "min read",
        "Last updated",
        "By Bo",
        "(Reporting",
        "Reuters",
    ):
        assert furniture not in result.text
    assert result.text.endswith("Keith and Aviva Siegel.")
    assert result.text.count("\n\n") == 7  # eight paragraphs, one per body line


def test_seed_003_three_tweets_become_embeds(seeds_dir: Path) -> None:
    result = normalize(seed_raw(seeds_dir / "003_add2564ad87b768a.txt"))
    found = [(e.platform, e.author, e.handle, e.date, e.url) for e in result.embeds]
    assert found == [
        (
            "twitter",
            "Office of the First Lady",
            "FirstLadyOffice",
            "2026-02-04",
            "pic.twitter.com/ZYDJBBA77P",
        ),
        ("twitter", "Cheryl Bean for Texas", "cherylbeantx", "2025-08-17", "pic.twitter.com/gNjuDfhHxL"),
        ("twitter", "Aaron Rupar", "atrupar", "2026-02-04", "pic.twitter.com/YsdskiYfqv"),
    ]
    assert result.embeds[0].text.startswith(".@FLOTUS Melania Trump engaged")
    assert "pic.twitter.com" not in result.text
    assert not re.search(r"[—–]\s*[^\n]*\(@\w+\)", result.text)
    assert result.text.startswith("First Lady Melania Trump has revealed")
    assert "\n\n\n" not in result.text
    # Each anchor is a paragraph start, right after the paragraph that preceded the post.
    after = ["An East Wing spokesman", "Ukraine accuses Russia", "On Wednesday, Russian"]
    for embed, following in zip(result.embeds, after, strict=True):
        assert result.text[embed.anchor :].startswith(following)
        assert result.text[embed.anchor - 2 : embed.anchor] == "\n\n"


# --- the Article normalize builds -----------------------------------------------------------------------


def test_article_fields_and_hashes() -> None:
    text = "Body of the story.\n\nSecond paragraph."
    given = RawDocument(
        origin="feed.xml#3",
        data=b"<item>raw</item>",
        format="rss",
        text=text,
        title="  A   title ",
        published="2024-05-01T10:00:00+00:00",
        url="https://example.com/a",
        source="Example News",
        authors=["Jane Doe", "jane doe", "John Roe"],
        metadata={"lang": "en"},
    )
    result = normalize(given)
    assert result.title == "A title"
    assert result.published == "2024-05-01"
    assert result.metadata == {"lang": "en", "published_at": "2024-05-01T10:00:00+00:00"}
    assert result.byline == ["Jane Doe", "John Roe"]
    assert result.raw_hash == hashlib.sha256(b"<item>raw</item>").hexdigest()
    assert (result.origin, result.url, result.source) == (
        "feed.xml#3",
        "https://example.com/a",
        "Example News",
    )


def test_id_is_computed_on_the_clean_text() -> None:
    noisy = normalize(raw("Advertisement\nThe council voted on Monday.\n\n\nShare this article"))
    clean = normalize(raw("The council voted on Monday."))
    assert noisy.text == clean.text == "The council voted on Monday."
    assert noisy.id == clean.id


def test_unparseable_published_is_dropped_not_fatal(caplog: pytest.LogCaptureFixture) -> None:
    result = normalize(raw("Some text here.", published="0001-01-01"))
    assert result.published is None
    assert "E102" in caplog.text


def test_empty_after_cleaning_raises_e101() -> None:
    with pytest.raises(NormalizeError, match=r"E101 test\.txt"):
        normalize(raw("Advertisement\n\nShare this article\n\u200b"))
    with pytest.raises(NormalizeError, match="E101"):
        normalize(raw("   "))


def test_undecodable_bytes_without_text_raise_e104() -> None:
    with pytest.raises(NormalizeError, match="E104"):
        normalize(RawDocument(origin="bad.bin", data=b"\xff\xfe\xfa", format="txt"))
    assert (
        normalize(RawDocument(origin="ok.txt", data="Caf\u00e9 opens.".encode(), format="txt")).text
        == "Café opens."
    )


def test_stage_failure_becomes_normalize_error() -> None:
    @stage("test-broken.v1")
    def broken(article: Article) -> Article:
        raise ValueError("boom")

    settings = replace(DEFAULT, normalize=("unicode.v1", "test-broken.v1"))
    with pytest.raises(NormalizeError, match=r"E103 test\.txt.*boom"):
        normalize(raw("Some text."), settings=settings)


def test_stages_are_registered_under_their_names() -> None:
    assert set(DEFAULT.normalize) <= set(registered_stages())


def test_only_the_configured_stages_run() -> None:
    settings = replace(DEFAULT, normalize=("whitespace.v1",))
    assert normalize(raw("Advertisement\nText."), settings=settings).text == "Advertisement\n\nText."


# --- unicode.v1 -----------------------------------------------------------------------------------------


def test_unicode_nfc_and_invisible_characters() -> None:
    text = "Cafe\u0301 soft\u00adhyphen zero\u200bwidth\ufeff ctrl\x07 nbsp\u00a0here\r\nnext\u2028line"
    assert unicode_stage(article(text)).text == "Café softhyphen zerowidth ctrl nbsp here\nnext\nline"


def test_unicode_keeps_curly_quotes_and_emoji_joiners() -> None:
    text = "She said, “I’m here.” ‘Yes’ 👩\u200d💻"
    assert unicode_stage(article(text)).text == text


# --- furniture.v1 ---------------------------------------------------------------------------------------


def test_furniture_facts_move_to_fields() -> None:
    text = (
        "Published by Example Review\nPosted on March 3, 20245 min read\nLast updated: March 4, 2024\n"
        "The mayor resigned on Sunday.\nCopyright © 2024 Example Review. All rights reserved."
    )
    result = furniture_stage(article(text))
    assert result.text.strip() == "The mayor resigned on Sunday."
    assert result.source == "Example Review"
    assert result.published == "2024-03-03"
    assert result.metadata == {
        "posted": "2024-03-03",
        "reading_minutes": 5,
        "updated": "2024-03-04",
        "copyright": "Copyright © 2024 Example Review. All rights reserved.",
    }


def test_publisher_line_goes_to_metadata_when_source_is_known() -> None:
    result = furniture_stage(article("Published by Other Outlet\nText.", source="Known"))
    assert (result.source, result.metadata["publisher"]) == ("Known", "Other Outlet")


def test_posted_date_does_not_override_a_known_publication_date() -> None:
    result = furniture_stage(article("Posted on January 2, 2020\nText.", published="2020-01-03"))
    assert result.published == "2020-01-03"


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "ADVERTISEMENT",
        "Story Continued Below",
        "Advertisement Continue reading the main story",
        "Sign up for Daily Newsletters Manage Newsletters",
        "CLICK HERE TO GET THE FOX NEWS APP",
        "Read more: Why the vote matters",
        "Related: Senate passes the bill",
        "Follow @KellySKennedy on Twitter.",
        "- Follow the Ticker on Twitter: @PoliticalTicker",
        "Click to share on Twitter (Opens in new window)",
        "LISTEN TO ARTICLE 0:00 SHARE THIS ARTICLE Share Tweet Post Email",
        "Slideshow (14 Images)",
        "Photo: Jane Doe/Getty Images",
        "(Photo by Chip Somodevilla/Getty Images)",
        "Image copyright Getty Images",
        "***",
        "This article is more than 2 years old",
        "FILE - In this July 11, 2019, file photo, a man walks. (AP Photo/Evan Vucci)",
        "A man walks in Washington, U.S., June 20, 2017. REUTERS/Aaron P. Bernstein/File Photo",
    ],
)
def test_noise_lines(line: str) -> None:
    assert is_noise_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Follow the money, the prosecutor told the jury.",
        "Subscribers to the service complained about the outage for weeks.",
        "Read the statement, she said, and decide for yourself whether it holds up.",
        "The photo shows the senator at the rally.",
        "Advertisement revenue fell 12 percent last year as the company lost readers to rivals and TV.",
        "Click said the policy was a mistake.",
        "Sign language interpreters stood beside the governor at every briefing during the storm, "
        "and viewers praised them for their clarity and calm under pressure, officials said.",
    ],
)
def test_prose_is_not_furniture(line: str) -> None:
    assert not is_noise_line(line)
    assert furniture_stage(article(line)).text == line


def test_standfirst_between_headline_and_byline_becomes_summary() -> None:
    text = "A short dek that sums up the story.\nBy Jane Doe\nLONDON (Reuters) - The body starts.\nMore."
    result = furniture_stage(article(text))
    assert result.summary == "A short dek that sums up the story."
    assert result.text.strip().startswith("By Jane Doe")


def test_no_standfirst_without_a_byline() -> None:
    text = "The first paragraph of the story.\nThe second paragraph.\nThe third."
    result = furniture_stage(article(text))
    assert result.summary is None
    assert result.text == text


def test_repeated_headline_is_removed() -> None:
    result = furniture_stage(
        article(
            "Poll: Colleges Won't Make You Happier\n\nThe body.",
            title="Poll: Colleges Won’t Make You Happier",
        )
    )
    assert result.text.strip() == "The body."


# --- whitespace.v1 --------------------------------------------------------------------------------------


def test_whitespace_paragraphs_and_spaces() -> None:
    text = "\n\n  First  para\tgraph.  \n\n\n\nSecond one.\nThird one.\n \n"
    assert whitespace_stage(article(text)).text == "First para graph.\n\nSecond one.\n\nThird one."


def test_whitespace_joins_hard_wrapped_lines() -> None:
    text = "This sentence was wrapped by an old mail client at about sixty\ncharacters, and goes on."
    assert whitespace_stage(article(text)).text == text.replace("\n", " ")


def test_whitespace_moves_embed_anchors() -> None:
    text = "  One.\n\n\n\n\nTwo   words.\n\n\nThree."
    given = article(text, embeds=[Embed(platform="twitter", text="x", anchor=text.index("Two"))])
    given.embeds.append(Embed(platform="twitter", text="y", anchor=text.index("Three")))
    result = whitespace_stage(given)
    assert result.text == "One.\n\nTwo words.\n\nThree."
    assert [result.text[e.anchor :][:3] for e in result.embeds] == ["Two", "Thr"]


# --- real data (slow) -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_allsides_articles_normalise_without_losing_prose() -> None:
    import gzip
    import json

    from tests.conftest import shared_data

    path = shared_data("allsides") / "allsides_articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in zip(range(300), lines, strict=False):
            record = json.loads(line)
            text = record["content_original"]
            given = raw(text, title=record["title"], published=record["date"] or None)
            result = normalize(given)
            # Furniture and credits are a small share of any real article; embeds are kept aside.
            kept = result.word_count + sum(len(e.text.split()) for e in result.embeds)
            assert kept >= 0.7 * len(text.split()), f"allsides record {number} lost too much"
