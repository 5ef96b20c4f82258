"""The Java methods templates call on values: ``String``, ``ArrayList``, ``LinkedHashMap`` (and its
entries), ``Integer``/``Long``/``Double`` and ``Boolean``, over plain Python values.

Values stay plain (``str``, ``list``, ``dict``, ``int``, ``float``, ``bool``) so ``$util`` and
the caller share them without conversion; the method tables give them their Java behaviour:
``$map.put`` returns the previous value, ``$list.add`` returns ``true``, ``$list.remove(1)``
removes by index, ``$s.replaceAll`` takes a Java pattern. A method that does not exist (or not
with these arguments) raises ``NoSuchMember``: the reference renders as written.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.resolvers.appsync_util.java_regex import (
    JavaRegexError,
    java_pattern,
    java_replacement,
    java_split,
)
from emulator.resolvers.appsync_util.values import is_number, java_contains, java_equals, java_string
from emulator.resolvers.vtl.errors import NoSuchMember, TemplateRuntimeError

VOID = ""  # what Velocity renders (and #set assigns) for a Java method returning void


@dataclass
class MapEntry:
    """One ``Map.Entry`` of ``entrySet()``; ``setValue`` writes through to the map."""

    key: Any
    value: Any
    owner: dict[Any, Any]

    def json_value(self) -> Any:
        return {java_string(self.key): self.value}

    def java_string(self) -> str:
        return f"{java_string(self.key)}={java_string(self.value)}"


class Method:
    """A Java method: the function takes the target first; arity from its signature."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        parameters = list(inspect.signature(function).parameters.values())[1:]
        self.min_args = sum(1 for p in parameters if p.default is p.empty and p.kind is not p.VAR_POSITIONAL)
        self.max_args = None if any(p.kind is p.VAR_POSITIONAL for p in parameters) else len(parameters)

    def __call__(self, target: Any, args: list[Any]) -> Any:
        if len(args) < self.min_args or (self.max_args is not None and len(args) > self.max_args):
            raise NoSuchMember(self.function.__name__)
        return self.function(target, *args)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise NoSuchMember("expected a String argument")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise NoSuchMember("expected an int argument")
    return value


def _index(size: int, index: Any, what: str) -> int:
    position = _int(index)
    if not 0 <= position < size:
        raise TemplateRuntimeError(f"{what} index out of range: {position} (size {size})")
    return position


def _regex(pattern: Any) -> Any:
    try:
        return java_pattern(_str(pattern))
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
    start = _int(begin)
    stop = len(text) if end is None else _int(end)
    if start < 0 or stop > len(text) or start > stop:
        raise TemplateRuntimeError(f"String index out of range: begin {start}, end {stop}, length {len(text)}")
    return text[start:stop]


def _index_of(text: str, wanted: Any, start: Any = 0) -> int:
    return text.find(_str(wanted), max(_int(start), 0))


def _last_index_of(text: str, wanted: Any, start: Any = None) -> int:
    if start is None:
        return text.rfind(_str(wanted))
    return text.rfind(_str(wanted), 0, max(_int(start), -1) + len(_str(wanted)))


def _replace_all(text: str, pattern: Any, replacement: Any, count: int = 0) -> str:
    try:
        return _regex(pattern).sub(java_replacement(_str(replacement)), text, count=count)
    except (JavaRegexError, IndexError) as exc:
        raise TemplateRuntimeError(str(exc)) from exc


def _split(text: str, pattern: Any, limit: Any = 0) -> list[str]:
    try:
        return java_split(text, _str(pattern), _int(limit))
    except JavaRegexError as exc:
        raise TemplateRuntimeError(str(exc)) from exc


MAX_STRING = 5 * 1024 * 1024  # AppSync's limit on an evaluated template


def _repeat(text: str, count: Any) -> str:
    times = max(_int(count), 0)
    if len(text) * times > MAX_STRING:
        raise TemplateRuntimeError("String.repeat would exceed the 5 MB template limit")
    return text * times


def _compare(left: Any, right: Any) -> int:
    return (left > right) - (left < right)


STRING_METHODS: dict[str, Method] = {
    name: Method(function)
    for name, function in {
        "length": lambda s: len(s),
        "isEmpty": lambda s: not s,
        "isBlank": lambda s: not s.strip(),
        "charAt": lambda s, i: s[_index(len(s), i, "String")],
        "substring": _substring,
        "indexOf": _index_of,
        "lastIndexOf": _last_index_of,
        "contains": lambda s, part: java_string(part) in s,
        "startsWith": lambda s, prefix, offset=0: s.startswith(_str(prefix), _int(offset)),
        "endsWith": lambda s, suffix: s.endswith(_str(suffix)),
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
        "compareTo": lambda s, other: _compare(s, _str(other)),
        "compareToIgnoreCase": lambda s, other: _compare(s.lower(), _str(other).lower()),
        "concat": lambda s, other: s + _str(other),
        "repeat": _repeat,
        "toString": lambda s: s,
        "hashCode": lambda s: _java_hash(s),
        "toCharArray": lambda s: list(s),
    }.items()
}


def _list_add(items: list[Any], first: Any, *rest: Any) -> Any:
    if not rest:
        items.append(first)
        return True
    items.insert(_index(len(items) + 1, first, "List"), rest[0])
    return VOID


def _list_add_all(items: list[Any], first: Any, *rest: Any) -> bool:
    if rest:
        position = _index(len(items) + 1, first, "List")
        items[position:position] = list(rest[0])
        return bool(rest[0])
    if not isinstance(first, list | tuple):
        raise NoSuchMember("addAll expects a collection")
    items.extend(first)
    return bool(first)


def _list_set(items: list[Any], index: Any, value: Any) -> Any:
    position = _index(len(items), index, "List")
    previous = items[position]
    items[position] = value
    return previous


def _list_remove(items: list[Any], member: Any) -> Any:
    if isinstance(member, int) and not isinstance(member, bool):
        return items.pop(_index(len(items), member, "List"))
    for position, item in enumerate(items):
        if java_equals(item, member):
            del items[position]
            return True
    return False


def _list_remove_all(items: list[Any], members: Any) -> bool:
    kept = [item for item in items if not java_contains(members, item)]
    changed = len(kept) != len(items)
    items[:] = kept
    return changed


def _list_retain_all(items: list[Any], members: Any) -> bool:
    kept = [item for item in items if java_contains(members, item)]
    changed = len(kept) != len(items)
    items[:] = kept
    return changed


def _list_index_of(items: list[Any], member: Any) -> int:
    return next((position for position, item in enumerate(items) if java_equals(item, member)), -1)


def _list_last_index_of(items: list[Any], member: Any) -> int:
    matches = [position for position, item in enumerate(items) if java_equals(item, member)]
    return matches[-1] if matches else -1


def _sub_list(items: list[Any], start: Any, end: Any) -> list[Any]:
    begin, stop = _int(start), _int(end)
    if begin < 0 or stop > len(items) or begin > stop:
        raise TemplateRuntimeError(f"List index out of range: fromIndex {begin}, toIndex {stop}, size {len(items)}")
    return items[begin:stop]


def _clear(container: list[Any] | dict[Any, Any]) -> str:
    container.clear()
    return VOID


LIST_METHODS: dict[str, Method] = {
    name: Method(function)
    for name, function in {
        "add": _list_add,
        "addAll": _list_add_all,
        "get": lambda items, index: items[_index(len(items), index, "List")],
        "set": _list_set,
        "remove": _list_remove,
        "removeAll": _list_remove_all,
        "retainAll": _list_retain_all,
        "contains": lambda items, member: java_contains(items, member),
        "containsAll": lambda items, members: all(java_contains(items, member) for member in members),
        "indexOf": _list_index_of,
        "lastIndexOf": _list_last_index_of,
        "size": lambda items: len(items),
        "isEmpty": lambda items: not items,
        "clear": _clear,
        "subList": _sub_list,
        "toArray": lambda items: list(items),
        "equals": lambda items, other: java_equals(items, other),
        "toString": lambda items: java_string(items),
    }.items()
}


def _map_put(mapping: dict[Any, Any], key: Any, value: Any) -> Any:
    previous = mapping.get(key)
    mapping[key] = value
    return previous


def _map_put_all(mapping: dict[Any, Any], other: Any) -> str:
    if not isinstance(other, dict):
        raise NoSuchMember("putAll expects a map")
    mapping.update(other)
    return VOID


def _map_put_if_absent(mapping: dict[Any, Any], key: Any, value: Any) -> Any:
    current = mapping.get(key)
    if current is None:
        mapping[key] = value
    return current


def _map_replace(mapping: dict[Any, Any], key: Any, value: Any) -> Any:
    if key not in mapping:
        return None
    return _map_put(mapping, key, value)


MAP_METHODS: dict[str, Method] = {
    name: Method(function)
    for name, function in {
        "get": lambda mapping, key: mapping.get(key) if _hashable(key) else None,
        "put": _map_put,
        "putAll": _map_put_all,
        "putIfAbsent": _map_put_if_absent,
        "replace": _map_replace,
        "remove": lambda mapping, key: mapping.pop(key, None) if _hashable(key) else None,
        "containsKey": lambda mapping, key: _hashable(key) and key in mapping,
        "containsValue": lambda mapping, value: java_contains(mapping.values(), value),
        "keySet": lambda mapping: list(mapping),
        "values": lambda mapping: list(mapping.values()),
        "entrySet": lambda mapping: [MapEntry(key, value, mapping) for key, value in mapping.items()],
        "size": lambda mapping: len(mapping),
        "isEmpty": lambda mapping: not mapping,
        "clear": _clear,
        "getOrDefault": lambda mapping, key, default: mapping.get(key, default) if _hashable(key) else default,
        "equals": lambda mapping, other: java_equals(mapping, other),
        "toString": lambda mapping: java_string(mapping),
    }.items()
}


def _hashable(key: Any) -> bool:
    return not isinstance(key, list | dict)


def _entry_set_value(entry: MapEntry, value: Any) -> Any:
    previous = entry.value
    entry.value = value
    entry.owner[entry.key] = value
    return previous


ENTRY_METHODS: dict[str, Method] = {
    name: Method(function)
    for name, function in {
        "getKey": lambda entry: entry.key,
        "getValue": lambda entry: entry.value,
        "setValue": _entry_set_value,
        "toString": lambda entry: entry.java_string(),
    }.items()
}


def _as_int(number: Any) -> int:
    if isinstance(number, float):
        if math.isnan(number):
            return 0
        if math.isinf(number):
            return 2**31 - 1 if number > 0 else -(2**31)
    return int(number)


NUMBER_METHODS: dict[str, Method] = {
    name: Method(function)
    for name, function in {
        "intValue": _as_int,
        "longValue": _as_int,
        "shortValue": _as_int,
        "byteValue": _as_int,
        "doubleValue": lambda number: float(number),
        "floatValue": lambda number: float(number),
        "isNaN": lambda number: isinstance(number, float) and math.isnan(number),
        "isInfinite": lambda number: isinstance(number, float) and math.isinf(number),
        "compareTo": lambda number, other: _compare(number, other) if is_number(other) else _raise_no_such(),
        "equals": lambda number, other: java_equals(number, other),
        "toString": lambda number: java_string(number),
    }.items()
}


def _raise_no_such() -> Any:
    raise NoSuchMember("compareTo expects a number")


BOOLEAN_METHODS: dict[str, Method] = {
    name: Method(function)
    for name, function in {
        "booleanValue": lambda flag: flag,
        "equals": lambda flag, other: java_equals(flag, other),
        "toString": lambda flag: java_string(flag),
    }.items()
}


def methods_of(value: Any) -> dict[str, Method] | None:
    """The method table of a value's Java class (``None``: a value without methods)."""
    if isinstance(value, str):
        return STRING_METHODS
    if isinstance(value, dict):
        return MAP_METHODS
    if isinstance(value, list):
        return LIST_METHODS
    if isinstance(value, bool):
        return BOOLEAN_METHODS
    if isinstance(value, int | float):
        return NUMBER_METHODS
    if isinstance(value, MapEntry):
        return ENTRY_METHODS
    return None


def call_method(target: Any, name: str, args: list[Any]) -> Any:
    table = methods_of(target)
    method = table.get(name) if table is not None else None
    if method is None:
        raise NoSuchMember(name)
    return method(target, args)


def get_property(target: Any, name: str) -> Any:
    """``$x.name``: a map's key; otherwise Java bean access, ``getName()`` then ``isName()``."""
    if isinstance(target, dict):
        return target.get(name)
    table = methods_of(target)
    if table is None:
        raise NoSuchMember(name)
    capitalized = name[:1].upper() + name[1:]
    for getter in (f"get{capitalized}", f"get{name}", f"is{capitalized}"):
        method = table.get(getter)
        if method is not None and method.min_args == 0:
            return method(target, [])
    raise NoSuchMember(name)
