"""embeds.v1: social posts cut out of the body, and apply_edits keeping anchors in place."""

from __future__ import annotations

import pytest

from storyline.ingest.edits import apply_edits, line_spans
from storyline.ingest.embeds import embeds_stage, find_posts, platform_of, post_url
from storyline.model import Article, Embed


def article(text: str) -> Article:
    return Article(id="t", origin="test", text=text)


def only_embed(text: str) -> tuple[Article, Embed]:
    result = embeds_stage(article(text))
    assert len(result.embeds) == 1, result.embeds
    return result, result.embeds[0]


@pytest.mark.parametrize("dash", ["—", "–", "--", "-"])
def test_tweet_signature_with_any_dash(dash: str) -> None:
    post = (
        f".@FLOTUS met @WhiteHouse staff. pic.twitter.com/ZYDJ {dash} Office (@FirstLadyOffice) Feb 4, 2026"
    )
    text = f"Before.\n\n{post}\n\nAfter."
    result, embed = only_embed(text)
    assert (embed.platform, embed.author, embed.handle, embed.date) == (
        "twitter",
        "Office",
        "FirstLadyOffice",
        "2026-02-04",
    )
    assert embed.text == ".@FLOTUS met @WhiteHouse staff."
    assert embed.url == "pic.twitter.com/ZYDJ"
    assert result.text == "Before.\n\n\n\nAfter."
    assert result.text[: embed.anchor] == "Before.\n\n"  # where the post stood


def test_tweet_with_tco_and_status_links_prefers_the_status_url() -> None:
    text = "Read this https://t.co/abc https://twitter.com/jdoe/status/123 — Jane Doe (@jdoe) March 6, 2016"
    _, embed = only_embed(text)
    assert embed.url == "https://twitter.com/jdoe/status/123"
    assert embed.text == "Read this"


def test_lone_signature_takes_the_previous_line_as_the_post() -> None:
    signature = "— Donald J. Trump (@realDonaldTrump) January 19, 2019"
    text = f"Lead paragraph.\n\nFake News is truly the ENEMY!\n\n{signature}\n\nNext."
    result, embed = only_embed(text)
    assert embed.text == "Fake News is truly the ENEMY!"
    assert embed.author == "Donald J. Trump"
    assert result.text.split() == ["Lead", "paragraph.", "Next."]


def test_consecutive_tweets_do_not_swallow_each_other() -> None:
    text = "First tweet. — A (@a) March 6, 2016\n\n— B (@b) March 6, 2016\n\nProse."
    result = embeds_stage(article(text))
    assert [e.handle for e in result.embeds] == ["a", "b"]
    assert result.embeds[1].text == ""
    assert result.text.strip() == "Prose."


def test_bluesky_and_mastodon_handles() -> None:
    bluesky = "Skeet text — Jane (@jane.bsky.social) January 5, 2025 at 10:31 AM"
    mastodon = "Toot text — Ann (@ann@mastodon.social) January 5, 2025"
    assert only_embed(bluesky)[1].platform == "bluesky"
    assert only_embed(mastodon)[1].platform == "mastodon"
    assert only_embed(mastodon)[1].handle == "ann@mastodon.social"


def test_instagram_post() -> None:
    text = "Beach day with the team A post shared by Jane Doe (@janedoe) on Jun 2, 2019 at 10:05am PDT"
    _, embed = only_embed(text)
    assert (embed.platform, embed.author, embed.handle, embed.date) == (
        "instagram",
        "Jane Doe",
        "janedoe",
        "2019-06-02",
    )
    assert embed.text == "Beach day with the team"


def test_facebook_post() -> None:
    text = "We are proud of our volunteers... Posted by Franklin Graham on Friday, May 22, 2015"
    _, embed = only_embed(text)
    assert (embed.platform, embed.author, embed.date) == ("facebook", "Franklin Graham", "2015-05-22")
    assert embed.text == "We are proud of our volunteers..."


def test_threads_tiktok_youtube_and_bare_tweet_shapes() -> None:
    text = (
        "Post by @zuck View on Threads\n\n"
        "@newsdesk Flood waters rising #storm ♬ original sound - News Desk\n\n"
        "WATCH: Fauci says vaccine will not be ready youtu.be\n\n"
        "Happy New Year! #fireworks pic.twitter.com/vSQs4mKRtH\n\n"
        "Prose stays."
    )
    result = embeds_stage(article(text))
    assert [(e.platform, e.handle) for e in result.embeds] == [
        ("threads", "zuck"),
        ("tiktok", "newsdesk"),
        ("youtube", None),
        ("twitter", None),
    ]
    assert result.embeds[2].text == "WATCH: Fauci says vaccine will not be ready"
    assert result.text.strip() == "Prose stays."


@pytest.mark.parametrize(
    "line",
    [
        "The senator posted on Twitter — a rare move — on Monday.",
        "He wrote to @jdoe (@jdoe) on the matter.",
        "The video was posted by the campaign on June 1, 2017.",
        "Reporters watched videos on youtube.com for hours, the report said.",
        "Shares of the company fell 3% — the steepest drop since March 6, 2016.",
    ],
)
def test_prose_is_not_an_embed(line: str) -> None:
    assert find_posts(line) == []


def test_platform_from_url() -> None:
    assert platform_of(None, "https://www.instagram.com/p/abc/") == "instagram"
    assert platform_of("@x", None) == "twitter"
    assert post_url("see pic.twitter.com/abc.") == "pic.twitter.com/abc"


def test_apply_edits_moves_anchors() -> None:
    given = article("aaa BBB ccc DDD")
    given.embeds = [Embed(platform="t", text="", anchor=8), Embed(platform="t", text="", anchor=5)]
    result = apply_edits(given, [(4, 8, ""), (12, 15, "dd")])
    assert result.text == "aaa ccc dd"
    assert [e.anchor for e in result.embeds] == [4, 4]  # inside the removed span → its start


def test_line_spans_skip_blank_lines() -> None:
    text = "a\n\n  \nbb\n"
    assert [text[s:e] for s, e in line_spans(text)] == ["a", "bb"]
