"""Hand-built articles for the store tests (and the crash worker): every field and annotation kind."""

from __future__ import annotations

from typing import Any

from storyline.model import (
    Article,
    Claim,
    Dateline,
    Embed,
    Entity,
    Quantity,
    Quote,
    RawDocument,
    Timex,
    article_id,
)

BODY = (
    "WASHINGTON (Reuters) - Anna Kovalenko said on Tuesday that “at least 19,000 children” were taken "
    "last August. 🚸 The ministry confirmed the figure."
)


def make_article(number: int, *, body: str = BODY, published: str | None = "2026-02-04") -> Article:
    """Article ``number``: a distinct URL (so a distinct id) and annotations whose offsets fit ``body``."""
    url = f"https://news.example/{number}"
    return Article(
        id=article_id(url=url, text=body),
        origin=f"feeds/sample.jsonl#{number}",
        text=body,
        title=f"Children taken — report {number}",
        published=published,
        source="Example News",
        url=url,
        byline=["Bo Erickson", "Zoë Ångström"],
        credits={"editing": ["Ed Itor"]},
        dateline=Dateline(place="WASHINGTON", date=published),
        wire="Reuters",
        summary="A report on children taken.",
        embeds=[Embed(platform="twitter", text="We stand with them 💙", author="Office", handle="office")],
        metadata={"lang": "en", "tags": ["ukraine", "children"], "score": 0.5},
        **annotations_for(body),
    )


def annotations_for(text: str) -> dict[str, Any]:
    """One annotation of each kind, located by searching ``text`` so offsets stay exact."""

    def span(needle: str) -> tuple[int, int]:
        start = text.index(needle)
        return start, start + len(needle)

    who, quote, amount, when = (
        span("Anna Kovalenko"),
        span("“at least 19,000 children”"),
        span("at least 19,000 children"),
        span("last August"),
    )
    return {
        "entities": [Entity(text[slice(*who)], "PERSON", *who, canonical="Anna Kovalenko")],
        "quotes": [Quote(text[slice(*quote)], *quote, speaker="Anna Kovalenko", cue="said", cue_start=15)],
        "quantities": [
            Quantity(text[slice(*amount)], *amount, value=19000.0, unit="children", modifier="at least")
        ],
        "timexes": [Timex(text[slice(*when)], *when, type="DATE", value="2025-08")],
        "claims": [
            Claim("c1", text[: text.index(".") + 1], 0, text.index(".") + 1, attributed_to="Anna Kovalenko")
        ],
    }


def make_raw(article: Article) -> RawDocument:
    """A raw record whose bytes include invalid UTF-8, as a badly encoded feed would."""
    data = (
        b'{"url": "' + (article.url or "").encode() + b'", "junk": "\xff\xfe\x00"}\n' + article.text.encode()
    )
    return RawDocument(origin=article.origin, data=data, format="jsonl", url=article.url)
