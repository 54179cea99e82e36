"""The web UI and the report in a real Chromium against a real `storyline serve` (issue #5).

One browser per session, one server per database. Every page visited is saved as a PNG in
test-output/screenshots (or STORYLINE_TEST_OUTPUT). Skipped when playwright or Debian's chromium is absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from storyline.report import story_report
from storyline.store import open_store

from .browser import CHROMIUM, CHROMIUM_ARGS, running_server, screenshot_dir
from .conftest import JS_URL, SCRIPT

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need playwright (pip install -e '.[dev]')"
)
if not CHROMIUM.exists():
    pytest.skip(
        f"the browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)",
        allow_module_level=True,
    )

pytestmark = pytest.mark.browser

SPLIT_GUARD = "Check some, but not all, of the articles."


@dataclass
class Visit:
    """A page with what it showed besides its DOM: dialogs, console messages, uncaught errors, requests."""

    page: Any
    shots: Path
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, url: str, shot: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.ok, (url, response and response.status)
        self.shoot(shot)

    def shoot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]

    def assert_quiet(self, *, dialogs: tuple[str, ...] = ()) -> None:
        """No dialog but those expected, no uncaught script error, no CSP violation on any page visited."""
        assert self.dialogs == list(dialogs), self.dialogs
        assert self.errors == [], self.errors
        assert self.csp_violations() == [], "\n".join(self.console)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    return screenshot_dir()


@pytest.fixture(scope="session")
def seeds_url(seeds_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(seeds_db, tmp_path_factory.mktemp("serve") / "seeds.log") as url:
        yield url


@pytest.fixture(scope="session")
def hostile_url(hostile_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(hostile_db, tmp_path_factory.mktemp("serve") / "hostile.log") as url:
        yield url


@pytest.fixture
def visit(browser: Any, shots: Path) -> Iterator[Visit]:
    """A fresh browser context and page recording what the page did; dialogs are recorded and dismissed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    seen = Visit(page, shots)

    def on_dialog(dialog: Any) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: seen.console.append(f"{m.type}: {m.text} ({page.url})"))
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    page.on("request", lambda r: seen.requests.append(r.url))
    yield seen
    context.close()


def only_story(db: str) -> tuple[str, list[str], list[str]]:
    """The database's one story: (id, article ids, outlets of its articles)."""
    with open_store(db) as store:
        (story,) = store.iter_stories()
        outlets = [store.get_article(a).outlet for a in story.articles]
    return story.id, story.articles, outlets


def test_the_story_list_shows_one_story_with_both_articles(
    visit: Visit, seeds_url: str, seeds_db: str
) -> None:
    story_id, _, outlets = only_story(seeds_db)
    visit.open(f"{seeds_url}/ui/", "story-list")
    rows = visit.page.locator("table.stories tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td")
    assert cells.nth(3).inner_text() == "2"
    assert len(set(outlets)) == 2 and all(o in cells.nth(2).inner_text() for o in outlets)
    assert cells.first.locator("a").get_attribute("href") == f"/ui/stories/{story_id}"
    visit.assert_quiet()


def test_the_story_page_highlights_both_variants_of_the_attribution_conflict(
    visit: Visit, seeds_url: str, seeds_db: str
) -> None:
    story_id, _, _ = only_story(seeds_db)
    visit.open(f"{seeds_url}/ui/stories/{story_id}", "story")
    fact = visit.page.locator("article.fact.conflicting").filter(has_text="Putin's team")
    assert fact.count() == 1
    difference = fact.locator(".difference.conflict")
    assert difference.locator(".label").inner_text() == "attribution conflict"
    marks = difference.locator("mark.diff")
    assert marks.all_inner_texts() == ["Putin's team", "Putin"]
    assert fact.locator(".variant.conflict mark.diff").all_inner_texts() == ["Putin's team", "Putin"]
    for n in range(marks.count()):
        assert marks.nth(n).is_visible()
        background = marks.nth(n).evaluate("m => getComputedStyle(m).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background  # the stylesheet applied
    visit.assert_quiet()


def test_the_timeline_axis_shows_the_dated_entries_inside_the_drawing(
    visit: Visit, seeds_url: str, seeds_db: str
) -> None:
    story_id, _, _ = only_story(seeds_db)
    visit.open(f"{seeds_url}/ui/stories/{story_id}", "story")
    axis = visit.page.locator("svg.axis")
    visit.page.locator("#timeline").screenshot(path=str(visit.shots / "story-timeline.png"))
    labels = axis.locator("g.entry text").all_text_contents()
    dates = [label.split(" · ")[0] for label in labels]
    assert {"2025-08", "2025-12"} <= set(dates), labels
    box = axis.bounding_box()
    assert box is not None
    texts = axis.locator("text")
    for n in range(texts.count()):  # entry labels and year labels, none cut at the drawing's edge
        text = texts.nth(n).bounding_box()
        assert text is not None and text["width"] > 0, n
        assert box["x"] <= text["x"] and text["x"] + text["width"] <= box["x"] + box["width"], (
            texts.nth(n).text_content(),
            text,
            box,
        )
    visit.page.locator("svg.axis g.entry", has_text="2025-12 ·").first.click()  # a bar links to its row
    assert visit.page.locator("ol.timeline li:target .date").inner_text() == "2025-12"
    visit.assert_quiet()


def test_hovering_a_time_expression_shows_its_normalised_value(
    visit: Visit, seeds_url: str, seeds_db: str
) -> None:
    _, articles, _ = only_story(seeds_db)
    found = []
    for article_id in articles:
        visit.open(f"{seeds_url}/ui/articles/{article_id}", f"article-{article_id}")
        timex = visit.page.locator(".text span.ann.timex", has_text=re.compile("^last August$"))
        if timex.count():
            timex.first.hover()
            hovered = visit.page.evaluate(
                "() => { const h = [...document.querySelectorAll(':hover')].pop();"
                " return [h.className, h.textContent, h.title]; }"
            )
            found.append(hovered)
    assert found == [["ann timex", "last August", "DATE 2025-08"]]
    visit.assert_quiet()


def test_the_search_form_finds_the_story_by_a_word_of_its_articles(
    visit: Visit, seeds_url: str, seeds_db: str
) -> None:
    story_id, _, _ = only_story(seeds_db)
    visit.open(f"{seeds_url}/ui/", "story-list")
    box = visit.page.locator("form.search input[type=search]")
    box.fill("volcano")  # the script filters the rows as one types
    assert visit.page.locator("table.stories tbody tr").first.get_attribute("class") == "hidden"
    box.fill("Siegel")  # in an article's text, not in the story's title or outlets: the server searches it
    with visit.page.expect_navigation():
        box.press("Enter")
    assert visit.page.url.endswith("/ui/?q=Siegel")
    visit.shoot("search-siegel")
    rows = visit.page.locator("table.stories tbody tr")
    assert rows.count() == 1 and rows.first.is_visible()
    assert rows.first.locator("a").get_attribute("href") == f"/ui/stories/{story_id}"
    box.fill("volcano")
    with visit.page.expect_navigation():
        visit.page.locator("form.search button").click()
    assert visit.page.locator("p.empty").inner_text() == "No stories match “volcano”."
    visit.assert_quiet()


def test_split_then_merge_round_trip_through_the_forms(
    visit: Visit, writable_seeds_db: str, tmp_path: Path
) -> None:
    story_id, articles, _ = only_story(writable_seeds_db)
    with running_server(writable_seeds_db, tmp_path / "serve.log") as url:
        page = visit.page
        visit.open(f"{url}/ui/stories/{story_id}", "edit-before")
        page.locator("form.split button").click()  # nothing checked: the script refuses to submit
        assert page.url == f"{url}/ui/stories/{story_id}"
        page.locator(f"form.split input[value='{articles[1]}']").check()
        with page.expect_navigation():
            page.locator("form.split button").click()
        assert "/split" not in page.url, page.locator("main").inner_text()
        new_id = re.search(r"/ui/stories/(\w+)\?message=", page.url).group(1)  # type: ignore[union-attr]
        assert new_id != story_id
        assert "split 1 articles" in page.locator("#edit p.message").inner_text()
        visit.shoot("edit-split")
        visit.open(f"{url}/ui/", "edit-split-list")
        assert page.locator("table.stories tbody tr").count() == 2
        visit.open(f"{url}/ui/stories/{new_id}", "edit-merge-form")
        page.locator("form.merge select").select_option(story_id)
        with page.expect_navigation():
            page.locator("form.merge button").click()
        assert f"merged story {story_id} into this one" in page.locator("#edit p.message").inner_text()
        visit.shoot("edit-merged")
        visit.open(f"{url}/ui/", "edit-merged-list")
        rows = page.locator("table.stories tbody tr")
        assert rows.count() == 1 and rows.first.locator("td").nth(3).inner_text() == "2"
    merged_id, merged_articles, _ = only_story(writable_seeds_db)
    assert merged_id == new_id and sorted(merged_articles) == sorted(articles)
    visit.assert_quiet(dialogs=(SPLIT_GUARD,))


def test_hostile_articles_run_nothing_in_the_browser(visit: Visit, hostile_url: str, hostile_db: str) -> None:
    with open_store(hostile_db) as store:
        stories = [s.id for s in store.iter_stories()]
        articles = [a.id for a in store.iter_articles()]
    pages = {"hostile-list": "/ui/"}
    pages |= {f"hostile-story-{s}": f"/ui/stories/{s}" for s in stories}
    pages |= {f"hostile-article-{a}": f"/ui/articles/{a}" for a in articles}
    shown, clicked = "", 0
    for name, path in pages.items():
        visit.open(f"{hostile_url}{path}", name)
        page = visit.page
        scripts = page.evaluate("() => [...document.scripts].map(s => s.getAttribute('src'))")
        assert scripts == ["/ui/static/app.js"], (name, scripts)
        handlers = page.evaluate(
            "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
            ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
        )
        assert handlers == [], (name, handlers)
        assert page.locator("a[href^='javascript:' i], img, iframe, object, embed").count() == 0, name
        for n in range(page.get_by_text(JS_URL).count()):  # the URL is text, and clicking it does nothing
            element = page.get_by_text(JS_URL).nth(n)
            assert element.evaluate("e => e.closest('a') === null"), name
            element.click()
            clicked += 1
            assert page.url == f"{hostile_url}{path}", name
        shown += page.locator("body").inner_text()
    assert SCRIPT in shown and clicked >= 2  # the payloads are shown as text: the article's URL and its post
    visit.assert_quiet()


def test_markup_injected_into_a_live_page_is_stopped_by_the_csp(visit: Visit, seeds_url: str) -> None:
    """The second line of defence works, and the console listener the other tests rely on sees it."""
    visit.open(f"{seeds_url}/ui/", "story-list")
    visit.page.evaluate("() => document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(1)>')")
    visit.page.wait_for_timeout(300)
    assert visit.dialogs == []
    assert any("inline event handler" in m for m in visit.csp_violations()), visit.console


@pytest.mark.parametrize("db_name", ["seeds_db", "hostile_db"])
def test_the_report_opened_from_a_file_makes_no_request(
    visit: Visit, db_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    db = request.getfixturevalue(db_name)
    with open_store(db) as store:
        story_id = next(iter(store.iter_stories())).id
        path = tmp_path / "report.html"
        path.write_text(story_report(store, story_id), encoding="utf-8")
    url = path.as_uri()
    visit.page.goto(url)
    visit.page.wait_for_load_state("networkidle")
    visit.shoot("report" if db_name == "seeds_db" else "hostile-report")
    assert visit.requests == [url]
    assert visit.page.locator("h1").count() == 1 and visit.page.locator("svg.axis").count() == 1
    assert visit.page.evaluate("() => getComputedStyle(document.body).margin") == "0px"  # inline CSS applied
    visit.assert_quiet()
