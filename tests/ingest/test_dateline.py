"""dateline.v1: datelines, wires, bylines and credits; and the date helpers."""

from __future__ import annotations

import pytest

from storyline.ingest.dateline import (
    date_in_year_of,
    dateline_stage,
    is_person_name,
    parse_byline,
    parse_credit_block,
    parse_date,
)
from storyline.model import Article


def article(text: str, **fields: object) -> Article:
    return Article(id="t", origin="test", text=text, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("opening", "place", "date", "wire"),
    [
        ("WASHINGTON, Feb 4 (Reuters) - ", "WASHINGTON", "2026-02-04", "Reuters"),
        ("WASHINGTON (AP) — ", "WASHINGTON", None, "Associated Press"),
        ("SAN JUAN, Puerto Rico (AP) — ", "SAN JUAN, Puerto Rico", None, "Associated Press"),
        ("PARIS (AFP) - ", "PARIS", None, "AFP"),
        ("WASHINGTON, Feb. 4 (UPI) -- ", "WASHINGTON", "2026-02-04", "UPI"),
        ("Berlin (dpa) - ", "Berlin", None, "dpa"),
        ("LONDON — ", "LONDON", None, None),
        ("CHARLESTON, S.C. – ", "CHARLESTON, S.C.", None, None),
    ],
)
def test_datelines(opening: str, place: str, date: str | None, wire: str | None) -> None:
    result = dateline_stage(article(opening + "U.S. first lady said so.\n\nMore.", published="2026-02-05"))
    assert result.dateline is not None
    assert (result.dateline.place, result.dateline.date, result.wire) == (place, date, wire)
    assert result.text.startswith("U.S. first lady said so.")


def test_credit_only_dateline() -> None:
    result = dateline_stage(article("(Bloomberg) -- Stocks rose."))
    assert (result.dateline, result.wire, result.text) == (None, "Bloomberg", "Stocks rose.")


def test_non_wire_credit_is_kept_as_metadata() -> None:
    result = dateline_stage(article("Washington (CNN) - The vote failed."))
    assert result.wire is None
    assert result.metadata["dateline_credit"] == "CNN"


@pytest.mark.parametrize(
    "opening",
    [
        "BREAKING — The vote failed.",
        "FILE - In this photo, a man walks.",
        "Washington — a city of monuments — was quiet.",
        "The vote failed — again.",
        "NATO said on Monday it would act.",
    ],
)
def test_not_datelines(opening: str) -> None:
    result = dateline_stage(article(opening))
    assert result.dateline is None
    assert result.text == opening


def test_dateline_date_uses_publication_year_and_never_after_it() -> None:
    assert date_in_year_of(2, 4, "2026-02-04") == "2026-02-04"
    assert date_in_year_of(12, 30, "2026-01-02") == "2025-12-30"
    assert date_in_year_of(2, 4, None) is None


def test_dateline_only_in_the_opening_lines() -> None:
    text = "First paragraph.\n\nSecond paragraph.\n\nLONDON — a late mention."
    assert dateline_stage(article(text)).dateline is None


@pytest.mark.parametrize(
    ("line", "names", "wire"),
    [
        ("By Bo Erickson", ["Bo Erickson"], None),
        ("By Colleen Jenkins and Rosalba O'Brien", ["Colleen Jenkins", "Rosalba O'Brien"], None),
        ("By Bo Erickson, Reuters", ["Bo Erickson"], "Reuters"),
        ("By Bo Erickson | Reuters", ["Bo Erickson"], "Reuters"),
        ("By N. R. Kleinfield", ["N. R. Kleinfield"], None),
        ("By Ana de la Cruz, Jo Li and Sam Ode", ["Ana de la Cruz", "Jo Li", "Sam Ode"], None),
    ],
)
def test_bylines(line: str, names: list[str], wire: str | None) -> None:
    result = dateline_stage(article(f"{line}\nLONDON — Body text.", byline=["Bo Erickson"]))
    assert result.byline == ["Bo Erickson", *[n for n in names if n != "Bo Erickson"]]
    assert result.wire == wire
    assert result.text.strip() == "Body text."


@pytest.mark.parametrize(
    "line",
    [
        "By the time he arrived, it was over.",
        "By Monday, the talks had collapsed.",
        "By contrast, the Senate waited.",
    ],
)
def test_prose_starting_with_by_is_not_a_byline(line: str) -> None:
    assert parse_byline(line) is None


def test_never_a_byline_from_a_dateline() -> None:
    result = dateline_stage(
        article("By Bo Erickson\nWASHINGTON, Feb 4 (Reuters) - Body.", published="2026-02-04")
    )
    assert result.byline == ["Bo Erickson"]
    assert result.dateline is not None and result.dateline.place == "WASHINGTON"


def test_reuters_credit_block_on_its_own_line_and_glued() -> None:
    block = "(Reporting by Bo Erickson; Editing by Colleen Jenkins and Rosalba O'Brien)"
    expected = {"reporting": ["Bo Erickson"], "editing": ["Colleen Jenkins", "Rosalba O'Brien"]}
    alone = dateline_stage(article(f"Body.\n{block}"))
    glued = dateline_stage(article(f"Body ends here. {block}"))
    assert alone.credits == glued.credits == expected
    assert alone.text.strip() == "Body."
    assert glued.text == "Body ends here."


def test_credit_block_roles_and_wire() -> None:
    body = "Reporting by Steve Holland in Washington; Additional reporting by Reuters TV; Writing by Jo Li"
    assert parse_credit_block(body) == {
        "reporting": ["Steve Holland"],
        "additional_reporting": ["Reuters TV"],
        "writing": ["Jo Li"],
    }
    result = dateline_stage(article(f"Body.\n({body})"))
    assert result.wire == "Reuters"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Associated Press writer Jill Colvin contributed to this report.", ["Jill Colvin"]),
        ("The Associated Press contributed to this report.", ["Associated Press"]),
        (
            "Fox News' Chad Pergram and the Associated Press contributed to this report.",
            ["Chad Pergram", "Associated Press"],
        ),
        ("Jordain Carney contributed.", ["Jordain Carney"]),
        ("Contributing: Associated Press", ["Associated Press"]),
    ],
)
def test_contributor_lines(line: str, names: list[str]) -> None:
    result = dateline_stage(article(f"Body.\n\n{line}"))
    assert result.credits == {"contributing": names}
    assert result.text.strip() == "Body."
    assert result.wire is None  # contributing to a report does not make it wire copy


def test_reported_from_line() -> None:
    result = dateline_stage(article("Body.\n\nJane Doe reported from Kyiv."))
    assert result.credits == {"reporting": ["Jane Doe"]}


@pytest.mark.parametrize(
    "line",
    ["The senator contributed to this report.", "Officials reported from the scene that two were hurt."],
)
def test_prose_is_not_a_credit(line: str) -> None:
    result = dateline_stage(article(f"Body.\n\n{line}"))
    assert result.credits == {}
    assert line in result.text


def test_wire_from_copyright_metadata() -> None:
    given = article(
        "Body.", metadata={"copyright": "Copyright 2020 The Associated Press. All rights reserved."}
    )
    assert dateline_stage(given).wire == "Associated Press"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("February 4, 2026", "2026-02-04"),
        ("Feb. 4 2026", "2026-02-04"),
        ("4 February 2026", "2026-02-04"),
        ("2026-02-04T10:00:00Z", "2026-02-04"),
        ("7/23/17", "2017-07-23"),
        ("February 30, 2026", None),
        ("no date", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_person_names() -> None:
    assert is_person_name("Rosalba O'Brien")
    assert not is_person_name("Fox News")
    assert not is_person_name("Bo")
    assert not is_person_name("The Washington Post")
