"""Story tables of the store: stories (facts and timeline as JSON), membership, the
clustering/syndication state that makes story building incremental (one value per name, optionally
with pieces in ``story_state_items``), and the final origins of articles that left the syndication
index (``article_origins``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import E206, StoreError
from ..model import Story, story_from_dict

if TYPE_CHECKING:  # base mixes this class in
    from .base import Connection

STORY_COLUMNS = (
    "id",
    "title",
    "first_published",
    "last_published",
    "articles",
    "outlets",
    "corroborated",
    "single_source",
    "conflicting",
    "updated_at",
    "data",
)
UPSERT_STORY = (
    f"INSERT INTO stories ({', '.join(STORY_COLUMNS)}) VALUES ({', '.join('?' * len(STORY_COLUMNS))}) "
    f"ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in STORY_COLUMNS[1:])}"
)
UPSERT_STATE = (
    "INSERT INTO story_state (name, updated_at, data) VALUES (?, ?, ?) "
    "ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data"
)
UPSERT_STATE_ITEM = (
    "INSERT INTO story_state_items (name, key, data) VALUES (?, ?, ?) "
    "ON CONFLICT (name, key) DO UPDATE SET data = excluded.data"
)
UPSERT_ORIGIN = (
    "INSERT INTO article_origins (article_id, group_id, updated_at, data) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (article_id) DO UPDATE SET group_id = excluded.group_id, "
    "updated_at = excluded.updated_at, data = excluded.data"
)
# Rows per query when reading by many ids or paging through state items: bounds memory and SQL size.
PAGE = 500


class StoryTables:
    """Mixed into :class:`storyline.store.base.Store`; uses its ``connection``."""

    connection: Connection

    def save_story(self, story: Story) -> None:
        """Write ``story`` and make its articles its members (moving them from any other story)."""
        counts = story.counts()
        data = self.connection.to_json(story.to_dict())
        row = (
            story.id,
            story.title,
            story.first_published,
            story.last_published,
            len(story.articles),
            len(story.outlets),
            counts["corroborated"],
            counts["single_source"],
            counts["conflicting"],
            _now(),
            data,
        )
        with self.connection.transaction():
            self.connection.lock(f"story:{story.id}")
            self.connection.execute(UPSERT_STORY, row)
            self.connection.execute("DELETE FROM story_articles WHERE story_id = ?", (story.id,))
            for article_id in story.articles:
                self.connection.execute("DELETE FROM story_articles WHERE article_id = ?", (article_id,))
            self.connection.executemany(
                "INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)",
                [(article_id, story.id) for article_id in story.articles],
            )

    def delete_story(self, story_id: str) -> None:
        with self.connection.transaction():
            self.connection.execute("DELETE FROM story_articles WHERE story_id = ?", (story_id,))
            self.connection.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def delete_empty_stories(self) -> list[str]:
        """Remove stories left with no member article (merged into another); returns their ids."""
        with self.connection.transaction():
            rows = self.connection.execute(
                "SELECT id FROM stories WHERE id NOT IN (SELECT story_id FROM story_articles)"
            ).fetchall()
            for (story_id,) in rows:
                self.connection.execute("DELETE FROM stories WHERE id = ?", (story_id,))
        return [row[0] for row in rows]

    def get_story(self, story_id: str) -> Story:
        row = self.connection.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise StoreError(E206.format(id=story_id))
        return story_from_dict(self.connection.from_json(row[0]))

    def iter_stories(self) -> Iterator[Story]:
        """Every story, most recently published first."""
        rows = self.connection.execute(
            "SELECT data FROM stories ORDER BY COALESCE(last_published, '') DESC, id"
        ).fetchall()
        for row in rows:
            yield story_from_dict(self.connection.from_json(row[0]))

    def count_stories(self) -> int:
        return int(self.connection.execute("SELECT COUNT(*) FROM stories").fetchone()[0])

    def story_ids_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """article id -> story id for those of ``article_ids`` that belong to a story."""
        found: dict[str, str] = {}
        for article_id in article_ids:
            row = self.connection.execute(
                "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
            ).fetchone()
            if row is not None:
                found[article_id] = row[0]
        return found

    def unassigned_ids(self, pipeline: str) -> list[str]:
        """Articles annotated by ``pipeline`` that belong to no story yet, in publication order."""
        rows = self.connection.execute(
            "SELECT id FROM articles WHERE annotated_with = ? "
            "AND id NOT IN (SELECT article_id FROM story_articles) "
            "ORDER BY COALESCE(published, ''), id",
            (pipeline,),
        ).fetchall()
        return [row[0] for row in rows]

    def load_state(self, name: str) -> dict[str, Any] | None:
        row = self.connection.execute("SELECT data FROM story_state WHERE name = ?", (name,)).fetchone()
        return None if row is None else self.connection.from_json(row[0])

    def save_state(
        self,
        name: str,
        data: dict[str, Any],
        *,
        items: Mapping[str, Any] | None = None,
        removed: Iterable[str] = (),
    ) -> None:
        """Write state ``name``; with ``items``/``removed``, also write and delete those of its pieces
        (``iter_state_items``), all in one transaction."""
        to_json = self.connection.to_json
        with self.connection.transaction():
            self.connection.execute(UPSERT_STATE, (name, _now(), to_json(data)))
            self.connection.executemany(
                "DELETE FROM story_state_items WHERE name = ? AND key = ?", [(name, key) for key in removed]
            )
            self.connection.executemany(
                UPSERT_STATE_ITEM, [(name, key, to_json(value)) for key, value in (items or {}).items()]
            )

    def iter_state_items(self, name: str) -> Iterator[tuple[str, Any]]:
        """The pieces of state ``name`` as (key, value), by key, read a page at a time."""
        after = ""
        while True:
            rows = self.connection.execute(
                "SELECT key, data FROM story_state_items WHERE name = ? AND key > ? ORDER BY key LIMIT ?",
                (name, after, PAGE),
            ).fetchall()
            for key, data in rows:
                yield key, self.connection.from_json(data)
            if len(rows) < PAGE:
                return
            after = rows[-1][0]

    def save_origins(self, records: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
        """Keep (article id, origin group id, origin info as a dict) of articles that left the syndication
        index; a later record for the same article replaces the earlier one."""
        now, to_json = _now(), self.connection.to_json
        rows = [(article_id, group_id, now, to_json(data)) for article_id, group_id, data in records]
        with self.connection.transaction():
            self.connection.executemany(UPSERT_ORIGIN, rows)

    def load_origins(self, article_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """article id -> kept origin info, for those of ``article_ids`` that have one."""
        found: dict[str, dict[str, Any]] = {}
        ids = list(dict.fromkeys(article_ids))
        for start in range(0, len(ids), PAGE):
            page = ids[start : start + PAGE]
            marks = ", ".join("?" * len(page))
            rows = self.connection.execute(
                f"SELECT article_id, data FROM article_origins WHERE article_id IN ({marks})", page
            ).fetchall()
            found.update((article_id, self.connection.from_json(data)) for article_id, data in rows)
        return found


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
