"""The web UI: server-rendered pages under ``/ui`` (story list, story, article) and the merge/split forms.

Pages are Jinja2 templates with autoescape on (see ``storyline.web``); every response carries a
Content-Security-Policy that allows only this server's own script and style, as a second line of
defence against markup hidden in article text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .. import api
from ..errors import StorylineError
from ..store import Store
from ..web.pages import STATIC_FILES, UI_PREFIX, render_page, static_text
from ..web.views import StoryRow, article_view, load_story_view, span_of
from . import search as fulltext
from .auth import token_accepted
from .deps import ServerConfig, get_config, get_settings, get_store
from .errors import status_of
from .routes_stories import STORY_KEY, SUMMARY_JSON, SUMMARY_SQL, json_fields, story_summary

router = APIRouter(prefix=UI_PREFIX, include_in_schema=False)

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# The raw input may be HTML with scripts: shown as plain text in a sandbox that runs nothing.
RAW_HEADERS = {**SECURITY_HEADERS, "Content-Security-Policy": "sandbox; default-src 'none'"}

# The merge form offers the most recent other stories; the CLI and the API merge any two.
MERGE_CHOICES = 200
# Stories shown in the list (newest first); a search narrows it.
LIST_LIMIT = 200

StoreDep = Annotated[Store, Depends(get_store)]
ConfigDep = Annotated[ServerConfig, Depends(get_config)]


def _html(body: str, *, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def _page(build: Callable[[], Response]) -> Response:
    """The page ``build`` makes, or an HTML page naming the error, with the API's status for it."""
    try:
        return build()
    except StorylineError as exc:
        return _html(render_page("error.html", message=str(exc)), status=status_of(str(exc)))


@router.get("/", response_class=HTMLResponse)
def story_list(store: StoreDep, q: str = "") -> Response:
    rows = story_rows(store, query=q, limit=LIST_LIMIT + 1)
    return _html(render_page("stories.html", rows=rows[:LIST_LIMIT], query=q, more=len(rows) > LIST_LIMIT))


def story_rows(store: Store, *, query: str = "", exclude: str | None = None, limit: int) -> list[StoryRow]:
    """The newest ``limit`` stories whose title, id or outlets contain every word of ``query``, or
    that hold an article whose title and text match it (full-text index): one bounded query."""
    where, params = [], []
    for word in query.lower().split():
        pattern = f"%{word}%"
        where.append(
            "(lower(s.title) LIKE ? OR lower(s.id) LIKE ? OR s.id IN (SELECT sa.story_id FROM story_articles "
            "sa JOIN articles a ON a.id = sa.article_id WHERE lower(COALESCE(a.source, '')) LIKE ?))"
        )
        params += [pattern, pattern, pattern]
    condition = " AND ".join(where)
    if where and fulltext.WORD.search(query):
        condition = (
            f"({condition}) OR s.id IN (SELECT sa.story_id FROM story_articles sa WHERE sa.article_id IN "
            f"(SELECT a.id FROM articles a WHERE {fulltext.match_clause(store)}))"
        )
        params.append(fulltext.prepare(store, query))
    if exclude is not None:
        condition = f"({condition or '1 = 1'}) AND s.id <> ?"
        params.append(exclude)
    sql = (
        f"SELECT {SUMMARY_SQL}, {json_fields(store, SUMMARY_JSON)} FROM stories s "
        f"{'WHERE ' + condition if condition else ''} ORDER BY {STORY_KEY} DESC, s.id LIMIT ?"
    )
    rows = store.connection.execute(sql, (*params, limit)).fetchall()
    return [_story_row(story_summary(store, row)) for row in rows]


def _story_row(summary: dict[str, Any]) -> StoryRow:
    return StoryRow(
        summary["id"],
        summary["title"],
        span_of(summary["first_published"], summary["last_published"]),
        summary["outlets"],
        len(summary["articles"]),
        summary["counts"],
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(story_id: str, store: StoreDep, config: ConfigDep, message: str = "") -> Response:
    def build() -> Response:
        view = load_story_view(store, story_id)
        view.others = story_rows(store, exclude=story_id, limit=MERGE_CHOICES)
        body = render_page(
            "story.html", view=view, links=True, message=message, token_needed=config.require_token
        )
        return _html(body)

    return _page(build)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(article_id: str, store: StoreDep) -> Response:
    def build() -> Response:
        article = store.get_article(article_id)
        stories = sorted(set(store.story_ids_of([article_id]).values()))
        return _html(render_page("article.html", view=article_view(article), stories=stories))

    return _page(build)


@router.get("/articles/{article_id}/raw")
def article_raw(article_id: str, store: StoreDep) -> Response:
    def build() -> Response:
        article = store.get_article(article_id)
        data = store.get_raw(article.raw_hash or "")
        return Response(data, media_type="text/plain; charset=utf-8", headers=RAW_HEADERS)

    return _page(build)


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC_FILES:
        return _html(render_page("error.html", message=f"no static file {name!r}"), status=404)
    return Response(static_text(name), media_type=STATIC_FILES[name], headers=SECURITY_HEADERS)


@router.post("/stories/{story_id}/merge")
def merge(
    request: Request,
    story_id: str,
    store: StoreDep,
    config: ConfigDep,
    other: Annotated[str, Form()],
    token: Annotated[str, Form()] = "",
) -> Response:
    refused = _refuse_write(request, store, config, token)
    if refused is not None:
        return refused

    def build() -> Response:
        api.merge_stories(store, story_id, other, settings=get_settings(request))
        return _redirect(story_id, f"merged story {other} into this one")

    return _page(build)


@router.post("/stories/{story_id}/split")
def split(
    request: Request,
    story_id: str,
    store: StoreDep,
    config: ConfigDep,
    article_ids: Annotated[list[str], Form()],
    token: Annotated[str, Form()] = "",
) -> Response:
    refused = _refuse_write(request, store, config, token)
    if refused is not None:
        return refused

    def build() -> Response:
        events = api.split_story(store, story_id, article_ids, settings=get_settings(request))
        new = next((e.story_id for e in events if e.story_id != story_id and not e.deleted), story_id)
        return _redirect(new, f"split {len(article_ids)} articles out of story {story_id}")

    return _page(build)


def _redirect(story_id: str, message: str) -> Response:
    url = router.url_path_for("story_page", story_id=story_id)
    return RedirectResponse(f"{url}?{urlencode({'message': message})}", status_code=303)


def _refuse_write(request: Request, store: Store, config: ServerConfig, token: str) -> Response | None:
    """A page saying why a form post is refused: posted from another site, or a token is needed and wrong.

    Browsers send ``Origin`` (and ``Sec-Fetch-Site``) on form posts, so a page elsewhere cannot make a
    user's browser merge stories on a loopback server that needs no token.
    """
    if not _same_origin(request):
        return _html(
            render_page("error.html", message="refused: the form was posted from another site"), status=403
        )
    if config.require_token and not _token_ok(request, store, config, token):
        return _html(render_page("error.html", message="refused: a valid API token is needed"), status=401)
    return None


def _same_origin(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site not in (None, "same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin == "null":
        # Our pages send Referrer-Policy: no-referrer, under which browsers post forms with "Origin: null";
        # Sec-Fetch-Site, which no page can set, vouches for them.
        return site == "same-origin"
    return origin is None or origin.rstrip("/") == str(request.base_url).rstrip("/")


def _token_ok(request: Request, store: Store, config: ServerConfig, token: str) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    given = value.strip() if scheme.lower() == "bearer" else token
    return bool(given) and token_accepted(store, given, extra=config.token)
