"""``wildcard`` and Lucene ``regexp`` patterns as Python regular expressions (whole-term match).

Lucene's regular expressions differ from Python's: a pattern always matches the whole term,
``^``/``$`` are ordinary characters, ``"..."`` is a literal string, ``@`` is any string, ``#`` the
empty language and ``<1-10>`` a number interval (all on with OpenSearch's default ``flags: ALL``).
Intersection (``&``) and complement (``~``) have no Python equivalent and are refused by name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from emulator.resolvers.search.errors import BadQuery

_MAX_INTERVAL = 10_000


@lru_cache(maxsize=256)
def wildcard_pattern(pattern: str) -> re.Pattern[str]:
    """``*`` any characters, ``?`` one, ``\\`` escapes."""
    parts, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            parts.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "*" else "." if char == "?" else re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL)


@lru_cache(maxsize=256)
def regexp_pattern(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(_translate(pattern), re.DOTALL)
    except re.error as error:
        raise BadQuery(f"failed to create query: invalid regular expression [{pattern}]: {error}") from error


def _translate(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 >= len(pattern):
                raise BadQuery(f"failed to create query: expected character after \\ in [{pattern}]")
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif char == '"':
            end = pattern.find('"', i + 1)
            if end < 0:
                raise BadQuery(f'failed to create query: expected \'"\' at position {len(pattern)} in [{pattern}]')
            out.append(re.escape(pattern[i + 1:end]))
            i = end + 1
        elif char == "[":
            end, text = _char_class(pattern, i)
            out.append(text)
            i = end
        elif char == "<":
            end = pattern.find(">", i)
            if end < 0:
                raise BadQuery(f"failed to create query: expected '>' in [{pattern}]")
            out.append(_interval(pattern[i + 1:end], pattern))
            i = end + 1
        elif char in "&~":
            raise BadQuery(f"the emulator does not support '{char}' (intersection/complement) in regexp [{pattern}]")
        else:
            out.append({"@": ".*", "#": "(?!)"}.get(char, char if char in ".?+*|(){}," or char.isalnum()
                                                       else re.escape(char)))
            i += 1
    return "".join(out)


def _char_class(pattern: str, start: int) -> tuple[int, str]:
    i, out = start + 1, ["["]
    if i < len(pattern) and pattern[i] == "^":
        out.append("^")
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(char if char == "-" or char.isalnum() else re.escape(char))
        i += 1
    if i >= len(pattern):
        raise BadQuery(f"failed to create query: expected ']' at position {len(pattern)} in [{pattern}]")
    out.append("]")
    return i + 1, "".join(out)


def _interval(body: str, pattern: str) -> str:
    match = re.fullmatch(r"(\d+)-(\d+)", body)
    if match is None:
        raise BadQuery(f"failed to create query: invalid interval <{body}> in [{pattern}]")
    low, high = sorted((int(match.group(1)), int(match.group(2))))
    if high - low > _MAX_INTERVAL:
        raise BadQuery(f"the emulator does not support intervals wider than {_MAX_INTERVAL} in regexp [{pattern}]")
    return "0*(?:" + "|".join(str(n) for n in range(high, low - 1, -1)) + ")"
