from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from storyline.store import open_store

Client = Callable[..., TestClient]


@pytest.fixture
def seeds(seeds_db: str, client_for: Client) -> TestClient:
    return client_for(seeds_db)


def only_story(db: str) -> tuple[str, list[str]]:
    with open_store(db) as store:
        stories = list(store.iter_stories())
    assert len(stories) == 1
    return stories[0].id, stories[0].articles


def test_story_list_shows_counts_and_searches(seeds: TestClient, seeds_db: str) -> None:
    story_id, _ = only_story(seeds_db)
    with open_store(seeds_db) as store:
        counts = store.get_story(story_id).counts()
    page = seeds.get("/ui/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    row = page.text[page.text.index(f"/ui/stories/{story_id}") :]
    assert "2026-02-04 – 2026-02-05" in row
    cells = re.findall(r'<td class="num">(\d+)</td>', row)[:4]
    expected = [2, counts["corroborated"], counts["single_source"], counts["conflicting"]]
    assert cells == [str(n) for n in expected] and counts["conflicting"] >= 1
    assert story_id in seeds.get("/ui/", params={"q": "melania putin"}).text
    assert story_id not in seeds.get("/ui/", params={"q": "volcano"}).text


def test_story_page_shows_timeline_facts_quotes_entities_articles(seeds: TestClient, seeds_db: str) -> None:
    story_id, articles = only_story(seeds_db)
    page = seeds.get(f"/ui/stories/{story_id}").text
    sections = re.findall(r'<section id="(\w+)"', page)
    assert sections == ["timeline", "facts", "quotes", "entities", "articles", "edit"]
    assert '<svg class="axis"' in page and '<span class="date">2025-08</span>' in page
    assert 'Vladimir <mark class="diff">Putin&#39;s team</mark>' in page
    assert "<td>Melania Trump</td>" in page  # a speaker
    assert all(f'href="/ui/articles/{a}"' in page for a in articles)
    assert "<td>Reuters</td>" in page  # the wire credit of the Reuters copy


def test_article_page_highlights_annotations_with_values(seeds: TestClient, seeds_db: str) -> None:
    _, articles = only_story(seeds_db)
    pages = [seeds.get(f"/ui/articles/{a}").text for a in articles]
    assert all('class="ann entity' in p and 'class="ann quote"' in p for p in pages)
    assert any('<span class="ann timex" title="DATE 2025-08">last August</span>' in p for p in pages)
    assert any('title="at least 19000 children"' in p for p in pages)
    with_posts = [p for p in pages if '<section id="embeds">' in p]
    assert len(with_posts) == 1 and "FirstLadyOffice" in with_posts[0]
    text = with_posts[0][with_posts[0].index('<div class="text">') :]
    assert "pic.twitter.com" not in text[: text.index("</div>")]  # the posts are shown apart, not in the text


def test_raw_input_is_one_click_away_as_inert_text(seeds: TestClient, seeds_db: str) -> None:
    _, articles = only_story(seeds_db)
    page = seeds.get(f"/ui/articles/{articles[0]}").text
    (link,) = re.findall(r'href="(/ui/articles/\w+/raw)"', page)
    raw = seeds.get(link)
    assert raw.status_code == 200 and raw.text.startswith(" date 2026-02-0")
    assert raw.headers["content-type"] == "text/plain; charset=utf-8"
    assert raw.headers["content-security-policy"].startswith("sandbox")


def test_unknown_ids_give_an_html_404(seeds: TestClient) -> None:
    for url in ("/ui/stories/nope", "/ui/articles/nope", "/ui/static/passwd"):
        page = seeds.get(url)
        assert page.status_code == 404 and "text/html" in page.headers["content-type"], url
    assert "E206" in seeds.get("/ui/stories/nope").text


def test_split_then_merge_round_trip(writable_seeds_db: str, client_for: Client) -> None:
    client = client_for(writable_seeds_db)
    story_id, articles = only_story(writable_seeds_db)
    moved = articles[1]
    done = client.post(f"/ui/stories/{story_id}/split", data={"article_ids": [moved]}, follow_redirects=False)
    assert done.status_code == 303
    new_id = re.match(r"/ui/stories/(\w+)\?", done.headers["location"]).group(1)  # type: ignore[union-attr]
    assert new_id != story_id and "split 1 articles" in client.get(done.headers["location"]).text
    with open_store(writable_seeds_db) as store:
        assert store.get_story(new_id).articles == [moved]
    merge_form = client.get(f"/ui/stories/{story_id}").text
    assert f'<option value="{new_id}">' in merge_form
    done = client.post(f"/ui/stories/{story_id}/merge", data={"other": new_id}, follow_redirects=False)
    assert done.status_code == 303
    merged_id, merged_articles = only_story(writable_seeds_db)
    assert merged_id == story_id and sorted(merged_articles) == sorted(articles)


def test_a_refused_split_shows_the_reason(writable_seeds_db: str, client_for: Client) -> None:
    client = client_for(writable_seeds_db)
    story_id, articles = only_story(writable_seeds_db)
    page = client.post(f"/ui/stories/{story_id}/split", data={"article_ids": articles})
    assert page.status_code == 409 and "E505" in page.text


def test_writes_from_another_site_are_refused(writable_seeds_db: str, client_for: Client) -> None:
    client = client_for(writable_seeds_db)
    story_id, articles = only_story(writable_seeds_db)
    page = client.post(
        f"/ui/stories/{story_id}/split",
        data={"article_ids": [articles[1]]},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert page.status_code == 403
    assert only_story(writable_seeds_db) == (story_id, articles)


def test_a_same_origin_post_with_a_null_origin_is_accepted(
    writable_seeds_db: str, client_for: Client
) -> None:
    """What Chromium sends for our forms: our Referrer-Policy (no-referrer) makes the Origin "null"."""
    client = client_for(writable_seeds_db)
    story_id, articles = only_story(writable_seeds_db)
    url = f"/ui/stories/{story_id}/split"
    data = {"article_ids": [articles[1]]}
    null_origin = {"Origin": "null"}
    assert client.post(url, data=data, headers=null_origin).status_code == 403  # nothing vouches for it
    done = client.post(
        url, data=data, headers={**null_origin, "Sec-Fetch-Site": "same-origin"}, follow_redirects=False
    )
    assert done.status_code == 303


def test_writes_need_the_token_when_the_server_requires_one(
    writable_seeds_db: str, client_for: Client
) -> None:
    client = client_for(writable_seeds_db, token="s3cret")
    story_id, articles = only_story(writable_seeds_db)
    assert 'name="token"' in client.get(f"/ui/stories/{story_id}").text
    url = f"/ui/stories/{story_id}/split"
    assert client.post(url, data={"article_ids": [articles[1]], "token": "wrong"}).status_code == 401
    assert client.get(f"/ui/stories/{story_id}").status_code == 200  # reads stay open
    done = client.post(url, data={"article_ids": [articles[1]], "token": "s3cret"}, follow_redirects=False)
    assert done.status_code == 303
