"""The ``embeds.v1`` stage: social posts embedded in an article, cut out into ``Article.embeds``.

Extractors flatten an embedded post into a paragraph such as
``text pic.twitter.com/XXXX — Name (@handle) February 4, 2026``. Left in the body, the post
reads as the outlet's own prose (its @mentions become entities, its claims the article's).
Each platform's embed has a recognisable textual shape; only those shapes are cut.
"""

from __future__ import annotations

import re

from ..model import Article, Embed
from ..registry import stage
from .dateline import DATE, parse_date
from .edits import apply_edits, line_spans

# --- recognising posts --------------------------------------------------------------------------------

_DATE = rf"(?P<date>{DATE})"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?)?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_AUTHOR = r"(?P<author>[^\n()@—–]{0,80}?)"
_HANDLE = r"\((?P<handle>@[\w.\-]{1,64}(?:@[\w.\-]{1,64})?)\)"
# "… — Office of the First Lady (@FirstLadyOffice) February 4, 2026"  (Twitter/X, Bluesky, Mastodon)
_SIGNED = re.compile(rf"(?:^|\s)(?:—|–|―|--|-)\s*{_AUTHOR}\s*{_HANDLE}\s+(?:on\s+)?{_DATE}{_TIME}\s*$")
# "… A post shared by Name (@handle) on Feb 4, 2026 at 10:05am PST"  (Instagram)
_INSTAGRAM = re.compile(
    rf"(?:^|\s)A (?:post|photo|video|reel) shared by\s*{_AUTHOR}\s*(?:{_HANDLE})?\s+on\s+{_DATE}{_TIME}\s*$"
)
# "… Posted by Name on Friday, October 30, 2015"  (Facebook)
_FACEBOOK = re.compile(rf"(?:^|\s)Posted by\s+(?P<author>[^\n]{{1,80}}?)\s+on\s+{_WEEKDAY}{_DATE}\s*$")
# "Post by @handle View on Threads"
_THREADS = re.compile(
    r"(?:^|\s)(?:A\s+)?[Pp]ost (?:shared\s+)?by\s+(?P<handle>@[\w.]{1,64})\s+View on Threads\s*$"
)
# "@handle caption #tags ♬ original sound - name"  (TikTok)
_TIKTOK = re.compile(r"^(?P<handle>@[\w.]{2,64})\s+(?P<text>.*?)\s*♬\s*(?P<sound>[^\n]*)$")
# "Video title youtu.be" — the card text left by a YouTube embed.
_YOUTUBE = re.compile(r"^(?P<text>[^\n]{3,200}?)\s+(?:www\.)?(?:youtube\.com|youtu\.be)/?$")
# "text pic.twitter.com/XXXX" with no signature left: still a tweet, author unknown.
_BARE_TWEET = re.compile(r"(?:^|\s)pic\.twitter\.com/\w+\s*$")

_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+")
_TRAILING_URLS = re.compile(r"(?:\s*(?:https?://\S+|pic\.twitter\.com/\w+))+\s*$")
_PLATFORM_DOMAINS = (
    ("instagram.com", "instagram"),
    ("threads.net", "threads"),
    ("threads.com", "threads"),
    ("tiktok.com", "tiktok"),
    ("facebook.com", "facebook"),
    ("fb.watch", "facebook"),
    ("youtube.com", "youtube"),
    ("youtu.be", "youtube"),
    ("bsky.app", "bluesky"),
)


def post_url(text: str) -> str | None:
    """The post's own link: a status URL, else its pic.twitter.com media link, else the first link."""
    urls = [u.rstrip(".,;)") for u in _URL.findall(text)]
    for marker in ("/status/", "/statuses/", "/p/", "/post/", "/video/", "pic.twitter.com/"):
        for url in urls:
            if marker in url:
                return url
    return urls[0] if urls else None


def platform_of(handle: str | None, url: str | None) -> str:
    if handle and handle.count("@") > 1:
        return "mastodon"  # @user@instance
    if handle and "." in handle:
        return "bluesky"  # @name.bsky.social or a domain handle
    for domain, platform in _PLATFORM_DOMAINS:
        if url and domain in url:
            return platform
    return "twitter"


def post_text(text: str) -> str:
    """The post as written (its @mentions kept), without the trailing media links."""
    return _TRAILING_URLS.sub("", text).strip()


def _signed_post(line: str, previous: str | None) -> tuple[Embed, bool] | None:
    """A post whose signature ends ``line``; the bool says the post text was the previous line."""
    for pattern, fixed in ((_SIGNED, None), (_INSTAGRAM, "instagram"), (_FACEBOOK, "facebook")):
        match = pattern.search(line)
        if match is None:
            continue
        body = line[: match.start()].strip()
        uses_previous = not body and previous is not None
        body = previous if uses_previous and previous is not None else body
        groups = match.groupdict()
        handle = (groups.get("handle") or "").lstrip("@") or None
        url = post_url(body)
        embed = Embed(
            platform=fixed or platform_of(groups.get("handle"), url),
            text=post_text(body),
            author=(groups.get("author") or "").strip() or None,
            handle=handle,
            date=parse_date(groups["date"]),
            url=url,
        )
        return embed, uses_previous
    return None


def _unsigned_post(line: str) -> Embed | None:
    match = _THREADS.search(line)
    if match:
        return Embed(platform="threads", text=post_text(line[: match.start()]), handle=match["handle"][1:])
    match = _TIKTOK.match(line)
    if match:
        return Embed(platform="tiktok", text=match["text"], handle=match["handle"][1:], url=post_url(line))
    match = _YOUTUBE.match(line)
    if match and not line.rstrip().endswith((".", "?", "!")):
        return Embed(platform="youtube", text=match["text"].strip())
    if _BARE_TWEET.search(line):
        return Embed(platform="twitter", text=post_text(line), url=post_url(line))
    return None


def find_posts(text: str) -> list[tuple[int, int, Embed]]:
    """Every embedded post as (start, end, Embed): the span of text it occupies."""
    found: list[tuple[int, int, Embed]] = []
    spans = line_spans(text)
    for index, (start, end) in enumerate(spans):
        line = text[start:end]
        previous = spans[index - 1] if index else None
        taken = bool(found) and previous is not None and found[-1][1] == previous[1]
        signed = _signed_post(line, None if previous is None or taken else text[previous[0] : previous[1]])
        if signed is not None:
            embed, uses_previous = signed
            if uses_previous and previous is not None:
                start = previous[0]
            found.append((start, end, embed))
            continue
        unsigned = _unsigned_post(line)
        if unsigned is not None:
            found.append((start, end, unsigned))
    return found


@stage("embeds.v1", requires=["text"], assigns=["embeds"])
def embeds_stage(article: Article) -> Article:
    """Cut embedded social posts out of the body; each Embed's anchor is where it stood."""
    posts = find_posts(article.text)
    if not posts:
        return article
    new_embeds = [embed for _, _, embed in posts]
    edits = [(start, end, "") for start, end, _ in posts]
    article = apply_edits(article, edits)
    # Anchors of the new posts: the start of each removed span, mapped into the edited text.
    removed = 0
    for (start, end, _), embed in zip(posts, new_embeds, strict=True):
        embed.anchor = start - removed
        removed += end - start
    article.embeds = sorted([*article.embeds, *new_embeds], key=lambda e: e.anchor)
    return article
