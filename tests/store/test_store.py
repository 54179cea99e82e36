"""Storing, revising and reading articles, raw inputs and annotations, on both backends."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time

import pytest

from storyline.errors import OptionError, StoreError
from storyline.model import (
    ANNOTATION_TYPES,
    ARTICLE_FIELDS,
    EXPORT_FIELDS,
    Article,
    Entity,
    RawDocument,
    Timex,
)
from storyline.store import Store, base
from storyline.store.migrations import MIGRATIONS
from tests.store.conftest import Location
from tests.store.samples import BODY, annotations_for, make_article, make_raw

logger = logging.getLogger(__name__)


def revise(article: Article, text: str) -> Article:
    return dataclasses.replace(article, text=text, **annotations_for(text))


def table_count(store: Store, table: str, article_id: str | None = None) -> int:
    if article_id is None:
        return int(store.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    sql = f"SELECT COUNT(*) FROM {table} WHERE {'id' if table == 'articles' else 'article_id'} = ?"
    return int(store.connection.execute(sql, (article_id,)).fetchone()[0])


def test_new_article_is_stored_and_round_trips_every_field(store: Store) -> None:
    article = make_article(1)
    assert store.add_article(make_raw(article), article) == "stored"
    loaded = store.get_article(article.id)
    assert loaded == article
    assert loaded.raw_hash is not None and loaded.revision == 1
    assert store.count_articles() == 1


def test_same_content_again_is_unchanged_and_writes_nothing(store: Store) -> None:
    article = make_article(1)
    store.add_article(make_raw(article), article)
    before = store.revisions(article.id)
    other_bytes = RawDocument(origin="elsewhere.txt", data=b"same article, other file", format="txt")
    again = make_article(1)
    assert store.add_article(other_bytes, again) == "unchanged"
    assert (again.revision, again.raw_hash) == (1, article.raw_hash)
    assert store.revisions(article.id) == before
    assert table_count(store, "raw_inputs") == 1
    with pytest.raises(StoreError, match="E209"):
        store.get_raw(hashlib.sha256(other_bytes.data).hexdigest())


def test_changed_content_becomes_a_new_revision_and_keeps_the_old(store: Store) -> None:
    first = make_article(1)
    store.add_article(make_raw(first), first)
    second = revise(make_article(1), BODY + " Officials later disputed the figure.")
    assert store.add_article(make_raw(second), second) == "revised"
    assert second.revision == 2
    assert [r["revision"] for r in store.revisions(first.id)] == [1, 2]
    assert [r["content_hash"] for r in store.revisions(first.id)] == [first.content_hash, second.content_hash]
    assert store.get_article(first.id).text.endswith("disputed the figure.")
    assert store.get_article(first.id, revision=1) == first
    assert store.get_article(first.id, revision=2) == store.get_article(first.id)
    assert store.count_articles() == 1


def test_old_revision_keeps_the_annotations_it_had_when_superseded(store: Store) -> None:
    first = make_article(1)
    store.add_article(make_raw(first), first)
    first.entities.append(Entity("Reuters", "ORG", 12, 19))
    store.save_annotations(first)
    second = revise(make_article(1), BODY + " More text.")
    store.add_article(make_raw(second), second)
    assert [e.text for e in store.get_article(first.id, revision=1).entities] == ["Anna Kovalenko", "Reuters"]
    assert [e.text for e in store.get_article(first.id).entities] == ["Anna Kovalenko"]
    assert table_count(store, "entities", first.id) == 1


def test_unknown_revision_is_e208_naming_the_known_ones(store: Store) -> None:
    article = make_article(1)
    store.add_article(make_raw(article), article)
    with pytest.raises(StoreError, match=r"E208 .* no revision 5 \(stored revisions: \[1\]\)"):
        store.get_article(article.id, revision=5)


@pytest.mark.parametrize("data", [b"\xff\xfe\x00\x80 not utf-8 \xc3(", bytes(range(256)), b""])
def test_raw_bytes_round_trip_exactly(store: Store, data: bytes) -> None:
    article = make_article(1)
    store.add_article(RawDocument(origin="x.bin", data=data, format="txt"), article)
    assert article.raw_hash is not None
    assert store.get_raw(article.raw_hash) == data
    assert store.get_article(article.id).raw_hash == article.raw_hash


def test_unicode_round_trips(store: Store) -> None:
    text = "“Curly” ‘quotes’, emoji 🇺🇦👍🏽, CJK 北京, RTL مرحبا, combining é, zero-width\u200bjoiner."
    article = dataclasses.replace(
        make_article(1), text=text, title="Zoë’s “story” 🚀", metadata={"note": "naïve ✓"}, entities=[]
    )
    article.entities = [Entity(text[:8], "WORK_OF_ART", 0, 8, canonical="“Curly”")]
    store.add_article(make_raw(article), article)
    assert store.get_article(article.id) == article
    assert next(store.iter_articles()).title == "Zoë’s “story” 🚀"


def test_unknown_ids_are_coded_errors(store: Store) -> None:
    with pytest.raises(StoreError, match=r"E204 no article with id 'nope'"):
        store.get_article("nope")
    with pytest.raises(StoreError, match="E204"):
        store.revisions("nope")
    with pytest.raises(StoreError, match="E204"):
        store.save_annotations(make_article(1))
    with pytest.raises(StoreError, match="E209"):
        store.get_raw("0" * 64)


def test_save_annotations_replaces_every_kind(store: Store) -> None:
    article = make_article(1)
    store.add_article(make_raw(article), article)
    article.entities = [Entity("Reuters", "ORG", 12, 19, canonical="Reuters")]
    article.quotes, article.claims = [], []
    store.save_annotations(article)
    loaded = store.get_article(article.id)
    assert loaded.entities == article.entities
    assert loaded.quotes == [] and loaded.claims == []
    assert loaded.timexes == article.timexes
    assert table_count(store, "entities") == 1 and table_count(store, "quotes") == 0


def test_save_annotations_is_atomic(store: Store) -> None:
    article = make_article(1)
    store.add_article(make_raw(article), article)
    before = store.get_article(article.id)
    article.entities = [Entity("Reuters", "ORG", 12, 19)]
    article.claims[0].entities = [object()]  # type: ignore[list-item]  # fails last, after the entities
    with pytest.raises(StoreError, match=r"E210 .*claims\[0\] 'entities'"):
        store.save_annotations(article)
    assert store.get_article(article.id) == before


def test_annotations_for_other_content_are_refused(store: Store) -> None:
    article = make_article(1)
    store.add_article(make_raw(article), article)
    stale = dataclasses.replace(article, text=article.text + " extra")
    with pytest.raises(StoreError, match="E211"):
        store.save_annotations(stale)


def test_unserialisable_metadata_is_e210_and_nothing_is_written(store: Store) -> None:
    article = make_article(1)
    article.metadata["when"] = time  # a module: not JSON
    with pytest.raises(StoreError, match=r"E210 article '.*': cannot store field 'metadata'"):
        store.add_article(make_raw(article), article)
    assert store.count_articles() == 0
    assert table_count(store, "raw_inputs") == 0


def test_iter_articles_orders_and_pages(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "PAGE_SIZE", 2)
    dates = ["2026-02-05", None, "2025-08", "2026-02-04", "2026-02-04"]
    for number, date in enumerate(dates):
        article = make_article(number, published=date)
        store.add_article(make_raw(article), article)
    by_date = [a.published for a in store.iter_articles()]
    assert by_date == [None, "2025-08", "2026-02-04", "2026-02-04", "2026-02-05"]
    ids = [a.id for a in store.iter_articles(order="id")]
    assert ids == sorted(ids) and len(ids) == 5
    assert len(list(store.iter_articles(order="stored_at"))) == 5
    assert all(a.entities and a.claims for a in store.iter_articles())


def test_iter_articles_rejects_unknown_order(store: Store) -> None:
    with pytest.raises(OptionError, match="E207 order must be one of published, stored_at, id, not 'title'"):
        next(store.iter_articles(order="title"))


def test_iter_articles_allows_writes_while_streaming(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "PAGE_SIZE", 2)
    for number in range(5):
        article = make_article(number)
        store.add_article(make_raw(article), article)
    for article in store.iter_articles():
        article.timexes = [Timex("last August", 0, 4, type="DATE", value="2025-08")]
        store.save_annotations(article)
    assert table_count(store, "timexes") == 5


def test_annotation_tables_answer_queries_across_articles(store: Store) -> None:
    for number in range(3):
        article = make_article(number)
        if number == 2:
            article.entities[0].canonical = "Someone Else"
            article.timexes[0].value = "2026-01"
        store.add_article(make_raw(article), article)
    mentioning = store.connection.execute(
        "SELECT DISTINCT article_id FROM entities WHERE canonical = ?", ("Anna Kovalenko",)
    ).fetchall()
    in_august = store.connection.execute(
        "SELECT COUNT(*) FROM timexes WHERE value LIKE '2025-08%' AND value >= ?", ("2025",)
    ).fetchone()[0]
    assert len(mentioning) == 2 and in_august == 2


def test_schema_version_is_the_last_migration(store: Store) -> None:
    assert store.schema_version() == len(MIGRATIONS)


def test_insert_speed_of_1000_small_articles(location: Location, record_property) -> None:
    """Reports articles/second and bytes per article; no timed assertion (shared, noisy machine)."""
    articles = [make_article(number) for number in range(1000)]
    with location.open() as store:
        started = time.perf_counter()
        outcomes = {store.add_article(make_raw(a), a) for a in articles}
        elapsed = time.perf_counter() - started
        assert outcomes == {"stored"} and store.count_articles() == 1000
        size = database_bytes(store, location)
    rate = len(articles) / elapsed
    record_property("articles_per_second", round(rate))
    record_property("bytes_per_article", size // len(articles))
    logger.warning("%s: %.0f articles/s, %d bytes/article", location.backend, rate, size // len(articles))


def database_bytes(store: Store, location: Location) -> int:
    if location.backend == "sqlite":
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_count = store.connection.execute("PRAGMA page_count").fetchone()[0]
        return int(page_count * store.connection.execute("PRAGMA page_size").fetchone()[0])
    row = store.connection.execute(
        "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
    ).fetchone()
    return int(row[0])


def test_failed_write_batch_rolls_back_and_the_store_stays_usable(store: Store) -> None:
    article = make_article(1)
    with pytest.raises(StoreError, match="E212"), store.connection.transaction(), store.connection.batch():
        store.connection.execute(
            "INSERT INTO raw_inputs (hash, origin, format, size, stored_at, data) VALUES (?, ?, ?, ?, ?, ?)",
            ("h", "o", "txt", 1, "now", b"x"),
        )
        store.connection.execute("INSERT INTO nowhere (x) VALUES (?)", (1,))
    assert table_count(store, "raw_inputs") == 0
    assert store.add_article(make_raw(article), article) == "stored"


def test_every_article_field_has_a_place_in_the_store() -> None:
    """A field added to Article but not to the export form would be silently dropped on storing."""
    stored = set(EXPORT_FIELDS) | set(ANNOTATION_TYPES) | {"raw_hash"}
    assert set(ARTICLE_FIELDS) <= stored, f"not stored: {sorted(set(ARTICLE_FIELDS) - stored)}"


def test_annotation_marker_lists_what_is_left_and_resets_on_revision(store: Store) -> None:
    first, second = make_article(1), make_article(2)
    for article in (first, second):
        store.add_article(make_raw(article), article)
    assert set(store.unannotated_ids("p1")) == {first.id, second.id}
    store.save_annotations(first, pipeline="p1")
    assert store.unannotated_ids("p1") == [second.id]
    assert set(store.unannotated_ids("p2")) == {first.id, second.id}
    revised = make_article(1)
    revised.text += " A new closing line."
    assert store.add_article(make_raw(revised), revised) == "revised"
    assert first.id in store.unannotated_ids("p1")


def test_article_ids_are_in_publication_order(store: Store) -> None:
    later, earlier = make_article(1, published="2026-02-05"), make_article(2, published="2026-02-04")
    for article in (later, earlier):
        store.add_article(make_raw(article), article)
    assert store.article_ids() == [earlier.id, later.id]
