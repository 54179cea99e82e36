"""Bytes → text for whole-file inputs, telling text from binary junk.

Order: a byte-order mark (UTF-8/16/32) decides; else strict UTF-8; else Windows-1252
when the result reads like Western text (charset detectors misread short French or
curly-quoted English as cp1250 or worse); else charset-normalizer's best guess; else
cp1252 again, whose undefined bytes then count as control characters.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import E002, E003, IngestError

# Longest BOM first: the UTF-32-LE mark begins with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Above this share of control characters (other than tab/newlines/form feed) a file is binary.
MAX_CONTROL_RATIO = 0.02
# Western text in cp1252 has accented letters inside mostly-ASCII words; a Cyrillic or Greek
# file misread as cp1252 is nearly all non-ASCII letters.
MAX_NON_ASCII_LETTER_RATIO = 0.3
WESTERN_SYMBOLS = frozenset("\u00a0«»©®°£€¥¢¡¿§·•‘’‚“”„–—…†‡™′″")
# C0 and C1 controls except tab, newlines and form feed, plus the replacement character of bad bytes.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_NEWLINES = re.compile(r"\r\n?")


def bom_encoding(data: bytes) -> str | None:
    """The codec named by ``data``'s byte-order mark, or None."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_text(data: bytes, *, origin: str) -> tuple[str, str]:
    """(text with ``\\n`` newlines, encoding used); IngestError E002 for binary, E003 for bad BOM text."""
    encoding = bom_encoding(data)
    if encoding is None and b"\x00" in data:
        raise IngestError(E002.format(path=origin, reason="NUL bytes"))
    if encoding is not None:
        text = _decode_with_bom(data, encoding, origin=origin)
    else:
        text, encoding = _decode_without_bom(data)
    _reject_control_characters(text, origin=origin)
    return _NEWLINES.sub("\n", text), encoding


def _decode_with_bom(data: bytes, encoding: str, *, origin: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(E003.format(path=origin, reason=f"{encoding} with BOM: {exc.reason}")) from None


def _decode_without_bom(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_legacy(data)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    western = data.decode("cp1252", errors="replace")
    if looks_western(western):
        return western, "cp1252"
    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    # Undefined cp1252 bytes stay as C1 control characters, so junk is still caught as binary.
    return data.decode("latin-1").translate(_CP1252_FROM_LATIN1), "cp1252"


def looks_western(text: str) -> bool:
    """True when every non-ASCII character is a Latin letter or common Western punctuation."""
    letters = sum(1 for ch in text if ch.isalpha())
    foreign = [ch for ch in text if ord(ch) > 127]
    if not foreign or not letters:
        return not foreign
    if any(not _is_western(ch) for ch in foreign):
        return False
    non_ascii_letters = sum(1 for ch in foreign if ch.isalpha())
    return non_ascii_letters / letters <= MAX_NON_ASCII_LETTER_RATIO


def _is_western(ch: str) -> bool:
    if ch in WESTERN_SYMBOLS:
        return True
    return "\u00c0" <= ch <= "\u017f" and ch not in "×÷"


def _reject_control_characters(text: str, *, origin: str) -> None:
    if not text:
        return
    controls = len(CONTROL_CHARACTERS.findall(text))
    if controls / len(text) > MAX_CONTROL_RATIO:
        reason = f"{controls} control characters in {len(text)}"
        raise IngestError(E002.format(path=origin, reason=reason))


def _cp1252_table() -> dict[int, str]:
    table = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue  # undefined in cp1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D): keep the C1 control
    return table


_CP1252_FROM_LATIN1 = _cp1252_table()
