"""Publication dates as the readers find them → ISO 8601, without guessing.

``YYYY-MM-DD`` when only the day is known, ``YYYY-MM-DDTHH:MM:SS[+HH:MM]`` when the
time is known too. A value that is incomplete (``June 2020``), ambiguous (``3/4/17``:
March 4 or 3 April?), impossible or implausible gives no date and a reason, so the
caller can keep the raw string and warn instead of storing a wrong date.
"""

from __future__ import annotations

import re
import time
import warnings
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from dateutil import parser as dateutil_parser

# Publication years outside this range are data errors (the AllSides corpus has year 0001 and 2050).
EARLIEST_YEAR = 1800
LATEST_YEAR_AHEAD = 1

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_BASIC_DATE = re.compile(r"(19|20)\d{2}[01]\d[0-3]\d")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", re.I)
# Two different fill-in values: a field that differs between the two parses was not in the string.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2004, 2, 2, 1, 1, 1)


class DateProblem(ValueError):
    """The value is not a complete, unambiguous, plausible date; ``str()`` says why."""


def parse_date(value: str) -> str:
    """The ISO 8601 form of ``value``; raises DateProblem when it cannot be read without guessing."""
    text = value.strip()
    if not text:
        raise DateProblem("empty")
    parsed, has_time = _parse(text)
    _check_plausible(parsed)
    if not has_time:
        return parsed.date().isoformat()
    return parsed.replace(microsecond=0).isoformat()


def struct_time_to_iso(value: time.struct_time) -> str:
    """feedparser's UTC struct_time → ``YYYY-MM-DDTHH:MM:SS+00:00``."""
    parsed = datetime(*value[:6], tzinfo=UTC)
    _check_plausible(parsed)
    return parsed.isoformat()


def is_iso_day(value: str) -> bool:
    """True for a real calendar day written ``YYYY-MM-DD``."""
    if not ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def published_fields(raw: Any, *, source: str) -> tuple[str | None, dict[str, Any]]:
    """(published, metadata to merge) for a raw date value found by a reader.

    An empty value means no date (``published_source`` "unknown"); an unreadable one is
    kept in ``published_raw`` with a warning, never replaced by a guess.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, {"published_source": "unknown"}
    text = str(raw)
    try:
        return parse_date(text), {"published_source": source}
    except DateProblem as problem:
        warning = f"unreadable publication date {text!r} ({problem}); left empty"
        return None, {"published_source": source, "published_raw": text, "warnings": [warning]}


def _parse(text: str) -> tuple[datetime, bool]:
    if ISO_DATE.fullmatch(text) or ISO_BASIC_DATE.fullmatch(text):
        return _from_iso(text), False
    if ISO_DATETIME.fullmatch(text):
        return _from_iso(text.replace(" ", "T", 1)), True
    rfc = _from_rfc2822(text)
    if rfc is not None:
        return rfc, True
    return _from_dateutil(text)


def _from_iso(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise DateProblem(str(exc)) from None


def _from_rfc2822(text: str) -> datetime | None:
    # Only for strings shaped like mail/RSS dates ("Wed, 04 Feb 2026 10:00:00 -0500").
    if not re.match(r"([A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", text):
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None


def _from_dateutil(text: str) -> tuple[datetime, bool]:
    try:
        with warnings.catch_warnings():
            # "ET", "PST"...: dateutil warns and returns the local time without offset, which we keep.
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            first = dateutil_parser.parse(text, default=_DEFAULT_A)
            second = dateutil_parser.parse(text, default=_DEFAULT_B)
            day_first = dateutil_parser.parse(text, default=_DEFAULT_A, dayfirst=True)
    except (ValueError, OverflowError) as exc:
        raise DateProblem(str(exc) or "not a date") from None
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        raise DateProblem("no full year, month and day")
    if first.date() != day_first.date():
        raise DateProblem("ambiguous day/month order")
    has_time = (first.hour, first.minute) == (second.hour, second.minute)
    return first, has_time


def _check_plausible(parsed: datetime) -> None:
    latest = date.today().year + LATEST_YEAR_AHEAD
    if not EARLIEST_YEAR <= parsed.year <= latest:
        raise DateProblem(f"implausible year {parsed.year}")
