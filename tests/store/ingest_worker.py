"""Ingest sample articles into a store, one line per commit: the subprocess the crash test kills.

Run from the repository root: ``python -m tests.store.ingest_worker URL SCHEMA|- COUNT``.
"""

from __future__ import annotations

import sys

from storyline.model import Article
from storyline.store import open_store
from tests.store.samples import BODY, make_article, make_raw

# Long enough that a transaction takes measurable time, so a kill often lands inside one.
LONG_BODY = " ".join(["Officials said more children were found in the region on Monday."] * 400)


def worker_article(number: int) -> Article:
    return make_article(number, body=f"{BODY} {LONG_BODY}")


def main(url: str, schema: str, count: int) -> None:
    with open_store(url, schema=None if schema == "-" else schema) as store:
        for number in range(count):
            article = worker_article(number)
            outcome = store.add_article(make_raw(article), article)
            sys.stdout.write(f"{number} {outcome}\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
