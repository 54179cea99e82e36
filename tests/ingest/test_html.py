"""extract_html and html_fragment_to_text on small hand-written pages."""

from __future__ import annotations

import json

import pytest

from storyline.errors import IngestError
from storyline.ingest.html import decode_html, drop_headline, extract_html, has_prose, html_fragment_to_text

PARAGRAPHS = [
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, "
    "ending a debate that has divided residents for more than a decade.",
    "Engineers told the council that the bridge, built in 1931, could no longer carry heavy traffic "
    "safely and that repairs would cost at least 40 million euros over ten years.",
    "Mayor Ana Ruiz said the decision was painful but necessary. Cyclists and pedestrians will still be "
    "able to cross, and a shuttle bus will run every fifteen minutes during the day.",
    "Shop owners on the north bank warned that fewer visitors would reach their streets, and a petition "
    "against the closure has gathered nearly 8,000 signatures since the summer.",
]
NAV = '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>'
FOOTER = "<footer><p>Copyright 2026 Harbour Herald. All rights reserved.</p></footer>"


def page(head: str, *, paragraphs: list[str] = PARAGRAPHS, charset: str = "utf-8") -> str:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">{head}</head>'
        f"<body>{NAV}<main><article><h1>Harbour bridge to close to cars</h1>{body}</article></main>"
        f"{FOOTER}</body></html>"
    )


JSONLD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Harbour bridge to close to cars",
    "datePublished": "2026-02-04T09:30:00+01:00",
    "author": [{"@type": "Person", "name": "Lena Berg"}, {"@type": "Person", "name": "Omar Haddad"}],
    "publisher": {"@type": "Organization", "name": "Harbour Herald"},
    "url": "https://herald.example/2026/02/04/bridge",
}


def jsonld_script(data: dict[str, object]) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_jsonld_page_gives_text_and_metadata() -> None:
    head = f"<title>Bridge | Harbour Herald</title>{jsonld_script(JSONLD)}"
    raw = extract_html(page(head).encode(), origin="pages/bridge.html")
    assert raw.format == "html"
    assert raw.origin == "pages/bridge.html"
    assert raw.title == "Harbour bridge to close to cars"
    assert raw.published == "2026-02-04T09:30:00+01:00"
    assert raw.authors == ["Lena Berg", "Omar Haddad"]
    assert raw.source == "Harbour Herald"
    assert raw.url == "https://herald.example/2026/02/04/bridge"
    assert raw.metadata["published_source"] == "markup"


def test_main_text_keeps_paragraph_breaks_and_drops_furniture() -> None:
    raw = extract_html(page("<title>Bridge</title>").encode(), origin="bridge.html")
    assert raw.text is not None
    paragraphs = raw.text.split("\n\n")
    for expected in PARAGRAPHS:
        assert expected in paragraphs
    assert "All rights reserved" not in raw.text
    assert "Home" not in paragraphs
    assert "Harbour bridge to close to cars" not in raw.text  # the <h1> is the title, not body


def test_og_tags_only_page() -> None:
    head = (
        '<meta property="og:site_name" content="Harbour Herald">'
        '<meta property="og:title" content="Bridge to close">'
        '<meta property="og:url" content="https://herald.example/bridge">'
        '<meta property="article:published_time" content="2026-02-04">'
        '<meta name="author" content="By Lena Berg">'
    )
    raw = extract_html(page(head).encode(), origin="og.html")
    assert raw.source == "Harbour Herald"
    assert raw.title == "Bridge to close"
    assert raw.url == "https://herald.example/bridge"
    assert raw.published == "2026-02-04"
    assert raw.authors == ["Lena Berg"]


def test_canonical_link_wins_and_resolves_against_fetched_url() -> None:
    head = (
        '<link rel="canonical" href="/2026/bridge"><meta property="og:url" content="https://other.example/x">'
    )
    raw = extract_html(page(head).encode(), origin="c.html", url="https://herald.example/amp/bridge?utm=1")
    assert raw.url == "https://herald.example/2026/bridge"
    assert raw.metadata["fetched_url"] == "https://herald.example/amp/bridge?utm=1"


def test_unreadable_date_in_markup_falls_back() -> None:
    head = '<meta property="article:published_time" content="sometime soon">'
    raw = extract_html(page(head).encode(), origin="d.html")
    assert raw.metadata["published_source"] != "markup"


def test_page_without_article_text_raises_e005() -> None:
    html = f"<html><head><title>Index</title></head><body>{NAV}</body></html>"
    with pytest.raises(IngestError, match=r"E005 empty\.html"):
        extract_html(html.encode(), origin="empty.html")


def test_jsonld_article_body_is_a_fallback() -> None:
    body = "The first paragraph of the story is here.\n\nAnd the second paragraph of it follows."
    ld = dict(JSONLD, articleBody=body)
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body></body></html>'
    )
    raw = extract_html(html.encode(), origin="ld.html")
    assert raw.text == body


def test_non_utf8_page_uses_declared_charset() -> None:
    paragraphs = [text.replace("euros", "€ (Müller, café, naïve)") for text in PARAGRAPHS]
    data = page("", paragraphs=paragraphs, charset="windows-1252").encode("cp1252")
    raw = extract_html(data, origin="cp1252.html")
    assert raw.text is not None and "€ (Müller, café, naïve)" in raw.text


def test_undeclared_non_utf8_bytes_are_detected() -> None:
    html = page("", paragraphs=[text + " Größe, Straße, Übergänge." for text in PARAGRAPHS])
    data = html.replace('<meta charset="utf-8">', "").encode("latin-1")
    assert "Größe, Straße, Übergänge" in decode_html(data, origin="latin1.html")


def test_bom_overrides_declared_charset() -> None:
    data = b"\xef\xbb\xbf" + page("", charset="iso-8859-1").replace("euros", "€").encode("utf-8")
    assert "€" in decode_html(data, origin="bom.html")


def test_drop_headline_only_in_the_lead() -> None:
    text = "Bridge to close to cars\n\nThe council voted.\n\nBridge to close to cars"
    assert drop_headline(text, titles=("Bridge to close to cars | Herald", None)) == (
        "The council voted.\n\nBridge to close to cars"
    )
    assert drop_headline("Bridge\n\nText.", titles=("Bridge | Herald",)) == "Bridge\n\nText."  # too short


def test_has_prose_needs_a_sentence() -> None:
    assert not has_prose("Home News Sport\n\nWeather")
    assert has_prose("Menu\n\nThe council voted to close the bridge on Tuesday.")
    assert has_prose(
        "先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで男性が逮捕されたというニュースを耳にしました。"
    )


def test_fragment_paragraphs_and_line_breaks() -> None:
    fragment = "<p>First <b>bold</b> line<br>second line</p><div>Block two</div><ul><li>a</li><li>b</li></ul>"
    assert html_fragment_to_text(fragment) == "First bold line\nsecond line\n\nBlock two\n\na\n\nb"


def test_fragment_drops_scripts_and_keeps_tail_text() -> None:
    fragment = "Lead text <script>var x = 1;</script>continues.<p>Next &amp; last.</p>"
    assert html_fragment_to_text(fragment) == "Lead text continues.\n\nNext & last."


def test_fragment_plain_text_keeps_blank_line_paragraphs() -> None:
    assert (
        html_fragment_to_text("One  para\nwraps.\n\n Two &amp; three. ") == "One para wraps.\n\nTwo & three."
    )
    assert html_fragment_to_text("   ") == ""


def test_fragment_table_cells_are_separated() -> None:
    fragment = "<table><tr><td>Team</td><td>Goals</td></tr><tr><td>Ajax</td><td>3</td></tr></table>"
    assert html_fragment_to_text(fragment) == "Team | Goals\n\nAjax | 3"
