"""``util.list`` and ``util.map``: copies that keep or drop members, and ``sortList``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.resolvers.appsync_util.namespace import Helper, HelperFailure, Namespace
from emulator.resolvers.appsync_util.values import is_list, is_map, is_number, java_contains, java_string

MAX_SORTED = 1000


def _list(value: Any, name: str) -> list[Any]:
    if not is_list(value):
        raise HelperFailure(f"util.list.{name} expects a list, got {java_string(value)}")
    return list(value)


def copy_and_retain_all(values: Any, kept: Any) -> list[Any]:
    keep = _list(kept, "copyAndRetainAll")
    return [value for value in _list(values, "copyAndRetainAll") if java_contains(keep, value)]


def copy_and_remove_all(values: Any, removed: Any) -> list[Any]:
    drop = _list(removed, "copyAndRemoveAll")
    return [value for value in _list(values, "copyAndRemoveAll") if not java_contains(drop, value)]


def _kind(value: Any) -> str:
    if is_number(value):
        return "number"
    return type(value).__name__


def sort_list(values: Any, descending: Any, property_name: Any) -> list[Any]:
    """Sorted copy; maps are sorted by ``property_name``. Mixed kinds: the list unchanged."""
    items = _list(values, "sortList")
    if len(items) > MAX_SORTED:
        raise HelperFailure(f"util.list.sortList supports at most {MAX_SORTED} items")
    if len({_kind(item) for item in items}) > 1:
        return items
    if items and is_map(items[0]):
        keys = [item.get(java_string(property_name)) for item in items]
        if len({_kind(key) for key in keys}) > 1:
            return items
        order = sorted(range(len(items)), key=lambda index: keys[index], reverse=descending is True)
        return [items[index] for index in order]
    try:
        return sorted(items, reverse=descending is True)
    except TypeError:
        return items


LIST = Namespace(
    "list",
    {
        "copyAndRetainAll": Helper(copy_and_retain_all),
        "copyAndRemoveAll": Helper(copy_and_remove_all),
        "sortList": Helper(sort_list),
    },
)


def _map(value: Any, name: str) -> Mapping[Any, Any]:
    if not is_map(value):
        raise HelperFailure(f"util.map.{name} expects a map, got {java_string(value)}")
    return value


def copy_and_retain_all_keys(values: Any, keys: Any) -> dict[Any, Any]:
    keep = _list(keys, "copyAndRetainAllKeys")
    return {key: value for key, value in _map(values, "copyAndRetainAllKeys").items() if java_contains(keep, key)}


def copy_and_remove_all_keys(values: Any, keys: Any) -> dict[Any, Any]:
    drop = _list(keys, "copyAndRemoveAllKeys")
    return {key: value for key, value in _map(values, "copyAndRemoveAllKeys").items() if not java_contains(drop, key)}


MAP = Namespace(
    "map",
    {
        "copyAndRetainAllKeys": Helper(copy_and_retain_all_keys),
        "copyAndRemoveAllKeys": Helper(copy_and_remove_all_keys),
    },
)
