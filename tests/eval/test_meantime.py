"""The MEANTIME loader: counts, offsets and DCTs on the real corpus (slow, needs ../shared/data)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from eval.meantime import load_meantime

from tests.conftest import shared_data


@pytest.fixture(scope="module")
def docs():
    return load_meantime(shared_data("meantime"))


@pytest.mark.slow
def test_counts(docs):
    assert len(docs) == 120
    assert Counter(d.corpus for d in docs) == {"airbus": 30, "apple": 30, "gm": 30, "stock": 30}
    # 525 TIMEX3 = 118 CREATION_TIME + 407 others, of which 37 are empty (no tokens).
    assert sum(len(d.timexes) for d in docs) == 370
    # 3919 ENTITY_MENTION, one of which anchors no token.
    assert sum(len(d.entities) for d in docs) == 3918
    assert sum(1 for d in docs for e in d.entities if e.instance) == 3795


@pytest.mark.slow
def test_every_doc_has_an_iso_dct_on_its_second_line(docs):
    for doc in docs:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.dct), doc.name
        assert doc.dct_span is not None
        assert doc.text[doc.dct_span[0] : doc.dct_span[1]] == doc.text.split("\n")[1]


@pytest.mark.slow
def test_offsets_point_at_tokens(docs):
    doc = next(d for d in docs if d.doc_id == "100911")
    assert doc.text.startswith("Northrop Grumman and Airbus parent EADS defeat Boeing for $40 billion")
    assert [(doc.text[t.start : t.end], t.type, t.value) for t in doc.timexes] == [
        ("a year", "SET", "P1Y"),
        ("the Joint Strike Fighter program", "DATE", "XXXX-XX-XX"),
        ("fifty-year", "DURATION", "P50Y"),
    ]
    first = doc.entities[0]
    assert (doc.text[first.start : first.end], first.type) == ("Northrop Grumman", "ORG")
    assert first.instance in doc.instances
    assert "\n\n" not in doc.text
