from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.errors import OptionError
from storyline.report import story_report
from storyline.store import open_store

from .markup import executable_markup


@pytest.fixture(scope="module")
def story_id(seeds_db: str) -> str:
    with open_store(seeds_db) as store:
        (story,) = store.iter_stories()
    return story.id


@pytest.fixture(scope="module")
def html(seeds_db: str, story_id: str) -> str:
    with open_store(seeds_db) as store:
        return story_report(store, story_id)


def test_the_html_report_fetches_nothing(html: str) -> None:
    found, scripts = executable_markup(html)
    assert found == []
    assert scripts == [{}]  # one inline script, no src
    assert "<link" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "url(" not in html and "@import" not in html


def test_the_html_report_marks_both_variants_of_the_attribution_conflict(html: str) -> None:
    assert 'Vladimir <mark class="diff">Putin&#39;s team</mark>' in html
    assert 'Vladimir <mark class="diff">Putin</mark>' in html
    assert "attribution conflict" in html


def test_the_html_report_draws_the_timeline(html: str) -> None:
    svg = html[html.index("<svg") : html.index("</svg>")]
    for date in ("2025-08", "2025-12"):
        assert f"<title>{date} (month)" in svg
        assert re.search(rf'<li id="t\d+" [^>]*><span class="date">{date}</span>', html)


def test_a_quote_carried_by_both_outlets_is_one_row(html: str) -> None:
    rows = [r for r in html.split("<tr") if "working on it" in r and 'class="direct"' in r]
    assert len(rows) == 1
    assert "Global Banking and Finance Review; 003_add2564ad87b768a.txt" in rows[0]


def test_the_html_report_has_no_links_back_to_the_server(html: str) -> None:
    assert "/ui/" not in html


def test_the_markdown_report(seeds_db: str, story_id: str) -> None:
    with open_store(seeds_db) as store:
        text = story_report(store, story_id, fmt="md")
    assert text.startswith("# Melania Trump says talks with Putin team continue")
    assert "\n## Timeline\n" in text and "- **2025-08** " in text and "- **2025-12** " in text
    assert text.index("## Conflicting (1)") < text.index("## Corroborated") < text.index("## Single source")
    assert "attribution conflict: “Vladimir Putin's team”" in text and "vs “Vladimir Putin”" in text
    assert "\n## Quotes\n" in text
    assert "- Melania Trump: “I’m working on it. I’m working on it" in text


def test_markdown_report_escapes_markup_in_article_text() -> None:
    from storyline.report import _md

    assert (
        _md("[click](javascript:alert(1)) <b>*x*</b>") == r"\[click\](javascript:alert(1)) \<b\>\*x\*\</b\>"
    )


def test_unknown_format_is_refused(seeds_db: str, story_id: str) -> None:
    with open_store(seeds_db) as store, pytest.raises(OptionError, match="E301"):
        story_report(store, story_id, fmt="pdf")


def test_cli_report_writes_the_file(seeds_db: str, story_id: str, tmp_path: Path) -> None:
    out = tmp_path / "story.html"
    result = CliRunner().invoke(main, ["report", story_id, "--db", seeds_db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert 'Vladimir <mark class="diff">Putin</mark>' in out.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["report", story_id, "--db", seeds_db, "--format", "md"])
    assert result.exit_code == 0 and result.output.startswith("# ")


def test_cli_report_of_an_unknown_story_fails_with_the_code(seeds_db: str) -> None:
    result = CliRunner().invoke(main, ["report", "nope", "--db", seeds_db])
    assert result.exit_code == 2 and "E206" in result.output
