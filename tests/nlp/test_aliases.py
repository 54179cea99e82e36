"""The alias table's time window: entries not seen within ``window_days`` are forgotten, cheaply."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from storyline.errors import OptionError
from storyline.model import Article, Entity
from storyline.nlp.aliases import LINK, SPELLING, AliasTable


def day(offset: int) -> str:
    return (date(2025, 1, 1) + timedelta(days=offset)).isoformat()


def mentions(published: str | None, *names: tuple[str, str, str]) -> Article:
    """An article mentioning each (surface, canonical, label), as the entities stage leaves them."""
    text = ". ".join(surface for surface, _, _ in names)
    entities, at = [], 0
    for surface, canonical, label in names:
        entities.append(Entity(surface, label, at, at + len(surface), canonical=canonical))
        at += len(surface) + 2
    return Article(id=f"a{published}", origin="test", text=text, published=published, entities=entities)


PUTIN = ("Putin", "Vladimir Putin", "PERSON")
APPLE = ("Apple", "Apple Inc.", "ORG")
MACRON = ("Macron", "Emmanuel Macron", "PERSON")


def test_entries_not_seen_within_the_window_are_forgotten() -> None:
    table = AliasTable(window_days=365)
    table.update(mentions(day(0), PUTIN, APPLE))
    table.update(mentions(day(200), MACRON))
    assert table.canonical("Putin", "PERSON") == "Vladimir Putin"
    table.update(mentions(day(380), MACRON))  # 380 days on, but January is not wholly out of the window yet
    assert table.canonical("Putin", "PERSON") == "Vladimir Putin"
    table.update(mentions(day(430), MACRON))  # now all of January is more than 365 days back
    assert table.canonical("Putin", "PERSON") == "Putin" and table.canonical("Apple", "ORG") == "Apple"
    assert table.canonical("Macron", "PERSON") == "Emmanuel Macron"
    assert "Vladimir Putin" not in table.full_names["PERSON"] and "apple" not in table.spellings
    assert all(entry[-1] != "Vladimir Putin" for entry in table.last_seen)


def test_an_entry_seen_again_stays() -> None:
    table = AliasTable(window_days=60)
    table.update(mentions(day(0), PUTIN))
    table.update(mentions(day(50), PUTIN))
    table.update(mentions(day(100), MACRON))  # January leaves; its listing of Putin is stale (seen in Feb)
    assert table.canonical("Putin", "PERSON") == "Vladimir Putin"
    table.update(mentions(day(150), MACRON))
    assert table.canonical("Putin", "PERSON") == "Putin"


def test_forgetting_ends_an_ambiguity() -> None:
    table = AliasTable(window_days=30)
    table.update(mentions(day(0), ("Trump", "Donald Trump", "PERSON")))
    table.update(mentions(day(100), ("Trump", "Melania Trump", "PERSON")))
    assert table.canonical("Trump", "PERSON") == "Melania Trump"  # Donald was forgotten meanwhile


def test_without_a_window_nothing_is_forgotten() -> None:
    table = AliasTable()
    table.update(mentions(day(0), PUTIN))
    table.update(mentions(day(5000), MACRON))
    assert table.canonical("Putin", "PERSON") == "Vladimir Putin"


def test_undated_articles_count_from_the_clock() -> None:
    table = AliasTable(window_days=30)
    table.update(mentions(None, PUTIN))  # before any date: counts from the first one
    table.update(mentions(day(40), MACRON))
    table.update(mentions(None, APPLE))  # counts from day 40
    assert table.canonical("Putin", "PERSON") == "Vladimir Putin"
    table.update(mentions(day(100), MACRON))
    assert table.canonical("Putin", "PERSON") == "Putin" and table.canonical("Apple", "ORG") == "Apple"


def test_only_months_that_left_the_window_are_looked_at() -> None:
    table = AliasTable(window_days=30)
    for offset in range(0, 120, 3):
        table.update(mentions(day(offset), (f"Name{offset}", f"Full Name{offset}", "PERSON")))
    assert set(table._months) <= {2025 * 12 + m for m in range(1, 4)}  # older months were dropped
    assert len(table.last_seen) <= 2 * (61 // 3 + 1)  # at most ~two months of articles, two entries each


def test_dates_round_trip_and_old_dicts_load() -> None:
    table = AliasTable(window_days=30)
    table.update(mentions(day(0), PUTIN, APPLE))
    data = json.loads(json.dumps(table.to_dict()))
    assert [LINK, "PERSON", "putin", "Vladimir Putin", day(0)] in data["last_seen"]
    assert [SPELLING, "apple", "Apple Inc.", day(0)] in data["last_seen"]
    again = AliasTable.from_dict(data, window_days=30)
    assert again.to_dict() == table.to_dict() and again.clock == table.clock
    again.update(mentions(day(70), MACRON))
    assert again.canonical("Putin", "PERSON") == "Putin"

    old = {k: v for k, v in data.items() if k not in ("clock", "last_seen")}  # before dates were kept
    loaded = AliasTable.from_dict(old, window_days=30)
    assert loaded.canonical("Putin", "PERSON") == "Vladimir Putin" and loaded.clock is None
    loaded.update(mentions(day(300), MACRON))  # old entries count from the first date seen
    loaded.update(mentions(day(320), MACRON))
    assert loaded.canonical("Putin", "PERSON") == "Vladimir Putin"
    loaded.update(mentions(day(400), MACRON))
    assert loaded.canonical("Putin", "PERSON") == "Putin"


@pytest.mark.parametrize("breakage", [{"clock": 5}, {"last_seen": [["link"]]}, {"last_seen": 3}])
def test_malformed_dates_are_e440(breakage: dict[str, object]) -> None:
    data = {**AliasTable().to_dict(), **breakage}
    with pytest.raises(OptionError, match="E440"):
        AliasTable.from_dict(data)
