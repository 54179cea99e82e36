"""A database built once per module from the sample articles plus a few hand-written ones."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline import api
from storyline.server import create_app
from storyline.store import open_store
from tests.conftest import SEEDS

# Short articles sharing publication dates, so sorting must break ties by id.
EXTRA = [
    {
        "title": f"Council vote {n} on the harbour bridge",
        "text": f"The city council voted {n} times on Tuesday to fund repairs of the harbour bridge, "
        f'the mayor, Anna Lindqvist, said. "We will open it by June," Lindqvist told reporters. Item {n}.',
        "published": "2026-02-05",
        "source": "Harbour Gazette",
        "url": f"https://example.org/bridge-{n}",
    }
    for n in range(1, 4)
]


def build(path: Path, tmp: Path) -> None:
    extra = tmp / "extra.jsonl"
    extra.write_text("".join(json.dumps(a) + "\n" for a in EXTRA), encoding="utf-8")
    with open_store(str(path)) as store:
        events = list(api.iter_ingest(store, [str(SEEDS), str(extra)]))
        assert [e.outcome for e in events].count("stored") == 2 + len(EXTRA)
        assert not [e for e in api.iter_annotate(store) if e.error]
        list(api.iter_update_stories(store))


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("api")
    path = folder / "seeded.db"
    build(path, folder)
    return path


@pytest.fixture
def fresh_db(seeded_db: Path, tmp_path: Path) -> Path:
    """A copy of the seeded database that a test may change."""
    copy = tmp_path / "copy.db"
    shutil.copyfile(seeded_db, copy)
    return copy


@pytest.fixture(scope="module")
def client(seeded_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db=str(seeded_db))) as test_client:
        yield test_client
