"""Text edits that keep offsets valid: the one way every normalisation stage changes the text.

Stages never rebuild ``Article.text`` by hand; they describe what to replace and
:func:`apply_edits` moves every embed anchor with the text around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Article

Edit = tuple[int, int, str]  # replace text[start:end] with the string
_LINE = re.compile(r"[^\n]*\S[^\n]*")


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, without its newline."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text)]


def apply_edits(article: Article, edits: Iterable[Edit]) -> Article:
    """Apply non-overlapping ``edits`` to ``article.text`` and move embed anchors with the text."""
    ordered = sorted(edits)
    if not ordered:
        return article
    pieces: list[str] = []
    shifts: list[tuple[int, int, int, int]] = []  # old start, old end, new start, replacement length
    cursor = length = 0
    for start, end, replacement in ordered:
        if start < cursor:
            continue  # overlapping edit: the earlier one wins
        pieces.append(article.text[cursor:start])
        length += start - cursor
        shifts.append((start, end, length, len(replacement)))
        pieces.append(replacement)
        length += len(replacement)
        cursor = end
    pieces.append(article.text[cursor:])
    for embed in article.embeds:
        embed.anchor = moved_offset(embed.anchor, shifts)
    article.text = "".join(pieces)
    return article


def moved_offset(offset: int, shifts: list[tuple[int, int, int, int]]) -> int:
    """Where ``offset`` of the old text lands in the edited text."""
    delta = 0
    for old_start, old_end, new_start, size in shifts:
        if offset < old_start:
            break
        if offset < old_end:
            # Inside an edited span: same distance into the replacement, clamped to it.
            return new_start + min(offset - old_start, size)
        delta = new_start + size - old_end
    return offset + delta
