"""Predicate senses: which verbs (and light-verb + noun phrases) say the same thing, and which the opposite.

A claim's predicate is a lemma with particles and bare complements ("return", "send home",
"remain in contact", "hold discussions"). :func:`senses` maps it to a small set of sense names so
that "returned", "sent home" and "brought back" align, and so does a denial worded as "denied
abducting" with one worded as "refuted these claims".
"""

from __future__ import annotations

from ..model import Claim

# Each sense, with the predicates (lemma + particle/complement) that express it.
SENSE_WORDS: dict[str, tuple[str, ...]] = {
    "return": ("return", "send home", "send back", "bring back", "bring home", "repatriate", "come home"),
    "accuse": ("accuse", "allege", "charge", "blame"),
    "deny": ("deny", "refute", "reject", "dismiss", "dispute", "rebut"),
    "say": ("say", "tell", "state", "announce", "declare", "report", "add", "note"),
    "contact": ("be in contact", "remain in contact", "stay in contact", "be in touch", "keep in touch"),
    "talk": ("talk", "meet", "discuss", "negotiate", "confer", "hold talks", "have talks"),
    "kill": ("kill", "slay", "murder", "shoot dead"),
    "arrest": ("arrest", "detain", "apprehend", "take into custody"),
    "charge": ("charge", "indict"),
    "buy": ("buy", "purchase", "acquire", "order"),
    "win": ("win", "secure", "clinch"),
    "injure": ("injure", "wound", "hurt"),
    "free": ("free", "release", "liberate"),
    "resign": ("resign", "quit", "step down"),
    "abduct": ("abduct", "kidnap", "deport", "take", "transport", "seize"),
    "attack": ("attack", "strike", "hit", "bomb", "shell"),
    "deliver": ("deliver", "hand-deliver", "hand", "give", "pass"),
    "write": ("write", "send", "pen"),
    "hire": ("hire", "appoint", "name", "sign"),
    "fire": ("fire", "sack", "dismiss", "let go"),
    "enter": ("enter", "check into", "check in", "admit"),
    "rise": ("rise", "increase", "climb", "grow", "gain", "jump"),
    "fall": ("fall", "decrease", "drop", "decline", "slide", "plunge", "lose"),
    "erupt": ("erupt", "strike", "hit", "shake", "jolt", "rock"),
    "fight": ("fight", "tackle", "battle", "combat", "bring under control"),
    "destroy": ("destroy", "gut", "raze", "reduce to ruins", "burn down", "ravage"),
    "evacuate": ("evacuate", "move", "relocate"),
    "break out": ("break out", "start", "erupt", "begin"),
    "collapse": ("collapse", "cave in", "fall in"),
    "capture": ("capture", "seize", "intercept", "detain", "catch"),
    "flee": ("flee", "escape", "get away", "run away"),
    "host": ("host", "present", "emcee", "lead"),
    "die": ("die", "perish", "pass away", "be kill", "succumb"),
    "file": ("file", "seek", "apply"),
}
# Nouns that carry the event after a light verb ("held discussions" = talked).
EVENT_NOUNS: dict[str, str] = {
    "talks": "talk",
    "talk": "talk",
    "discussions": "talk",
    "discussion": "talk",
    "negotiations": "talk",
    "meeting": "talk",
    "meetings": "talk",
    "contact": "contact",
    "attack": "attack",
    "attacks": "attack",
    "strike": "attack",
    "strikes": "attack",
    "denial": "deny",
    "accusation": "accuse",
    "accusations": "accuse",
}
LIGHT_VERBS = frozenset({"have", "hold", "conduct", "make", "carry out", "launch", "issue", "keep"})
# Predicates that say the opposite of each other about the same thing: a conflict of kind "other".
OPPOSITES: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in [
        ("rise", "fall"),
        ("win", "fall"),
        ("accuse", "deny"),
        ("arrest", "free"),
        ("hire", "fire"),
        ("open", "close"),
        ("approve", "reject"),
        ("accept", "reject"),
        ("confirm", "deny"),
    ]
)
NEGATING_PREDICATES = frozenset(SENSE_WORDS["deny"])

_BY_WORDS: dict[str, set[str]] = {}
for _sense, _words in SENSE_WORDS.items():
    for _word in _words:
        _BY_WORDS.setdefault(_word, set()).add(_sense)


def predicate_senses(predicate: str | None, obj: str | None = None) -> frozenset[str]:
    """The senses of a predicate; an unknown predicate is its own sense (its first word's lemma)."""
    if not predicate:
        return frozenset()
    words = predicate.lower().split()
    found = _BY_WORDS.get(predicate.lower()) or _BY_WORDS.get(words[-1] if len(words) > 1 else "", set())
    if not found:
        found = _BY_WORDS.get(words[0], set())
    if words[0] in LIGHT_VERBS and obj and obj.lower().split()[-1] in EVENT_NOUNS:
        found = found | {EVENT_NOUNS[obj.lower().split()[-1]]}
    return frozenset(found or {predicate.lower()})


def claim_senses(claim: Claim) -> frozenset[str]:
    """Senses of a claim, plus "deny" when it is someone's denial ("Russia denied abducting ...")."""
    found = predicate_senses(claim.predicate, claim.object)
    if claim.negated and claim.attributed_to and _same_name(claim.attributed_to, claim.subject):
        found = found | {"deny"}
    return found


def opposite(first: frozenset[str], second: frozenset[str]) -> bool:
    return any(frozenset({a, b}) in OPPOSITES for a in first for b in second)


def _same_name(first: str, second: str | None) -> bool:
    return second is not None and first.lower() == second.lower()
