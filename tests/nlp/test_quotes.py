"""quotes.v1: quote marks, direct and reported speech, questions, speakers (real spaCy model)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.model import Article, Quote
from storyline.nlp.entities import entities_stage
from storyline.nlp.quote_marks import find_marked_quotes
from storyline.nlp.quotes import quotes_stage
from storyline.registry import Pipeline, get_stage


def run(text: str) -> list[Quote]:
    article = Article(id="t", origin="test", text=text)
    return quotes_stage(entities_stage(article)).quotes


def seed(seeds_dir, name: str) -> list[Quote]:
    body = (seeds_dir / name).read_text(encoding="utf-8").split("\n", 1)[1].strip()
    return run(body)


def find(quotes: list[Quote], fragment: str, kind: str | None = None) -> Quote:
    hits = [q for q in quotes if fragment in q.text and (kind is None or q.kind == kind)]
    assert hits, f"no quote containing {fragment!r} in {[q.text for q in quotes]}"
    return hits[0]


def contents(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_marked_quotes(text)]


# --- quote marks ----------------------------------------------------------------------------------


def test_apostrophes_are_not_quote_marks():
    assert contents("Russia’s envoy said it isn’t over and the parents’ case stands.") == []


def test_curly_and_straight_quotes_split_around_a_cue():
    text = '“I’m working on it,” she said. "I hope we have success very soon."'
    assert contents(text) == ["I’m working on it", "I hope we have success very soon."]


def test_quote_continues_into_a_paragraph_that_opens_with_a_mark():
    text = "“We will win this fight.\n“And we will win the next one,” he said.\nNext paragraph."
    assert contents(text) == ["We will win this fight.\n“And we will win the next one"]


def test_unclosed_quote_ends_with_its_paragraph():
    text = "He said: “We are done here.\nThe meeting ended."
    quotes = find_marked_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == ["We are done here."]
    assert not quotes[0].closed


def test_closing_mark_without_an_opening_one_starts_at_the_paragraph():
    text = 'Intro line.\nThe talks were made in a general context," Seoul said in a statement.'
    assert contents(text) == ["The talks were made in a general context"]


def test_single_quotes_at_top_level_and_inside_double_quotes():
    text = "He called it ‘a disgrace’. “They said, ‘That’s mine,’ and left,” she said."
    assert contents(text) == ["a disgrace", "They said, ‘That’s mine,’ and left"]


# --- the stage on the samples ----------------------------------------------------------------------


def test_sample_direct_quote_split_around_its_cue(seeds_dir):
    quotes = seed(seeds_dir, "000_f539d11b3f0b5ae4.txt")
    first = find(quotes, "I'm working on it, and we are in the process", "direct")
    second = find(quotes, "I hope we have success very soon", "direct")
    for quote in (first, second):
        assert (quote.speaker, quote.speaker_text, quote.cue) == ("Melania Trump", "she", "told")
    assert (first.speaker_start, first.cue_start) == (second.speaker_start, second.cue_start)


def test_sample_scare_quote_is_attributed_to_the_group(seeds_dir):
    quote = find(seed(seeds_dir, "000_f539d11b3f0b5ae4.txt"), "productive", "direct")
    assert quote.text == "productive"
    assert (quote.speaker_text, quote.speaker, quote.cue) == ("Russian and Ukrainian officials", None, "said")


def test_sample_reported_speech(seeds_dir):
    quotes = seed(seeds_dir, "000_f539d11b3f0b5ae4.txt")
    accused = find(quotes, "Russia of abducting", "indirect")
    denied = find(quotes, "abducting Ukrainian children", "indirect")
    assert (accused.speaker, accused.cue) == ("Ukraine", "accused")
    assert (denied.speaker, denied.cue, denied.text) == ("Russia", "denied", "abducting Ukrainian children")
    spokesman = find(quotes, "the lines of communication had continued", "indirect")
    assert (spokesman.speaker_text, spokesman.speaker) == ("An East Wing spokesman", None)


def test_sample_reporter_question_and_reply(seeds_dir):
    quotes = seed(seeds_dir, "003_add2564ad87b768a.txt")
    question = find(quotes, "Has President Putin agreed to release any more", "question")
    assert (question.speaker, question.cue) == ("reporter", "asked")
    reply = find(quotes, "I’m working on it. I’m working on it", "direct")
    assert (reply.speaker, reply.speaker_text, reply.cue) == ("Melania Trump", "Melania", "replied")


def test_sample_transcript_line(seeds_dir):
    quotes = seed(seeds_dir, "003_add2564ad87b768a.txt")
    question = find(quotes, "Has President Putin agreed to release more", "question")
    assert (question.speaker_text, question.speaker, question.cue) == ("Q", "reporter", None)


# --- hand-built cases ------------------------------------------------------------------------------


def test_according_to_and_participle_clauses():
    text = (
        "The plant will close next year, according to the company. "
        "The minister denied the report, saying the plant would stay open."
    )
    quotes = run(text)
    according = find(quotes, "The plant will close next year", "indirect")
    assert (according.cue, according.speaker_text) == ("according to", "the company")
    saying = find(quotes, "the plant would stay open", "indirect")
    assert (saying.cue, saying.speaker_text) == ("saying", "The minister")


def test_promise_verbs_report_the_infinitive():
    quote = find(run("The governor vowed to close the prison within a year."), "close the prison")
    assert (quote.kind, quote.text, quote.cue, quote.speaker_text) == (
        "indirect",
        "to close the prison within a year",
        "vowed",
        "The governor",
    )


def test_negated_and_belief_verbs_report_no_speech():
    quotes = run("The senator did not say that the bill would pass. She thinks the vote will be close.")
    assert quotes == []


def test_titles_and_unattributed_scare_quotes_are_not_quotes():
    quotes = run("She appeared on “Fox News Sunday” to talk about the “fake news” problem.")
    assert quotes == []


def test_paragraph_of_quote_continues_the_previous_speaker():
    text = (
        "“We have done everything we could,” Mayor Jane Smith said on Monday.\n\n"
        "“The city will rebuild, and it will be stronger than before.”"
    )
    quotes = run(text)
    assert [q.speaker for q in quotes] == ["Jane Smith", "Jane Smith"]
    assert quotes[1].speaker_text is None and quotes[1].cue is None


def test_bare_surname_takes_the_full_name_from_the_article():
    text = "Senator Maria Lopez met voters on Friday. “We will fix the roads,” Lopez said."
    assert find(run(text), "We will fix the roads").speaker == "Maria Lopez"


def test_stage_is_registered_and_needs_entities():
    assert get_stage("quotes.v1").requires == ("entities",)
    Pipeline(["entities.v1", "quotes.v1"])


# --- properties ---------------------------------------------------------------------------------

MARKS = st.sampled_from(["“", "”", '"', "‘", "’", "'", " ", "\n", ", ", ". ", " said ", " she ", "?"])
WORDS = st.sampled_from(["We", "won", "it", "Russia’s", "Smith", "told", "reporters", "according to", "the"])
TEXTS = st.lists(st.one_of(MARKS, WORDS), min_size=1, max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_stage_never_raises_and_offsets_are_valid(text):
    article = Article(id="p", origin="property", text=text)
    for quote in quotes_stage(entities_stage(article)).quotes:
        assert 0 <= quote.start <= quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
        assert quote.kind in ("direct", "indirect", "question")
        if quote.speaker_start is not None:
            assert quote.speaker_end is not None and 0 <= quote.speaker_start <= quote.speaker_end <= len(
                text
            )
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker_text
        if quote.cue_start is not None:
            assert quote.cue_end is not None and text[quote.cue_start : quote.cue_end] == quote.cue


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_marked_quotes_are_ordered_and_disjoint(text):
    quotes = find_marked_quotes(text)
    for quote in quotes:
        assert quote.outer_start <= quote.start <= quote.end <= quote.outer_end <= len(text)
    for left, right in itertools.pairwise(quotes):
        assert left.outer_end <= right.outer_start


@pytest.mark.parametrize("name", ["000_f539d11b3f0b5ae4.txt", "003_add2564ad87b768a.txt"])
def test_sample_offsets_point_into_the_text(seeds_dir, name):
    body = (seeds_dir / name).read_text(encoding="utf-8").split("\n", 1)[1].strip()
    for quote in run(body):
        assert body[quote.start : quote.end] == quote.text
