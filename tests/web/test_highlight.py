from __future__ import annotations

from storyline.model import Article, Entity, Quantity, Quote, Timex
from storyline.web.highlight import Span, article_spans, diff_markup, render_spans, word_diff


def test_every_text_piece_is_escaped_and_only_our_tags_remain() -> None:
    text = 'a <b onclick="x">bold</b> & "quoted"'
    html = render_spans(text, [Span(2, 25, "ann", title='<"title">')])
    assert str(html) == (
        'a <span class="ann" title="&lt;&#34;title&#34;&gt;">'
        "&lt;b onclick=&#34;x&#34;&gt;bold&lt;/b&gt;</span>"
        " &amp; &#34;quoted&#34;"
    )


def test_annotations_nest_inside_quotes_and_carry_normalised_values() -> None:
    text = 'She said "15 children came home last August" in Kyiv.'
    article = Article(
        id="a",
        origin="t",
        text=text,
        quotes=[Quote(text=text[10:43], start=10, end=43, speaker="Olena Zelenska")],
        quantities=[Quantity(text="15 children", start=10, end=21, value=15, unit="children")],
        timexes=[Timex(text="last August", start=32, end=43, type="DATE", value="2025-08")],
        entities=[Entity(text="Kyiv", label="GPE", start=48, end=52, canonical="Kyiv")],
    )
    html = str(render_spans(text, article_spans(article)))
    assert '<span class="ann quote" title="direct quote · Olena Zelenska">' in html
    assert '<span class="ann quantity" title="15 children">15 children</span>' in html
    assert '<span class="ann timex" title="DATE 2025-08">last August</span></span>' in html
    assert '<span class="ann entity ent-gpe" title="GPE · Kyiv">Kyiv</span>' in html


def test_overlapping_annotations_are_dropped_not_broken() -> None:
    text = "John Smith Jr went home"
    article = Article(
        id="a",
        origin="t",
        text=text,
        entities=[Entity("John Smith", "PERSON", 0, 10), Entity("Smith Jr", "PERSON", 5, 13)],
    )
    html = str(render_spans(text, article_spans(article)))
    assert html.count("<span") == html.count("</span>") == 1


def test_word_diff_marks_the_attribution_that_differs() -> None:
    a, b = diff_markup("Vladimir Putin's team", "Vladimir Putin")
    assert str(a) == 'Vladimir <mark class="diff">Putin&#39;s team</mark>'
    assert str(b) == 'Vladimir <mark class="diff">Putin</mark>'


def test_word_diff_ignores_case_and_curly_apostrophes() -> None:
    assert word_diff("I’m working on it", "i'm working on it") == ([], [])
