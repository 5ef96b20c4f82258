"""OpenSearch's ``standard`` analyzer: Unicode word segmentation, then lower case.

Amplify's OpenSearch indexes use dynamic mappings, so every string field is ``text`` analysed with
the standard analyzer (plus an exact ``.keyword`` sub-field). ``match``, ``matchPhrase`` and the
term-level queries on text fields (``wildcard``, ``regexp``, ranges) all see these tokens, so the
local search finds what the cloud finds only if it cuts words the same way.

Written here rather than taken from a library: Lucene's StandardTokenizer follows the word-break
rules of Unicode UAX #29, which no maintained pure-Python package implements (``regex``'s ``\\b``
is close but keeps punctuation rules of its own). The rules that decide real-world tokens are
implemented: letters and digits join, ``_`` joins anything, ``'``/``.``/``:`` join letters
(``don't``, ``e.g``, ``sub:alice``), ``.``/``,``/``;``/``'`` join digits (``3.14``, ``1,000``),
ideographs and hiragana are one token per character, emoji are tokens of their own, tokens are cut
at 255 characters. Everything else (spaces, ``-``, ``@``, ``/``, ``::`` ...) separates words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_TOKEN_LENGTH = 255

_MID_LETTER = frozenset(":\u00b7\u0387\u05f4\u2027\ufe13\ufe55\uff1a")
_MID_NUM_LET = frozenset(".'\u2018\u2019\u2024\ufe52\uff07\uff0e")
_MID_NUM = frozenset(",;\u037e\u0589\u060c\u060d\u066c\u07f8\u2044\ufe10\ufe14\ufe50\ufe54\uff0c\uff1b")

# character classes
_OTHER, _LETTER, _DIGIT, _JOINER, _EXTEND, _SINGLE = range(6)


@lru_cache(maxsize=8192)
def _class(char: str) -> int:
    if char == "_":
        return _JOINER
    category = unicodedata.category(char)
    if category == "Nd":
        return _DIGIT
    if category[0] == "M" or char in ("\u200c", "\u200d"):
        return _EXTEND
    if category[0] == "L":
        name = unicodedata.name(char, "")
        if name.startswith(("CJK ", "HIRAGANA")) or "IDEOGRAPH" in name:
            return _SINGLE
        return _LETTER
    if category == "Pc":
        return _JOINER
    if category == "So" and _is_emoji(char):
        return _SINGLE
    return _OTHER


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF


def _joins(text: str, at: int, previous: int) -> bool:
    """Whether the punctuation at ``at`` joins the word on its left (of class ``previous``)
    to the one on its right (UAX #29 rules WB6/7 and WB11/12)."""
    if at + 1 >= len(text):
        return False
    char, following = text[at], _class(text[at + 1])
    if previous == _LETTER and following == _LETTER:
        return char in _MID_LETTER or char in _MID_NUM_LET
    if previous == _DIGIT and following == _DIGIT:
        return char in _MID_NUM or char in _MID_NUM_LET
    return False


def _words(text: str) -> list[str]:
    words: list[str] = []
    start, previous, i, length = -1, _OTHER, 0, len(text)
    while i < length:
        kind = _class(text[i])
        if kind == _SINGLE:
            if start >= 0:
                words.append(text[start:i])
            words.append(text[i])
            start, previous = -1, _OTHER
        elif kind in (_LETTER, _DIGIT, _JOINER) or (kind == _EXTEND and start >= 0):
            if start < 0:
                start = i
            if kind != _EXTEND:
                previous = kind
        elif start >= 0 and _joins(text, i, previous):
            i += 1  # the joining punctuation; the next character continues the word
            continue
        elif start >= 0:
            words.append(text[start:i])
            start, previous = -1, _OTHER
        i += 1
    if start >= 0:
        words.append(text[start:])
    return words


def _has_letter_or_digit(word: str) -> bool:
    if word.isascii():
        return bool(word.strip("_"))
    return any(_class(char) in (_LETTER, _DIGIT, _SINGLE) for char in word)


# The same rules for ASCII text, as one regular expression (most text, and much faster).
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+(?:(?<=[A-Za-z])[:.'](?=[A-Za-z])[A-Za-z0-9_]+"
                         r"|(?<=[0-9])[.,;'](?=[0-9])[A-Za-z0-9_]+)*")


@lru_cache(maxsize=4096)
def analyze(text: str) -> tuple[str, ...]:
    """The tokens OpenSearch's standard analyzer makes of ``text``, in order."""
    words = _ASCII_WORD.findall(text) if text.isascii() else _words(text)
    tokens: list[str] = []
    for word in words:
        if not _has_letter_or_digit(word):
            continue
        word = word.lower()
        if len(word) <= MAX_TOKEN_LENGTH:
            tokens.append(word)
        else:
            tokens.extend(word[i:i + MAX_TOKEN_LENGTH] for i in range(0, len(word), MAX_TOKEN_LENGTH))
    return tuple(tokens)
