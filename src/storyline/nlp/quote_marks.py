"""Find direct quotations by their quote marks, without the parse.

News conventions handled here:

* curly “ ” and straight " double quotes; curly ‘ ’ single quotes at top level only (inside a double
  quote they are a quote within the quote, which stays part of the outer one);
* apostrophes are not quote marks: a mark between two letters ("Russia’s", "don't") never opens
  or closes anything;
* a straight " is read as opening or closing from the characters around it;
* a paragraph that ends inside a quote and a next paragraph that opens with a quote mark form one
  quotation (the journalistic continuation convention); without that opening mark the quote
  ends with its paragraph;
* a closing mark with nothing open before it in its paragraph closes a quote that began at the
  paragraph start (a dropped opening mark, common in crawled text).

Offsets are into the text given; spans exclude the marks themselves and a trailing comma.
"""

from __future__ import annotations

from dataclasses import dataclass

OPENERS = "“"
CLOSERS = "”"
STRAIGHT = '"'
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
# Characters after which a straight quote mark starts a quotation.
OPEN_CONTEXT = " \t\n([{—–-/:"


@dataclass(frozen=True, slots=True)
class MarkedQuote:
    """A quotation found by its marks: ``start:end`` is the content, ``outer_*`` include the marks."""

    start: int
    end: int
    outer_start: int
    outer_end: int
    single: bool = False  # ‘…’ rather than “…”
    closed: bool = True  # False: ended at a paragraph end with no closing mark


def find_marked_quotes(text: str) -> list[MarkedQuote]:
    """All top-level quotations in ``text``, in order (never nested, never overlapping)."""
    found: list[MarkedQuote] = []
    scanner = _Scanner(text)
    for line_start, line_end in _lines(text):
        found.extend(scanner.scan_line(line_start, line_end))
    return found


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for index, char in enumerate(text):
        if char == "\n":
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(text)))
    return spans


class _Scanner:
    """Pairs marks line by line, carrying an open quote across a paragraph break when allowed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.open_at: int | None = None  # offset of the opening mark of the quote in progress
        self.nested = 0
        self.carried = False  # the quote in progress began in an earlier paragraph

    def scan_line(self, start: int, end: int) -> list[MarkedQuote]:
        out: list[MarkedQuote] = []
        if start == end or not self.text[start:end].strip():
            return out
        index = self._continue_or_close(start, end, out)
        seen_mark = self.open_at is not None
        while index < end:
            char = self.text[index]
            if char in OPENERS or char in CLOSERS or char == STRAIGHT:
                quote = self._double(index, start, seen_mark)
                seen_mark = True
                if quote is not None:
                    out.append(quote)
            elif char == SINGLE_OPEN and self.open_at is None:
                closing = _single_close(self.text, index, end)
                if closing is not None:
                    out.append(_make(self.text, index, closing + 1, single=True))
                    index = closing
            index += 1
        return out

    def _continue_or_close(self, start: int, end: int, out: list[MarkedQuote]) -> int:
        """At a paragraph start: continue the open quote if this paragraph opens with a mark."""
        if self.open_at is None:
            return start
        first = _first_non_space(self.text, start, end)
        if first < end and self.text[first] in OPENERS + STRAIGHT:
            self.carried = True
            return first + 1
        previous_end = start - 1  # the newline that ended the open paragraph
        out.append(_make(self.text, self.open_at, previous_end, closed=False))
        self._reset()
        return start

    def _double(self, index: int, line_start: int, seen_mark: bool) -> MarkedQuote | None:
        role = _double_role(self.text, index, opened=self.open_at is not None)
        if role == "open":
            if self.open_at is None:
                self.open_at = index
            else:
                self.nested += 1
            return None
        if self.open_at is None:
            return _orphan_close(self.text, index, line_start) if not seen_mark else None
        if self.nested:
            self.nested -= 1
            return None
        quote = _make(self.text, self.open_at, index + 1)
        self._reset()
        return quote

    def _reset(self) -> None:
        self.open_at = None
        self.nested = 0
        self.carried = False


def _double_role(text: str, index: int, *, opened: bool) -> str:
    char = text[index]
    if char in OPENERS:
        return "open"
    if char in CLOSERS:
        return "close"
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if opened:
        return "close"  # straight marks do not nest: a second one closes
    if before in OPEN_CONTEXT and not after.isspace():
        return "open"
    if not before.isspace() and not after.isalnum():
        return "close"  # an orphan closing mark: "... allies," Seoul said
    return "open"


def _orphan_close(text: str, index: int, line_start: int) -> MarkedQuote | None:
    """A closing mark with no opening one in its paragraph: the quote began at the paragraph start."""
    first = _first_non_space(text, line_start, index)
    if index - first < 12:
        return None
    return MarkedQuote(first, _trim_end(text, first, index), first, index + 1)


def _single_close(text: str, index: int, end: int) -> int | None:
    """The ’ that closes the ‘ at ``index`` within the paragraph, skipping apostrophes."""
    if index + 1 >= end or not text[index + 1].isalnum():
        return None
    for position in range(index + 1, end):
        if text[position] == SINGLE_CLOSE and not _is_apostrophe(text, position):
            return position
    return None


def _is_apostrophe(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _first_non_space(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _make(
    text: str, open_at: int, close_end: int, *, single: bool = False, closed: bool = True
) -> MarkedQuote:
    start = _first_non_space(text, open_at + 1, close_end)
    content_end = close_end - 1 if closed else close_end
    end = _trim_end(text, start, content_end)
    return MarkedQuote(start, max(start, end), open_at, close_end, single=single, closed=closed)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return end
