"""Within one article, give every mention of one person, organisation or place one canonical name.

Rules, in order (no gazetteer beyond the small alias table in :mod:`.aliases`):

1. Names are tidied (no "the", possessive or shouting capitals) and country/organisation
   abbreviations mapped through the built-in alias table ("U.S." → "United States").
2. People: the longest full name in the article is canonical for its bare first or last
   name ("Putin" → "Vladimir Putin") when exactly one full name fits and their titles and
   genders do not clash; "Keith and Aviva Siegel" gives "Keith Siegel".
3. Organisations: an acronym links to the one longer name with those initials ("GM" →
   "General Motors"); a name plus a corporate suffix is the same company.
4. Roles: titles and appositions establish who holds which role ("U.S. first lady Melania
   Trump"); "the first lady", "Russia's president", FLOTUS resolve to the holder.
5. "she"/"he" as subject of an attribution verb resolve to the subject of the sentence
   before (or the one person gender-compatible there).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .aliases import (
    LEGAL_SUFFIXES,
    ROLE_ACRONYMS,
    builtin_canonical,
    name_tokens,
    surface_key,
    tidy_name,
    words,
)
from .ner_repair import ATTRIBUTION_LEMMAS, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# Role phrase → (role key or None for a bare honorific, gender cue or None).
ROLES: dict[str, tuple[str | None, str | None]] = {
    "first lady": ("first lady", "f"),
    "first gentleman": ("first lady", "m"),
    "president": ("president", None),
    "vice president": ("vice president", None),
    "prime minister": ("prime minister", None),
    "chancellor": ("chancellor", None),
    "foreign minister": ("foreign minister", None),
    "secretary of state": ("secretary of state", None),
    "secretary-general": ("secretary-general", None),
    "secretary general": ("secretary-general", None),
    "senator": ("senator", None),
    "governor": ("governor", None),
    "mayor": ("mayor", None),
    "king": ("king", "m"),
    "queen": ("queen", "f"),
    "prince": ("prince", "m"),
    "princess": ("princess", "f"),
    "pope": ("pope", "m"),
    "chief executive officer": ("chief executive", None),
    "chief executive": ("chief executive", None),
    "ceo": ("chief executive", None),
    "chairman": ("chairman", None),
    "chairwoman": ("chairman", "f"),
    "leader": ("leader", None),
    "supreme leader": ("leader", None),
    "spokesman": (None, "m"),
    "spokeswoman": (None, "f"),
    "congressman": (None, "m"),
    "congresswoman": (None, "f"),
    "mr.": (None, "m"),
    "mr": (None, "m"),
    "sir": (None, "m"),
    "lord": (None, "m"),
    "mrs.": (None, "f"),
    "mrs": (None, "f"),
    "ms.": (None, "f"),
    "ms": (None, "f"),
    "miss": (None, "f"),
    "dame": (None, "f"),
    "lady": (None, "f"),
    "husband": (None, "m"),
    "wife": (None, "f"),
}
# "the leader" may be any head of a state, government or organisation.
HEAD_ROLES = frozenset({"president", "prime minister", "chancellor", "king", "queen", "leader", "chairman"})
PRONOUN_GENDER = {"she": "f", "he": "m", "her": "f", "him": "m"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Common nouns that denote people; a pronoun after such a subject is not resolved to a named person.
PERSON_NOUNS = words(
    "official officials aide source sources lawyer attorney analyst expert witness spokesman spokeswoman "
    "spokesperson minister president leader man woman boy girl child mother father wife husband son "
    "daughter victim suspect police officer doctor nurse student teacher journalist correspondent "
    "diplomat envoy senator lawmaker candidate chief head"
)
PERSON_NOUN_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent")
DEMONYMS = {"american": "united states", "british": "united kingdom"}

_ROLE_RE = "|".join(sorted((re.escape(r) for r in ROLES), key=len, reverse=True))
_RESOLVABLE_RE = "|".join(sorted((re.escape(r) for r, (k, _) in ROLES.items() if k), key=len, reverse=True))
_ROLE_BEFORE = re.compile(rf"(?i:\b({_ROLE_RE}))\s+$")
_APPOSITION = re.compile(
    rf"^,\s+(?:(?i:the|a|an)\s+)?(?:([A-Z][\w.’'-]*)(?:['’]s)?\s+)?(?i:({_ROLE_RE}))\b"
    r"(?:\s+of\s+(?:the\s+)?([A-Z][\w.’'-]*))?"
)
ROLE_NOUN = re.compile(
    rf"\b(?:(?:[Tt]he|THE)\s+(?:([A-Z][\w.-]*+)\s+)?|([A-Z][\w.-]*+)['’]s\s+)(?i:({_RESOLVABLE_RE}))\b"
    r"(?:\s+of\s+(?:the\s+)?([A-Z][\w.-]*+))?(?!\s+[A-Z][a-z])"
)
_CORPORATE_WORDS = words(
    "inc corp corporation co company ltd llc plc group holdings sa ag nv spa gmbh motor motors"
)
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "&", "de", "du", "la"})


@dataclass(slots=True)
class Role:
    position: int
    key: str
    place: str | None


@dataclass(slots=True)
class Person:
    name: str
    gender: str | None = None
    roles: list[Role] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)


def place_key(surface: str | None) -> str | None:
    """A comparable form of a role's place: "U.S."/"American" → "united states", "Russian" → "russ"."""
    if not surface:
        return None
    builtin = builtin_canonical(surface)
    key = surface_key(builtin or surface)
    return DEMONYMS.get(key, key if builtin else key[:4])


def places_compatible(left: str | None, right: str | None) -> bool:
    return left is None or right is None or left == right


def roles_compatible(wanted: str, held: str) -> bool:
    return wanted == held or (wanted == "leader" and held in HEAD_ROLES)


# --- names -----------------------------------------------------------------------------------------


def display_names(mentions: list[Mention], text: str) -> None:
    """Set each mention's tidy name; all-capitals names take the article's mixed-case spelling."""
    spelled = {
        surface_key(m.text(text)): tidy_name(m.text(text))
        for m in mentions
        if not _shouting(m.text(text), m.label)
    }
    for mention in mentions:
        name = tidy_name(mention.text(text))
        if _shouting(name, mention.label):
            name = spelled.get(surface_key(name)) or _title_case(name)
        mention.canonical = name


def _title_case(name: str) -> str:
    return " ".join(word[:1] + word[1:].lower() for word in name.split())


def _shouting(name: str, label: str) -> bool:
    """All capitals and several words, or a word too long for an acronym (NATO, UNESCO; places: USA)."""
    letters = sum(c.isalpha() for c in name)
    longest_acronym = 3 if label in ("GPE", "LOC") else 6
    several_words = len(name.split()) > 1
    return name.isupper() and builtin_canonical(name) is None and (several_words or letters > longest_acronym)


def link_builtin_aliases(mentions: list[Mention]) -> None:
    for mention in mentions:
        if mention.label not in ("PERSON", "NORP") and mention.canonical:
            mention.canonical = builtin_canonical(mention.canonical) or _expand_place_prefix(
                mention.canonical
            )


def _expand_place_prefix(name: str) -> str:
    """ "U.S. Air Force" and "US Air Force" are both "United States Air Force"."""
    first, _, rest = name.partition(" ")
    place = builtin_canonical(first) if rest else None
    return f"{place} {rest}" if place else name


def link_coordinated_first_names(mentions: list[Mention], text: str) -> None:
    """ "Keith and Aviva Siegel": the bare first name shares the full name's surname."""
    for left, right in itertools.pairwise(mentions):
        coordinated = text[left.end : right.start] in (" and ", " & ")
        if coordinated and left.label == right.label == "PERSON" and left.canonical and right.canonical:
            words = right.canonical.split()
            if len(left.canonical.split()) == 1 and len(words) == 2:
                left.canonical = f"{left.canonical} {words[-1]}"


def link_person_short_forms(mentions: list[Mention], people: dict[str, Person]) -> None:
    """Bare first/last names and shorter full names → the longest full name that fits alone."""
    full = sorted(
        {m.canonical for m in mentions if m.label == "PERSON" and m.canonical and " " in m.canonical}
    )
    longest = {name: _longest_variant(name, full) for name in full}
    for mention in mentions:
        if mention.label != "PERSON" or not mention.canonical:
            continue
        if mention.canonical in longest:
            mention.canonical = longest[mention.canonical]
        elif len(name_tokens(mention.canonical)) == 1:
            mention.canonical = _unique_full_name(mention, set(longest.values()), people) or mention.canonical


def _longest_variant(name: str, full: list[str]) -> str:
    """ "Vladimir Putin" → "Vladimir Vladimirovich Putin" when the article has both."""
    tokens = name_tokens(name)
    variants = [f for f in full if _same_ends_subsequence(tokens, name_tokens(f))]
    return max(variants, key=lambda f: (len(name_tokens(f)), f))


def _same_ends_subsequence(short: list[str], long: list[str]) -> bool:
    if short[0] != long[0] or short[-1] != long[-1]:
        return False
    remaining = iter(long)
    return all(token in remaining for token in short)


def _unique_full_name(mention: Mention, full: set[str], people: dict[str, Person]) -> str | None:
    key = surface_key(mention.canonical or "")
    fits = [name for name in full if key in (name_tokens(name)[0], name_tokens(name)[-1])]
    own = mention.cues
    fits = [name for name in fits if name not in people or _cues_compatible(own, people[name])]
    return fits[0] if len(fits) == 1 else None


def link_organisation_short_forms(mentions: list[Mention]) -> None:
    """Acronyms and names without their corporate suffix → the longer name of the same body."""
    names = sorted({m.canonical for m in mentions if m.label not in ("PERSON", "NORP") and m.canonical})
    for mention in mentions:
        if mention.label in ("PERSON", "NORP") or not mention.canonical:
            continue
        fits = [n for n in names if n != mention.canonical and _is_short_org(mention.canonical, n)]
        if len(fits) == 1:
            mention.canonical = fits[0]


def _is_short_org(short: str, long: str) -> bool:
    short_words, long_words = name_tokens(short), name_tokens(long)
    if len(short_words) == 1 and short.replace(".", "").isupper() and len(long_words) > 1:
        initials = "".join(w[0] for w in long_words if w not in _ACRONYM_SKIP and w not in LEGAL_SUFFIXES)
        return len(initials) > 1 and initials == short_words[0]
    extra = len(long_words) - len(short_words)
    if extra <= 0:
        return False
    suffixed = long_words[: len(short_words)] == short_words and set(long_words[-extra:]) <= _CORPORATE_WORDS
    # "Air Force" in an article that also says "United States Air Force".
    placed = long_words[extra:] == short_words and builtin_canonical(" ".join(long_words[:extra])) is not None
    # "787" in an article that also says "Boeing 787".
    model = long_words[extra:] == short_words and any(c.isdigit() for c in short_words[0])
    return suffixed or placed or model


# --- roles -----------------------------------------------------------------------------------------


def collect_people(mentions: list[Mention]) -> dict[str, Person]:
    """Every named person with the roles and gender its titles and appositions establish (see attach_cues)."""
    people: dict[str, Person] = {}
    for mention in mentions:
        if mention.label != "PERSON" or not mention.canonical:
            continue
        person = people.setdefault(mention.canonical, Person(mention.canonical))
        person.positions.append(mention.start)
        for key, gender, place in mention.cues:
            if key:
                person.roles.append(Role(mention.start, key, place))
            person.gender = person.gender or gender
    return people


def mention_roles(
    mention: Mention, text: str, by_end: dict[int, Mention]
) -> list[tuple[str | None, str | None, str | None]]:
    """Roles written just before the name ("Russian President ...") or in apposition after it."""
    cues = []
    if mention.title:
        cues.append(_role_cue(mention.title, None))
    window_start = max(0, mention.start - 40)
    before = _ROLE_BEFORE.search(text, window_start, mention.start)
    if before:
        cues.append(_role_cue(before.group(1), _place_before(before.start(), text, by_end)))
    after = _APPOSITION.match(text[mention.end : mention.end + 120])
    if after:
        cues.append(_role_cue(after.group(2), after.group(3) or after.group(1)))
    return cues


def _role_cue(phrase: str, place: str | None) -> tuple[str | None, str | None, str | None]:
    key, gender = ROLES.get(phrase.casefold().strip(), (None, None))
    if phrase.casefold().startswith("u.s. first lady"):  # a title cut off a name whole (see TITLES)
        key, gender, place = "first lady", "f", "U.S."
    return key, gender, place_key(place)


def _place_before(role_start: int, text: str, by_end: dict[int, Mention]) -> str | None:
    """The place or body named right before a role: "Russian President", "Russia's president", "GM CEO"."""
    for gap in (" ", "'s ", "’s ", "  "):
        owner = by_end.get(role_start - len(gap))
        if owner is not None and text[owner.end : role_start] == gap and owner.label != "PERSON":
            return owner.canonical
    return None


def _cues_compatible(cues: list[tuple[str | None, str | None, str | None]], person: Person) -> bool:
    for key, gender, place in cues:
        if gender and person.gender and gender != person.gender:
            return False
        held = [r for r in person.roles if places_compatible(place, r.place)]
        if key and person.roles and not any(roles_compatible(key, r.key) for r in held):
            return False
    return True


def attach_cues(mentions: list[Mention], text: str) -> None:
    by_end = {m.end: m for m in mentions}
    for mention in mentions:
        if mention.label == "PERSON":
            mention.cues = mention_roles(mention, text, by_end)


def role_holder(people: dict[str, Person], key: str, place: str | None, *, before: int) -> Person | None:
    """The one person the article has named in this role before ``before`` (else anywhere in it).

    Two different holders make the role noun ambiguous: it stays unresolved rather than guessed
    ("the president" after both "President Trump" and "President Putin").
    """
    holders = [p for p in people.values() if _holds(p, key, place)]
    earlier = [
        p for p in holders if any(r.position < before for r in p.roles if roles_compatible(key, r.key))
    ]
    pool = earlier or holders
    if len({p.name for p in pool}) == 1:
        return pool[0]
    return None


def _holds(person: Person, key: str, place: str | None) -> bool:
    return any(roles_compatible(key, r.key) and places_compatible(place, r.place) for r in person.roles)


def resolve_role_acronyms(mentions: list[Mention], people: dict[str, Person]) -> None:
    """FLOTUS/POTUS → whoever the article names in that role (never a fixed person)."""
    for mention in mentions:
        role = ROLE_ACRONYMS.get(surface_key(mention.canonical or ""))
        if role is not None:
            holder = role_holder(people, role[0], role[1], before=mention.start)
            mention.canonical = holder.name if holder else mention.canonical


def role_noun_mentions(
    text: str, people: dict[str, Person], *, start: int = 0, end: int | None = None
) -> list[Mention]:
    """ "the first lady", "the Russian leader", "Russia's president" → the named holder, as PERSON."""
    found = []
    for match in ROLE_NOUN.finditer(text, start, len(text) if end is None else end):
        key = ROLES[match.group(3).casefold()][0]
        place = place_key(match.group(4) or match.group(1) or match.group(2))
        holder = role_holder(people, key or "", place, before=match.start()) if key else None
        if holder is not None:
            # The mention ends at the role word: "of Chrysler" stays Chrysler's own mention.
            whole = Mention(match.start(), match.end(3), "PERSON", canonical=holder.name)
            role_only = Mention(match.start(3), match.end(3), "PERSON", canonical=holder.name)
            found.append(whole if match.group(2) is None else role_only)
    return found


# --- pronouns --------------------------------------------------------------------------------------


class SentenceIndex:
    def __init__(self, doc: Doc) -> None:
        self.sents = list(doc.sents)
        self.starts = [sent.start_char for sent in self.sents]

    def of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def attribution_subject_pronouns(doc: Doc) -> Iterable[tuple[int, int, str]]:
    """(start, end, gender) of "she"/"he" that are subjects of said/told/...."""
    for token in doc:
        gender = PRONOUN_GENDER.get(token.lower_)
        if gender and token.dep_ in SUBJECT_DEPS and token.head.lemma_ in ATTRIBUTION_LEMMAS:
            yield token.idx, token.idx + len(token.text), gender


def antecedent(
    offset: int,
    gender: str | None,
    persons: list[Mention],
    people: dict[str, Person],
    doc: Doc,
    *,
    sentences: SentenceIndex | None = None,
) -> str | None:
    """The subject of this or the previous two sentences, or the one gender-compatible person there."""
    sentences = sentences or SentenceIndex(doc)
    here = sentences.of(offset)
    for back in range(3):
        pool = [m for m in persons if m.start < offset and sentences.of(m.start) == here - back]
        pool = [m for m in pool if _gender_fits(m, gender, people)]
        if here - back < 0:
            return None
        sent = sentences.sents[here - back]
        main = [m for m in pool if _is_main_subject(m, sent, doc)]
        if main:
            return main[-1].canonical
        if _unnamed_person_subject(sent, offset):
            return None  # "one reporter asked ... He asked": the pronoun is most likely that person
        subjects = [m for m in pool if _is_subject(m, doc)]
        if subjects:
            return subjects[-1].canonical
        if len({m.canonical for m in pool}) == 1:
            return pool[0].canonical
        if pool:
            return None  # several people and none the subject: leave it unresolved
    return None


def _is_main_subject(mention: Mention, sent: Span, doc: Doc) -> bool:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in SUBJECT_DEPS and span.root.head == sent.root


def _unnamed_person_subject(sent: Span, before: int) -> bool:
    """The main clause's subject (before ``before``) is a person-denoting common noun ("a reporter")."""
    for token in sent:
        if token.idx >= before:
            break
        main = token.dep_ in SUBJECT_DEPS and token.head == sent.root
        if main and token.pos_ == "NOUN" and _person_noun(token.lower_):
            return True
    return False


def _person_noun(word: str) -> bool:
    return word in PERSON_NOUNS or word.endswith(PERSON_NOUN_SUFFIXES)


def _gender_fits(mention: Mention, gender: str | None, people: dict[str, Person]) -> bool:
    person = people.get(mention.canonical or "")
    return gender is None or person is None or person.gender in (None, gender)


def _is_subject(mention: Mention, doc: Doc) -> bool:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in SUBJECT_DEPS


def pronoun_mentions(mentions: list[Mention], people: dict[str, Person], doc: Doc) -> list[Mention]:
    """Subject pronouns of attribution verbs resolved to a person, as PERSON mentions."""
    persons = sorted((m for m in mentions if m.label == "PERSON" and m.canonical), key=lambda m: m.start)
    pronouns = list(attribution_subject_pronouns(doc))
    sentences = SentenceIndex(doc) if pronouns else None  # listing a Doc's sentences is not cheap
    found = []
    for start, end, gender in pronouns:
        name = antecedent(start, gender, persons, people, doc, sentences=sentences)
        if name is not None:
            found.append(Mention(start, end, "PERSON", canonical=name))
            person = people.get(name)
            if person is not None and person.gender is None:
                person.gender = gender  # later pronouns must agree with this one
    return found


# --- all together ----------------------------------------------------------------------------------


def canonicalise(mentions: list[Mention], doc: Doc) -> list[Mention]:
    """Set ``canonical`` on every mention and add the resolved role nouns and pronouns."""
    text = doc.text
    display_names(mentions, text)
    link_builtin_aliases(mentions)
    link_coordinated_first_names(mentions, text)
    attach_cues(mentions, text)
    link_person_short_forms(mentions, collect_people(mentions))
    link_organisation_short_forms(mentions)
    people = collect_people(mentions)
    resolve_role_acronyms(mentions, people)
    combined = list(mentions)
    for role in role_noun_mentions(text, people):
        # Never displace a name: "the Russian leader" keeps "Russian", and becomes "leader" alone.
        fitting = role if _free(role, combined) else _role_word_only(role, text)
        if fitting is not None and _free(fitting, combined):
            combined.append(fitting)
    combined += [p for p in pronoun_mentions(combined, people, doc) if _free(p, combined)]
    return sorted(combined, key=lambda m: m.start)


def _role_word_only(role: Mention, text: str) -> Mention | None:
    match = re.search(rf"(?i:{_RESOLVABLE_RE})$", text[role.start : role.end])
    if match is None:
        return None
    return Mention(role.start + match.start(), role.end, "PERSON", canonical=role.canonical)


def _free(candidate: Mention, mentions: list[Mention]) -> bool:
    return all(candidate.end <= m.start or candidate.start >= m.end for m in mentions)
