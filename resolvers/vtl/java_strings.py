"""``java.lang.String``'s methods over Python ``str`` (Java patterns for ``replaceAll``,
``split``, ``matches``)."""

from __future__ import annotations

from typing import Any

from emulator.resolvers.appsync_util.java_regex import (
    JavaRegexError,
    java_pattern,
    java_replacement,
    java_split,
)
from emulator.resolvers.appsync_util.values import java_equals, java_string
from emulator.resolvers.vtl.errors import TemplateRuntimeError
from emulator.resolvers.vtl.java_types import Method, checked_index, int_arg, string_arg


def _regex(pattern: Any) -> Any:
    try:
        return java_pattern(string_arg(pattern))
    except JavaRegexError as exc:
        raise TemplateRuntimeError(str(exc)) from exc


def _java_hash(text: str) -> int:
    """``String.hashCode``: 31-based over UTF-16 code units, as a signed 32-bit int."""
    data = text.encode("utf-16-be")
    value = 0
    for offset in range(0, len(data), 2):
        value = (31 * value + int.from_bytes(data[offset : offset + 2], "big")) & 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def _substring(text: str, begin: Any, end: Any = None) -> str:
    start = int_arg(begin)
    stop = len(text) if end is None else int_arg(end)
    if start < 0 or stop > len(text) or start > stop:
        raise TemplateRuntimeError(f"String index out of range: begin {start}, end {stop}, length {len(text)}")
    return text[start:stop]


def _index_of(text: str, wanted: Any, start: Any = 0) -> int:
    return text.find(string_arg(wanted), max(int_arg(start), 0))


def _last_index_of(text: str, wanted: Any, start: Any = None) -> int:
    if start is None:
        return text.rfind(string_arg(wanted))
    return text.rfind(string_arg(wanted), 0, max(int_arg(start), -1) + len(string_arg(wanted)))


def _replace_all(text: str, pattern: Any, replacement: Any, count: int = 0) -> str:
    try:
        return _regex(pattern).sub(java_replacement(string_arg(replacement)), text, count=count)
    except (JavaRegexError, IndexError) as exc:
        raise TemplateRuntimeError(str(exc)) from exc


def _split(text: str, pattern: Any, limit: Any = 0) -> list[str]:
    try:
        return java_split(text, string_arg(pattern), int_arg(limit))
    except JavaRegexError as exc:
        raise TemplateRuntimeError(str(exc)) from exc


MAX_STRING = 5 * 1024 * 1024  # AppSync's limit on an evaluated template


def _repeat(text: str, count: Any) -> str:
    times = max(int_arg(count), 0)
    if len(text) * times > MAX_STRING:
        raise TemplateRuntimeError("String.repeat would exceed the 5 MB template limit")
    return text * times


def compare(left: Any, right: Any) -> int:
    return (left > right) - (left < right)


STRING_METHODS: dict[str, Method] = {
    name: Method(function)
    for name, function in {
        "length": lambda s: len(s),
        "isEmpty": lambda s: not s,
        "isBlank": lambda s: not s.strip(),
        "charAt": lambda s, i: s[checked_index(len(s), i, "String")],
        "substring": _substring,
        "indexOf": _index_of,
        "lastIndexOf": _last_index_of,
        "contains": lambda s, part: java_string(part) in s,
        "startsWith": lambda s, prefix, offset=0: s.startswith(string_arg(prefix), int_arg(offset)),
        "endsWith": lambda s, suffix: s.endswith(string_arg(suffix)),
        "toUpperCase": lambda s: s.upper(),
        "toLowerCase": lambda s: s.lower(),
        "trim": lambda s: s.strip("".join(chr(c) for c in range(33))),
        "strip": lambda s: s.strip(),
        "replace": lambda s, old, new: s.replace(java_string(old), java_string(new)),
        "replaceAll": _replace_all,
        "replaceFirst": lambda s, pattern, replacement: _replace_all(s, pattern, replacement, count=1),
        "split": _split,
        "matches": lambda s, pattern: _regex(pattern).fullmatch(s) is not None,
        "equals": lambda s, other: java_equals(s, other),
        "equalsIgnoreCase": lambda s, other: isinstance(other, str) and s.lower() == other.lower(),
        "compareTo": lambda s, other: compare(s, string_arg(other)),
        "compareToIgnoreCase": lambda s, other: compare(s.lower(), string_arg(other).lower()),
        "concat": lambda s, other: s + string_arg(other),
        "repeat": _repeat,
        "toString": lambda s: s,
        "hashCode": lambda s: _java_hash(s),
        "toCharArray": lambda s: list(s),
    }.items()
}


