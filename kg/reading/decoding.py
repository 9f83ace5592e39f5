"""Bytes to article text: the encodings of Chinese news files, and the
characters no article should hold.

:func:`decode` reads UTF-8 (with or without BOM; a truncated last character
dropped, a few damaged bytes as U+FFFD), UTF-16 or UTF-32 with a BOM,
GB18030 (GBK, GB2312) and Big5, or says why it cannot (binary, undecodable).
:func:`clean` makes line breaks ``\\n`` and drops control and invisible
characters.  :func:`readable_path` reads file names the same way, and :func:`one_line` and
:func:`shown_path` keep messages on one line.
"""

from __future__ import annotations

import codecs
import os
import re
from functools import lru_cache

from kg.records import Skipped

#: A reason quoting a message of a library is cut to this many characters.
_REASON_CHARS = 160

# Control characters that mark a file as binary (tab, newlines, vertical tab,
# form feed and carriage return are text).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Dropped from article text: control characters, and characters that are
# invisible (zero-width spaces and joiners, soft hyphen, word joiner, a BOM
# inside the text, bidirectional controls that reorder what is shown).
_DROP = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
# Line breaks other than \n: CRLF, CR, vertical tab, form feed, NEL, LS, PS.
_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Shown as a space in a file name: a message stays on one line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def readable_path(path) -> str:
    """``path`` as valid Unicode: a name whose bytes are not UTF-8 (a GBK name
    from an archive made on Windows) is read as GB18030 or Big5, as a file's
    contents are, or with U+FFFD for what no encoding reads.

    >>> readable_path(os.fsdecode("新闻/".encode() + "园区".encode("gbk") + b".txt"))
    '新闻/园区.txt'
    """
    text = str(path)
    if not _SURROGATE.search(text):
        return text
    parts = []
    for part in text.split(os.sep):
        if _SURROGATE.search(part):
            raw = os.fsencode(part)
            part = _utf8(raw) or _chinese(raw) or raw.decode("utf-8", "replace")
        parts.append(part)
    return os.sep.join(parts)


def shown_path(path) -> str:
    """The path as shown in a message: readable, on one line, whatever the file is called."""
    return _UNPRINTABLE.sub(" ", readable_path(path))


def one_line(text: str, limit: int = _REASON_CHARS) -> str:
    """``text`` on one line, white space runs as one space, cut to ``limit`` characters.

    >>> one_line("while parsing\\n  a flow node\\x00 ")
    'while parsing a flow node'
    """
    text = " ".join(_DROP.sub("", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decode(data: bytes) -> str | Skipped:
    """Text of ``data`` with ``\\n`` line endings, or a Skipped saying why not.

    UTF-8 (a truncated last character is dropped; a few bad bytes in UTF-8
    text become U+FFFD), UTF-16 or UTF-32 with a BOM, GB18030 and Big5 (the
    one whose text is made of the more common characters of its encoding).

    >>> decode("园区\\r\\n".encode("gbk"))
    '园区\\n'
    >>> decode("園區位於".encode("big5"))
    '園區位於'
    >>> decode("园区".encode()[:-1])
    '园'
    >>> decode(b"\\x00\\x01\\x02")
    Skipped(source='', reason='not text (binary)', line=None)
    """
    text = None
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text = _try(data, "utf-32")
    elif data.startswith(codecs.BOM_UTF8):
        text = _utf8(data[len(codecs.BOM_UTF8) :])
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try(data, "utf-16")
    elif b"\x00" in data:
        return Skipped("", "not text (binary)")
    else:
        text = _utf8(data)
        if text is None:
            text = _chinese(data)
    if text is None:
        return Skipped("", "cannot decode as UTF-8, GB18030 or Big5")
    if "\x00" in text or len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        return Skipped("", "not text (binary)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf8(data: bytes) -> str | None:
    """UTF-8 text, also when its last character is cut or a few bytes are bad."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.end == len(data):  # a half-written file
            return _utf8(data[: e.start])
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    wide = len(text) - len(text.encode("ascii", "ignore")) - bad
    # GBK and Big5 read as UTF-8 give a bad byte for most characters, UTF-8 with a
    # damaged byte here and there a few
    return text if wide >= 10 and bad * 10 <= wide else None


def _chinese(data: bytes) -> str | None:
    """GB18030 or Big5: when both decode, the one made of more common characters."""
    gb, big5 = _try(data, "gb18030"), _try(data, "big5")
    if gb is None or big5 is None:
        return gb if gb is not None else big5
    # the first characters tell (a 50 MB file is not scored character by character)
    return big5 if _common(big5[:_SAMPLE], _big5_common) > _common(gb[:_SAMPLE], _gb_common) else gb


_SAMPLE = 100_000


def _common(text: str, common) -> float:
    """Share of the non-ASCII characters of ``text`` that ``common`` accepts."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    return sum(1 for ch in wide if common(ch)) / len(wide) if wide else 0.0


@lru_cache(maxsize=8192)
def _gb_common(ch: str) -> bool:
    """A level-1 character of GB2312: the 3,755 most common simplified ones."""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


@lru_cache(maxsize=8192)
def _big5_common(ch: str) -> bool:
    """A frequently used character of Big5 (lead bytes A4-C6: 5,401 characters)."""
    try:
        b = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xA4 <= b[0] <= 0xC6


def clean(text: str) -> str:
    """Article text as extraction reads it: line breaks as ``\\n``; control and
    invisible characters (zero-width spaces and joiners, bidirectional
    controls, soft hyphens) dropped; unpaired surrogates as U+FFFD.

    >>> clean("甲\\u200b高新区\\r\\n乙\\u202e园区\\x0c丙")
    '甲高新区\\n乙园区\\n丙'
    """
    return _DROP.sub("", _SURROGATE.sub("\ufffd", _BREAKS.sub("\n", text)))
