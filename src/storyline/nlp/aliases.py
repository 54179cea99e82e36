"""Surface forms → canonical names: a small built-in table, and one that grows across articles.

Within one article :mod:`storyline.nlp.canonical` links short forms to the longest full
name. Across articles the rule is "the same canonical name means the same entity";
:class:`AliasTable` remembers which surface forms each canonical name was written as and
maps a later bare short form ("Putin") onto the one full name it was learned for
("Vladimir Putin"). It is conservative: two different full names are never merged, and a
short form seen with two different full names stays unmerged while both are remembered.

Bounded memory. With ``window_days`` set (the story builder passes ``settings.alias_window_days``), each
learned link and spelling keeps the newest publication day of an article it was seen in, and entries
not seen within ``window_days`` of the newest day seen are forgotten. Entries are bucketed by the month
they were last seen, so forgetting looks only at the months that fell out of the window: an entry lives
between ``window_days`` and ``window_days`` plus one month after it was last seen. Undated articles count
from the newest day seen (from the first date seen when there was none yet). Without ``window_days`` the
table keeps everything (batch use: evaluation, ``learn_all``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import E440, OptionError
from ..model import Article

# Abbreviations and common names of countries and organisations, each mapped to the one
# canonical name used everywhere (keys are `surface_key` forms).
BUILTIN_ALIASES: dict[str, str] = {
    **dict.fromkeys(["us", "usa", "united states", "united states of america", "america"], "United States"),
    **dict.fromkeys(["uk", "britain", "great britain", "united kingdom"], "United Kingdom"),
    **dict.fromkeys(["un", "united nations"], "United Nations"),
    **dict.fromkeys(["eu", "european union"], "European Union"),
    **dict.fromkeys(["nato", "north atlantic treaty organization"], "NATO"),
    **dict.fromkeys(["uae", "united arab emirates"], "United Arab Emirates"),
    **dict.fromkeys(["ussr", "soviet union"], "Soviet Union"),
    **dict.fromkeys(["prc", "people's republic of china"], "China"),
    **dict.fromkeys(["who", "world health organization"], "World Health Organization"),
    **dict.fromkeys(["imf", "international monetary fund"], "International Monetary Fund"),
    **dict.fromkeys(["fbi", "federal bureau of investigation"], "FBI"),
    **dict.fromkeys(["cia", "central intelligence agency"], "CIA"),
}

# Acronyms naming whoever holds a role, resolved per article (never to a fixed person):
# acronym → (role key, place key of the role).
ROLE_ACRONYMS: dict[str, tuple[str, str]] = {
    "flotus": ("first lady", "united states"),
    "potus": ("president", "united states"),
    "vpotus": ("vice president", "united states"),
    "scotus": ("justice", "united states"),
}

PERSON = "PERSON"
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def words(text: str) -> frozenset[str]:
    """A word set written as one string (keeps long vocabularies readable)."""
    return frozenset(text.split())


def surface_key(surface: str) -> str:
    """Lookup form of a name: case-folded, dots and possessive dropped, one space, no leading "the"."""
    text = _SPACES.sub(" ", surface.strip())
    text = _POSSESSIVE.sub("", text)
    text = _LEADING_THE.sub("", text)
    return text.replace(".", "").casefold().strip()


def builtin_canonical(surface: str) -> str | None:
    return BUILTIN_ALIASES.get(surface_key(surface))


def family(label: str) -> str:
    """People and everything else are kept apart: "Ford" the person is not Ford the company."""
    return PERSON if label == PERSON else "NAME"


def name_tokens(name: str) -> list[str]:
    return surface_key(name).split()


@dataclass(slots=True)
class AliasTable:
    """Maps surface forms to canonical names across articles; grows with ``update``.

    ``links`` holds surface key → canonical names it was written for (per label family);
    ``full_names`` the multi-word canonical names per family, from which bare first or
    last names are resolved when exactly one full name fits.
    """

    links: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    full_names: dict[str, set[str]] = field(default_factory=dict)
    # Organisation/place core name ("apple" for "Apple Inc.") → canonical spellings → times seen.
    spellings: dict[str, dict[str, int]] = field(default_factory=dict)
    # Forget entries not seen within this many days of the newest day seen (None: keep everything).
    window_days: int | None = None
    # Day ordinal of the newest publication seen.
    clock: int | None = None
    # Entry → day ordinal last seen (None: before any date). Entries: (LINK, family, surface key, canonical)
    # and (SPELLING, core, canonical).
    last_seen: dict[tuple[str, ...], int | None] = field(default_factory=dict)
    # Month number → entries last seen in that month (or since: stale listings are skipped).
    _months: dict[int, list[tuple[str, ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def update(self, article: Article) -> None:
        """Learn every (surface, canonical) pair of the article's named entities."""
        day = day_ordinal(article.published)
        self._advance(day)
        for entity in article.entities:
            if entity.canonical and is_name(entity.text):
                self.add(entity.text, entity.canonical, entity.label, day=day)

    def add(self, surface: str, canonical: str, label: str, *, day: int | None = None) -> None:
        """Learn one pair, seen on ``day`` (a day ordinal; the clock when None)."""
        group = family(label)
        day = day if day is not None else self.clock
        links = self.links.setdefault(group, {})
        links.setdefault(surface_key(canonical), set()).add(canonical)
        self._seen((LINK, group, surface_key(canonical), canonical), day)
        if surface_key(surface) != surface_key(canonical) and len(name_tokens(surface)) > 0:
            links.setdefault(surface_key(surface), set()).add(canonical)
            self._seen((LINK, group, surface_key(surface), canonical), day)
        if len(name_tokens(canonical)) > 1:
            self.full_names.setdefault(group, set()).add(canonical)
        if group != PERSON:
            seen = self.spellings.setdefault(org_core(canonical), {})
            seen[canonical] = seen.get(canonical, 0) + 1
            self._seen((SPELLING, org_core(canonical), canonical), day)

    # -- time window ---------------------------------------------------------------------------

    def _seen(self, entry: tuple[str, ...], day: int | None) -> None:
        before = self.last_seen.get(entry)
        if entry in self.last_seen and (day is None or (before is not None and before >= day)):
            return
        self.last_seen[entry] = day
        if day is not None and (before is None or _month(before) != _month(day)):
            self._months.setdefault(_month(day), []).append(entry)

    def _advance(self, day: int | None) -> None:
        if day is None or (self.clock is not None and day <= self.clock):
            return
        first = self.clock is None
        self.clock = day
        if first:  # entries learned before any date count from the first one (once)
            for entry in [e for e, seen in self.last_seen.items() if seen is None]:
                self._seen(entry, day)
        if self.window_days is not None:
            self._forget(day - self.window_days)

    def _forget(self, horizon: int) -> None:
        """Forget entries last seen in months wholly before ``horizon`` (only those months are looked at)."""
        for month in sorted(m for m in self._months if m < _month(horizon)):
            for entry in self._months.pop(month):
                seen = self.last_seen.get(entry)
                if seen is not None and _month(seen) == month:  # not seen again since
                    self._drop(entry)

    def _drop(self, entry: tuple[str, ...]) -> None:
        del self.last_seen[entry]
        if entry[0] == SPELLING:
            _, core, canonical = entry
            _discard(self.spellings, core, canonical)
            return
        _, group, key, canonical = entry
        _discard(self.links.get(group, {}), key, canonical)
        if not self.links.get(group, True):
            del self.links[group]
        if key == surface_key(canonical):
            _discard(self.full_names, group, canonical)

    def canonical(self, surface: str, label: str) -> str:
        """The canonical name for ``surface``; the surface itself (tidied) when nothing fits for sure."""
        builtin = builtin_canonical(surface)
        if builtin is not None and label != PERSON:
            return builtin
        group = family(label)
        key = surface_key(surface)
        # Names learned for this surface other than itself ("GM" → "General Motors").
        known = {n for n in self.links.get(group, {}).get(key, set()) if surface_key(n) != key}
        resolved = self._resolve_person(key, known) if group == PERSON else self._resolve_name(surface, known)
        return resolved if resolved is not None else tidy_name(surface)

    def _resolve_person(self, key: str, known: set[str]) -> str | None:
        if len(known) > 1:
            return None  # written for two different people: ambiguous, never merged
        if known:
            return known.pop()
        return self._short_form(key, PERSON)

    def _resolve_name(self, surface: str, known: set[str]) -> str | None:
        """Organisations and places: one spelling per core name ("Apple", "Apple Inc." → "Apple Inc.")."""
        cores = {org_core(n) for n in known}
        if len(cores) > 1:
            return None
        core = cores.pop() if cores else org_core(surface)
        seen = self.spellings.get(core)
        if not seen:
            return None
        # The fullest spelling, so the choice does not depend on the order articles arrive in.
        return max(seen, key=lambda name: (len(name_tokens(name)), len(name), name))

    def _short_form(self, key: str, group: str) -> str | None:
        if len(key.split()) != 1:
            return None
        fits = {name for name in self.full_names.get(group, ()) if is_short_form(key, name)}
        return fits.pop() if len(fits) == 1 else None

    def resolve(self, article: Article) -> Article:
        """Rewrite the article's entity canonicals to the table's (call ``update`` on others first)."""
        for entity in article.entities:
            entity.canonical = self.canonical(entity.canonical or entity.text, entity.label)
        return article

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict; ``last_seen`` lists each entry with its ISO day (null: before any date)."""
        return {
            "links": {g: {k: sorted(v) for k, v in sorted(m.items())} for g, m in sorted(self.links.items())},
            "full_names": {g: sorted(v) for g, v in sorted(self.full_names.items())},
            "spellings": {k: dict(sorted(v.items())) for k, v in sorted(self.spellings.items())},
            "clock": _iso(self.clock),
            "last_seen": sorted([*entry, _iso(day)] for entry, day in self.last_seen.items()),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, window_days: int | None = None) -> AliasTable:
        """The table of ``to_dict`` (older dicts without dates load too: their entries count from the next
        date seen)."""
        try:
            links = {g: {k: set(v) for k, v in m.items()} for g, m in data["links"].items()}
            full = {g: set(v) for g, v in data["full_names"].items()}
            spellings = {k: {n: int(c) for n, c in v.items()} for k, v in data.get("spellings", {}).items()}
            clock = day_ordinal(data.get("clock"))
            last_seen = {_entry(row[:-1]): day_ordinal(row[-1]) for row in data.get("last_seen", [])}
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise OptionError(E440.format(reason=exc)) from exc
        table = cls(links=links, full_names=full, spellings=spellings, window_days=window_days, clock=clock)
        if "last_seen" not in data:
            last_seen = dict.fromkeys(_entries(links, spellings))
        for entry, day in last_seen.items():
            table._seen(entry, day)
        return table


LINK = "link"
SPELLING = "spelling"


def _entries(
    links: dict[str, dict[str, set[str]]], spellings: dict[str, dict[str, int]]
) -> list[tuple[str, ...]]:
    """Every entry of an old-format table (no dates kept)."""
    found: list[tuple[str, ...]] = [
        (LINK, group, key, name)
        for group, keys in links.items()
        for key, names in keys.items()
        for name in names
    ]
    found.extend((SPELLING, core, name) for core, names in spellings.items() for name in names)
    return found


def _entry(values: list[Any]) -> tuple[str, ...]:
    entry = tuple(str(value) for value in values)
    if (entry[:1], len(entry)) not in (((LINK,), 4), ((SPELLING,), 3)):
        raise ValueError(f"not an alias entry: {values!r}")
    return entry


def _discard(table: dict[str, Any], key: str, value: str) -> None:
    """Remove ``value`` from the set or dict at ``table[key]``, and the key when that empties it."""
    values = table.get(key)
    if values is None:
        return
    if isinstance(values, set):
        values.discard(value)
    else:
        values.pop(value, None)
    if not values:
        del table[key]


def day_ordinal(value: str | None) -> int | None:
    """Day ordinal of an ISO date or timestamp (``YYYY-MM-DD`` prefix); None when absent or not a date."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _iso(day: int | None) -> str | None:
    return None if day is None else date.fromordinal(day).isoformat()


def _month(day: int) -> int:
    when = date.fromordinal(day)
    return when.year * 12 + when.month - 1


LEGAL_SUFFIXES = words("inc corp corporation co company ltd llc plc group holdings sa ag nv spa gmbh")


def org_core(name: str) -> str:
    """The name without trailing legal-form words: "Fiat Group SpA" → "fiat", "Apple Inc." → "apple"."""
    tokens = name_tokens(name)
    while len(tokens) > 1 and tokens[-1].strip(",") in LEGAL_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)


_ARTICLE = re.compile(r"(?i:the|a|an)\s")
PRONOUNS = words("he she him her his hers it its they them their i we you")


def is_name(surface: str) -> bool:
    """A written name, not a pronoun or role noun the entities stage resolved ("she", "The First Lady")."""
    key = surface_key(surface)
    written_as_name = any(c.isupper() or c.isdigit() for c in surface) and not _ARTICLE.match(surface)
    return written_as_name and key not in PRONOUNS and key not in ROLE_ACRONYMS


def is_short_form(key: str, full_name: str) -> bool:
    """``key`` is the first or the last word of a multi-word name."""
    tokens = name_tokens(full_name)
    return len(tokens) > 1 and key in (tokens[0], tokens[-1])


def tidy_name(surface: str) -> str:
    """Display form: one space, no possessive, no leading "the"."""
    text = _SPACES.sub(" ", surface.strip())
    text = _POSSESSIVE.sub("", text)
    return _LEADING_THE.sub("", text).strip() or surface.strip()


def learn_all(articles: Iterable[Article]) -> AliasTable:
    """A table learned from many articles (convenience for batch use and evaluation)."""
    table = AliasTable()
    for article in articles:
        table.update(article)
    return table
