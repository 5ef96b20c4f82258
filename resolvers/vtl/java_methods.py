"""The Java methods templates call on values: ``String``, ``ArrayList``, ``LinkedHashMap`` (and its
entries), ``Integer``/``Long``/``Double`` and ``Boolean``, over plain Python values.

Values stay plain (``str``, ``list``, ``dict``, ``int``, ``float``, ``bool``) so ``$util`` and
the caller share them without conversion; the method tables give them their Java behaviour:
``$map.put`` returns the previous value, ``$list.add`` returns ``true``, ``$list.remove(1)``
removes by index, ``$s.replaceAll`` takes a Java pattern. A method that does not exist (or not
with these arguments) raises ``NoSuchMember``: the reference renders as written.
"""

from __future__ import annotations

import math
from typing import Any

from emulator.resolvers.appsync_util.values import is_number, java_contains, java_equals, java_string
from emulator.resolvers.vtl.errors import NoSuchMember, TemplateRuntimeError
from emulator.resolvers.vtl.java_strings import STRING_METHODS, compare
from emulator.resolvers.vtl.java_types import VOID, MapEntry, Method, checked_index, int_arg


def _list_add(items: list[Any], first: Any, *rest: Any) -> Any:
    if not rest:
        items.append(first)
        return True
    items.insert(checked_index(len(items) + 1, first, "List"), rest[0])
    return VOID


def _list_add_all(items: list[Any], first: Any, *rest: Any) -> bool:
    if rest:
        position = checked_index(len(items) + 1, first, "List")
        items[position:position] = list(rest[0])
        return bool(rest[0])
    if not isinstance(first, list | tuple):
        raise NoSuchMember("addAll expects a collection")
    items.extend(first)
    return bool(first)


def _list_set(items: list[Any], index: Any, value: Any) -> Any:
    position = checked_index(len(items), index, "List")
    previous = items[position]
    items[position] = value
    return previous


def _list_remove(items: list[Any], member: Any) -> Any:
    if isinstance(member, int) and not isinstance(member, bool):
        return items.pop(checked_index(len(items), member, "List"))
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
    begin, stop = int_arg(start), int_arg(end)
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
        "get": lambda items, index: items[checked_index(len(items), index, "List")],
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
        "compareTo": lambda number, other: compare(number, other) if is_number(other) else _raise_no_such(),
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

