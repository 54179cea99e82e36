"""The HTTP API in-process: every endpoint, filters, paging, errors, auth and ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.server import create_app
from storyline.server.auth import create_token, is_loopback
from storyline.store import open_store
from tests.conftest import SEEDS

V1 = "/api/v1"


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(f"{V1}{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def all_ids(client: TestClient, path: str, *, limit: int, **params: Any) -> list[str]:
    """Every item id, following next_cursor."""
    ids: list[str] = []
    cursor = None
    while True:
        page = get(client, path, limit=limit, **({"cursor": cursor} if cursor else {}), **params)
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


def assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"].startswith(code + " ")


# -- articles -----------------------------------------------------------------------------------


def test_articles_sorted_by_published_then_id(client: TestClient) -> None:
    page = get(client, "/articles")
    keys = [(a["published"] or "", a["id"]) for a in page["items"]]
    assert page["total"] == 5 and len(keys) == 5
    assert keys == sorted(keys)


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_cursor_and_offset_paging_give_the_full_list_once(client: TestClient, limit: int) -> None:
    expected = [a["id"] for a in get(client, "/articles", limit=200)["items"]]
    assert all_ids(client, "/articles", limit=limit) == expected
    by_offset = [
        a["id"]
        for offset in range(0, 5, limit)
        for a in get(client, "/articles", limit=limit, offset=offset)["items"]
    ]
    assert by_offset == expected


def test_article_filters(client: TestClient) -> None:
    late = get(client, "/articles", since="2026-02-05")["items"]
    assert late and all(a["published"] >= "2026-02-05" for a in late)
    early = get(client, "/articles", until="2026-02-04")["items"]
    assert [a["published"] for a in early] == ["2026-02-04"]
    gazette = get(client, "/articles", outlet="Harbour Gazette")
    assert gazette["total"] == 3 and {a["source"] for a in gazette["items"]} == {"Harbour Gazette"}
    assert get(client, "/articles", outlet="Reuters")["total"] == 1  # the wire credit counts as outlet
    melania = {a["id"] for a in get(client, "/articles", entity="Melania Trump")["items"]}
    assert len(melania) == 2 and not melania & {a["id"] for a in gazette["items"]}
    assert get(client, "/articles", q="harbour bridge")["total"] == 3
    assert get(client, "/articles", q="harbour", outlet="Nobody")["total"] == 0


def test_article_detail_has_annotations_and_story(client: TestClient) -> None:
    first = get(client, "/articles", outlet="Reuters")["items"][0]
    article = get(client, f"/articles/{first['id']}")
    assert article["title"].startswith("Melania Trump says talks")
    assert article["entities"] and article["quotes"] and article["claims"]
    assert any(e["canonical"] == "Melania Trump" for e in article["entities"])
    assert article["story"] in {s["id"] for s in get(client, "/stories")["items"]}
    span = article["entities"][0]
    assert article["text"][span["start"] : span["end"]] == span["text"]


def test_raw_is_the_input_verbatim(client: TestClient) -> None:
    article = get(client, "/articles", outlet="Reuters")["items"][0]
    response = client.get(f"{V1}/articles/{article['id']}/raw")
    assert response.status_code == 200
    assert response.content == (SEEDS / Path(article["origin"]).name).read_bytes()


# -- stories, facts, timeline -------------------------------------------------------------------


def test_stories_list_and_filters(client: TestClient) -> None:
    stories = get(client, "/stories")
    melania = [s for s in stories["items"] if len(set(s["articles"])) == 2 and "Melania" in s["title"]]
    assert len(melania) == 1
    dates = [s["last_published"] or "" for s in stories["items"]]
    assert dates == sorted(dates, reverse=True)
    assert all_ids(client, "/stories", limit=1) == [s["id"] for s in stories["items"]]
    reuters = get(client, "/stories", outlet="Reuters")["items"]
    assert [s["id"] for s in reuters] == [melania[0]["id"]]
    corroborated = get(client, "/stories", status="corroborated")["items"]
    assert corroborated and all(s["counts"]["corroborated"] > 0 for s in corroborated)
    assert get(client, "/stories", until="2026-01-01")["total"] == 0
    assert get(client, "/stories", since="2026-02-06")["total"] == 0


def test_story_list_items_agree_with_story_pages(client: TestClient) -> None:
    for item in get(client, "/stories")["items"]:
        story = get(client, f"/stories/{item['id']}")
        assert {key: story[key] for key in item} == item


def test_story_facts_and_timeline(client: TestClient) -> None:
    story_id = get(client, "/stories", outlet="Reuters")["items"][0]["id"]
    story = get(client, f"/stories/{story_id}")
    assert story["facts"] and story["timeline"]
    facts = get(client, f"/stories/{story_id}/facts")
    assert [f["id"] for f in facts] == [f["id"] for f in story["facts"]]
    for status in ("corroborated", "single_source", "conflicting"):
        chosen = get(client, f"/stories/{story_id}/facts", status=status)
        assert chosen == [f for f in facts if f["status"] == status]
    timeline = get(client, f"/stories/{story_id}/timeline")
    assert timeline == story["timeline"] and all(entry["date"] for entry in timeline)


# -- quotes, entities, search -------------------------------------------------------------------


def test_quotes_by_speaker(client: TestClient) -> None:
    quotes = get(client, "/quotes", speaker="melania trump")
    assert quotes["total"] >= 2
    assert all(q["speaker"] == "Melania Trump" for q in quotes["items"])
    assert {q["article"] for q in quotes["items"]} <= {a["id"] for a in get(client, "/articles")["items"]}
    assert get(client, "/quotes", speaker="Nobody Known")["items"] == []


def test_entities_counts(client: TestClient) -> None:
    entities = get(client, "/entities", limit=200)["items"]
    mentions = [e["mentions"] for e in entities]
    assert mentions == sorted(mentions, reverse=True)
    melania = next(e for e in entities if e["canonical"] == "Melania Trump")
    assert melania["label"] == "PERSON" and melania["articles"] == 2 and melania["mentions"] >= 2
    persons = get(client, "/entities", label="PERSON", q="trump")["items"]
    assert persons and all(e["label"] == "PERSON" and "trump" in e["canonical"].lower() for e in persons)
    assert get(client, "/entities", q="%")["items"] == []  # LIKE wildcards are literal


def test_search_ranks_and_snippets(client: TestClient) -> None:
    hits = get(client, "/search", q="Ukrainian children")
    assert hits["total"] == 2
    assert all("«" in h["snippet"] for h in hits["items"])
    scores = [h["score"] for h in hits["items"]]
    assert scores == sorted(scores, reverse=True)
    assert get(client, "/search", q="bridge", limit=1)["total"] == 3
    assert get(client, "/search", q='"NEAR(" OR *')["total"] == 0  # FTS5 syntax is not interpreted


# -- errors -------------------------------------------------------------------------------------


def test_errors_are_json_with_code(client: TestClient) -> None:
    assert_error(client.get(f"{V1}/articles/nope"), 404, "E204")
    assert_error(client.get(f"{V1}/articles/nope/raw"), 404, "E204")
    assert_error(client.get(f"{V1}/stories/nope"), 404, "E206")
    assert_error(client.get(f"{V1}/stories/nope/facts"), 404, "E206")
    assert_error(client.get(f"{V1}/articles", params={"limit": 201}), 422, "E601")
    assert_error(client.get(f"{V1}/articles", params={"since": "yesterday"}), 422, "E601")
    assert_error(client.get(f"{V1}/articles", params={"cursor": "not-a-cursor"}), 400, "E602")
    assert_error(client.get(f"{V1}/search", params={"q": "?!"}), 400, "E604")
    assert_error(client.get(f"{V1}/no/such/route"), 404, "E605")
    assert_error(client.delete(f"{V1}/articles"), 405, "E606")


def test_openapi_served(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert f"{V1}/stories/{{story_id}}/merge" in schema["paths"]
    assert client.get("/docs").status_code == 200


# -- writes -------------------------------------------------------------------------------------

NEW_ARTICLE = {
    "title": "Harbour bridge reopens after repairs",
    "text": "The harbour bridge reopened on Friday after repairs funded by the city council, "
    'the mayor, Anna Lindqvist, said. "It took longer than we hoped," Lindqvist told reporters.',
    "published": "2026-02-07",
    "source": "Harbour Post",
}


def test_ingest_json_annotates_and_builds_stories(fresh_db: Path) -> None:
    with TestClient(create_app(db=str(fresh_db))) as client:
        response = client.post(f"{V1}/ingest", json=[NEW_ARTICLE])
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["counts"]["stored"] == 1 and result["annotated"] == 1 and not result["failed"]
        article = get(client, f"/articles/{result['article_ids'][0]}")
        assert article["source"] == "Harbour Post" and article["entities"] and article["story"]
        again = client.post(f"{V1}/ingest", json=[NEW_ARTICLE]).json()
        assert again["counts"]["unchanged"] == 1 and again["annotated"] == 0
        assert_error(client.post(f"{V1}/ingest", json=[{"title": "no text"}]), 422, "E601")


def test_ingest_upload_reads_the_file_with_the_normal_readers(fresh_db: Path) -> None:
    html = (
        "<html><head><title>Ferry strike ends</title><meta property='og:site_name' content='Coast News'>"
        "</head><body><article><h1>Ferry strike ends</h1><p>The ferry workers' union ended its strike on "
        "Monday after a pay deal with the operator, the union leader, Maria Olsen, said.</p><p>Services "
        "resume on Tuesday morning across all routes.</p></article></body></html>"
    )
    with TestClient(create_app(db=str(fresh_db))) as client:
        response = client.post(
            f"{V1}/ingest/file", files={"file": ("ferry.html", html.encode(), "text/html")}
        )
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["counts"]["stored"] == 1, result
        article = get(client, f"/articles/{result['article_ids'][0]}")
        assert "ferry workers" in article["text"] and article["story"]
        empty = client.post(f"{V1}/ingest/file", files={"file": ("empty.txt", b"", "text/plain")}).json()
        assert empty["counts"]["rejected"] == 1 and empty["rejected"][0]["message"].startswith("E001")


def test_split_then_merge(fresh_db: Path) -> None:
    with TestClient(create_app(db=str(fresh_db))) as client:
        story = get(client, "/stories", outlet="Reuters")["items"][0]
        moved = story["articles"][1]
        response = client.post(f"{V1}/stories/{story['id']}/split", json={"articles": [moved]})
        assert response.status_code == 200, response.text
        new_id = get(client, f"/articles/{moved}")["story"]
        assert new_id != story["id"] and moved not in get(client, f"/stories/{story['id']}")["articles"]
        merged = client.post(f"{V1}/stories/{story['id']}/merge", json={"other": new_id})
        assert merged.status_code == 200, merged.text
        assert set(get(client, f"/stories/{story['id']}")["articles"]) == set(story["articles"])
        assert_error(
            client.post(f"{V1}/stories/{story['id']}/merge", json={"other": story["id"]}), 409, "E503"
        )
        assert_error(client.post(f"{V1}/stories/{story['id']}/split", json={"articles": ["x"]}), 409, "E504")
        assert_error(client.post(f"{V1}/stories/nope/merge", json={"other": story["id"]}), 404, "E502")


# -- auth ---------------------------------------------------------------------------------------


def test_loopback_hosts() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")


def test_token_guards_reads_and_writes(fresh_db: Path) -> None:
    with open_store(str(fresh_db)) as store:
        token = create_token(store, name="test")
        assert store.connection.execute("SELECT hash FROM api_tokens").fetchone()[0] != token
    good = {"Authorization": f"Bearer {token}"}
    bad = {"Authorization": f"Bearer {token[:-1]}x"}
    with TestClient(create_app(db=str(fresh_db), require_token=True, open_reads=False)) as client:
        assert_error(client.get(f"{V1}/articles"), 401, "E600")
        assert_error(client.get(f"{V1}/articles", headers=bad), 401, "E600")
        assert client.get(f"{V1}/articles", headers=good).status_code == 200
        assert_error(client.post(f"{V1}/ingest", json=[]), 401, "E600")
        assert client.post(f"{V1}/ingest", json=[], headers=good).status_code == 200


def test_open_reads_still_guard_writes(fresh_db: Path) -> None:
    with TestClient(create_app(db=str(fresh_db), token="s3cret", open_reads=True)) as client:
        assert client.get(f"{V1}/stories").status_code == 200
        assert_error(client.post(f"{V1}/ingest", json=[NEW_ARTICLE]), 401, "E600")
        ok = client.post(f"{V1}/ingest", json=[], headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200


def test_no_token_needed_on_loopback_by_default(fresh_db: Path) -> None:
    with TestClient(create_app(db=str(fresh_db))) as client:
        assert client.post(f"{V1}/ingest", json=[]).status_code == 200
