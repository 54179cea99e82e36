"""Opening databases: migrations applied once and atomically, coded errors when a database cannot be used."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from storyline.errors import OptionError, StoreError
from storyline.store import Store, open_store, postgres
from storyline.store.base import Connection, mask_password
from storyline.store.migrations import MIGRATIONS, m001_initial
from tests.store.conftest import Location
from tests.store.samples import make_article, make_raw


def recorded(store: Store) -> list[tuple[int, str]]:
    rows = store.connection.execute("SELECT number, name FROM migrations ORDER BY number").fetchall()
    return [(int(number), str(name)) for number, name in rows]


ALL_RECORDED = [
    (1, "initial"),
    (2, "annotation_marker"),
    (3, "stories"),
    (4, "partitions"),
    (5, "search"),
    (6, "api_tokens"),
    (7, "syndication_records"),
]


def table_exists(store: Store, name: str) -> bool:
    try:
        store.connection.execute(f"SELECT COUNT(*) FROM {name}").fetchone()
    except StoreError:
        return False
    return True


def test_migration_is_recorded_once_and_reopening_is_idempotent(location: Location) -> None:
    article = make_article(1)
    with location.open() as store:
        store.add_article(make_raw(article), article)
        assert recorded(store) == ALL_RECORDED
    with location.open() as store:
        assert recorded(store) == ALL_RECORDED
        assert store.schema_version() == len(MIGRATIONS)
        assert store.get_article(article.id) == article


def test_database_newer_than_the_code_is_e202(location: Location) -> None:
    with location.open() as store:
        store.connection.execute(
            "INSERT INTO migrations (number, name, applied_at) VALUES (?, ?, ?)", (99, "future", "2030-01-01")
        )
    with pytest.raises(
        StoreError,
        match=rf"E202 database .* has schema version 99, newer than this Storyline \({len(MIGRATIONS)}\)",
    ):
        location.open()


def m002_half_done(conn: Connection) -> None:
    conn.execute("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
    conn.execute("INSERT INTO half_done (id) VALUES (?)", (1,))
    conn.execute("ALTER TABLE no_such_table ADD COLUMN x INTEGER")


def test_failing_migration_is_e203_and_leaves_nothing_behind(location: Location) -> None:
    with location.open(migrations=[m001_initial]):
        pass
    with pytest.raises(StoreError, match=r"E203 migration 2 \(half_done\) failed: .*no_such_table"):
        location.open(migrations=[m001_initial, m002_half_done])
    with location.open(migrations=[m001_initial]) as store:
        assert recorded(store) == [(1, "initial")]
        assert not table_exists(store, "half_done")


def test_failing_first_migration_leaves_an_empty_database(location: Location) -> None:
    def m001_broken(conn: Connection) -> None:
        m001_initial(conn)
        raise RuntimeError("disk on fire")

    with pytest.raises(StoreError, match=r"E203 migration 1 \(broken\) failed: disk on fire"):
        location.open(migrations=[m001_broken])
    with location.open() as store:
        assert recorded(store) == ALL_RECORDED
        assert store.count_articles() == 0


def test_misnamed_migration_is_e214(location: Location) -> None:
    def m003_skips_a_number(conn: Connection) -> None:
        raise AssertionError("never run")

    with pytest.raises(StoreError, match=r"E214 migration function 'm003_skips_a_number' at position 2"):
        location.open(migrations=[m001_initial, m003_skips_a_number])


def test_sqlite_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "x.db")) as store:
        pragma = {name: store.connection.execute(f"PRAGMA {name}").fetchone()[0] for name in ("journal_mode",
                  "foreign_keys", "busy_timeout")}  # fmt: skip
        assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30_000}
        integrity = store.connection.execute("PRAGMA integrity_check").fetchone()[0]
    assert integrity == "ok"


def test_default_database_is_storyline_db_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store() as store:
        assert store.count_articles() == 0
    assert (tmp_path / "storyline.db").is_file()


@pytest.mark.parametrize("where", ["missing/dir/x.db", "."])
def test_unopenable_sqlite_path_is_e201(tmp_path: Path, where: str) -> None:
    path = str(tmp_path / where)
    with pytest.raises(
        StoreError, match=rf"E201 cannot open database {path} \(unable to open database file\)"
    ):
        open_store(path)


def test_file_that_is_not_a_database_is_e201(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some text, long enough to fill a header " * 20)
    with pytest.raises(StoreError, match=r"E201 cannot open database .*notes.db \(file is not a database\)"):
        open_store(str(path))


def test_unreachable_postgres_is_e201_with_the_password_masked() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(
        StoreError, match=r"E201 cannot open database postgresql://u:\*\*\*@127.0.0.1:1/db"
    ) as info:
        open_store("postgresql://u:secret@127.0.0.1:1/db")
    assert "secret" not in str(info.value)


def test_missing_psycopg_is_e205(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "psycopg", None)
    with pytest.raises(StoreError, match=r"E205 PostgreSQL support needs psycopg"):
        open_store("postgresql://127.0.0.1:5432/test")


def test_schema_option_on_sqlite_is_e213(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="E213"):
        open_store(str(tmp_path / "x.db"), schema="st_x")


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://u:pw@h:5/d", "postgresql://u:***@h:5/d"),
        ("postgresql://h/d?password=pw&sslmode=off", "postgresql://h/d?password=***&sslmode=off"),
        ("postgresql://u@h/d", "postgresql://u@h/d"),
        ("storyline.db", "storyline.db"),
    ],
)
def test_mask_password(url: str, masked: str) -> None:
    assert mask_password(url) == masked


def test_database_driver_errors_become_e212(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "x.db")) as store:
        with pytest.raises(StoreError, match=r"E212 database .*x.db: SELECT \* FROM nowhere failed"):
            store.connection.execute("SELECT * FROM nowhere")
        with pytest.raises(StoreError, match="E212"):  # foreign keys are enforced
            store.connection.execute(
                'INSERT INTO entities (article_id, seq, "start", "end", label, data) '
                "VALUES (?, 0, 0, 1, 'X', '{}')",
                ("no-such-article",),
            )
    assert isinstance(store.connection.raw, sqlite3.Connection)


def test_concurrent_first_opens_apply_each_migration_once(location: Location) -> None:
    def open_and_count(_: int) -> int:
        with location.open() as store:
            return store.schema_version()

    with ThreadPoolExecutor(max_workers=4) as pool:
        versions = list(pool.map(open_and_count, range(4)))
    assert versions == [len(MIGRATIONS)] * 4
    with location.open() as store:
        assert recorded(store) == ALL_RECORDED
