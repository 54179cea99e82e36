"""Articles carrying script tags, event handlers and javascript: URLs render as inert, escaped text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from storyline.model import Article, Embed
from storyline.report import story_report
from storyline.store import open_store
from storyline.web.pages import render_page
from storyline.web.views import article_view

from .conftest import IMG, JS_URL, SCRIPT
from .markup import executable_markup

OUR_SCRIPT = {"src": "/ui/static/app.js"}


def hostile_pages(db: str, client: TestClient) -> dict[str, str]:
    with open_store(db) as store:
        stories = list(store.iter_stories())
        articles = [a.id for a in store.iter_articles()]
        report = story_report(store, stories[0].id)
    pages = {"list": client.get("/ui/").text, "report": report}
    pages |= {f"story {s.id}": client.get(f"/ui/stories/{s.id}").text for s in stories}
    pages |= {f"article {a}": client.get(f"/ui/articles/{a}").text for a in articles}
    return pages


@pytest.fixture
def pages(hostile_db: str, client_for: Callable[..., TestClient]) -> dict[str, str]:
    return hostile_pages(hostile_db, client_for(hostile_db))


def test_the_hostile_articles_were_stored_with_their_markup(hostile_db: str) -> None:
    with open_store(hostile_db) as store:
        articles = list(store.iter_articles())
    hostile = next(a for a in articles if a.url == JS_URL)
    assert SCRIPT in hostile.text and IMG in (hostile.title or "") and IMG in (hostile.source or "")
    assert SCRIPT in hostile.embeds[0].text and JS_URL in hostile.embeds[0].text


def test_no_page_carries_executable_markup_from_the_articles(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        found, scripts = executable_markup(page)
        assert found == [], name
        assert scripts == ([{}] if name == "report" else [OUR_SCRIPT]), name
        assert "alert(1)</script>" not in page and "<img" not in page, name


def test_the_payloads_are_shown_as_text(pages: dict[str, str]) -> None:
    article_pages = [p for name, p in pages.items() if name.startswith("article")]
    hostile = next(p for p in article_pages if "Evil Corp" in p)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile
    assert f"<td>{JS_URL}</td>" in hostile  # the URL is shown, not linked
    assert f'href="{JS_URL}"' not in hostile
    story_pages = [p for name, p in pages.items() if name.startswith("story")]
    assert any("The &lt;img src=x onerror=alert(1)&gt; Herald" in p for p in story_pages)


def test_only_http_links_are_made_from_article_and_post_urls() -> None:
    article = Article(
        id="a",
        origin="t",
        text="Body.",
        url=" JavaScript:alert(1)",
        embeds=[
            Embed(platform="twitter", text="x", url="javascript:alert(1)"),
            Embed(platform="twitter", text="y", url="https://x.com/a/status/1"),
        ],
    )
    page = render_page("article.html", view=article_view(article), stories=[])
    found, _ = executable_markup(page)
    assert found == []
    assert 'href="https://x.com/a/status/1"' in page
    assert page.count("javascript:alert(1)") == 1 and "JavaScript:alert(1)" in page
