"""claims.v1 rules added for fact comparison: relative clauses, reduced passives with an agent, named
appositions, unresolved possessive pronouns, and claims that never cross a line break."""

from __future__ import annotations

from storyline.model import Article, Claim, Entity
from storyline.nlp.claims import claims_stage
from storyline.nlp.quantities import quantities_stage


def claims(text: str, *entities: tuple[str, str]) -> list[Claim]:
    found = [Entity(n, label, text.index(n), text.index(n) + len(n), n) for n, label in entities]
    article = Article(id="a1", origin="test", text=text, entities=found)
    return claims_stage(quantities_stage(article)).claims


def test_relative_clause_is_its_own_claim_about_the_noun():
    found = claims("Fire units are at the scene of a fire which destroyed a Waitrose supermarket in Surrey.")
    destroyed = next(c for c in found if c.predicate == "destroy")
    assert (destroyed.subject, destroyed.object) == ("fire", "waitrose supermarket")
    assert destroyed.text.startswith("which destroyed")
    assert next(c for c in found if c.predicate == "be").text == "Fire units are at the scene of a fire"


def test_reduced_passive_with_agent_and_named_apposition():
    text = (
        "The spokesman said she wrote a letter to Putin -- hand-delivered by her husband, "
        "President Donald Trump, last August -- about the children."
    )
    found = claims(text, ("Putin", "PERSON"), ("Donald Trump", "PERSON"))
    delivered = next(c for c in found if c.predicate == "deliver")
    assert (delivered.subject, delivered.object) == ("Donald Trump", "letter")


def test_unresolved_possessive_pronoun_is_dropped():
    found = claims("A former employee recently let go from his job opened fire.")
    assert all("his's" not in (c.object or "") for c in found)


def test_claims_do_not_cross_line_breaks():
    found = claims("23 July 2013 Last updated at 13: 42 GMT\nThe fire service tackled a blaze at the store.")
    assert found and all("\n" not in c.text and "fire service" not in c.text for c in found)
