"""``util.xml``: XML documents (an HTTP data source's answer) as maps, the way AppSync's
``toMap`` shapes them: elements become keys, repeated elements lists, attributes keys, text
typed (``1`` a number, ``true`` a boolean)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import Any

from emulator.resolvers.appsync_util.namespace import Helper, HelperFailure, Namespace
from emulator.resolvers.appsync_util.values import java_string, to_json

NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _typed(text: str) -> Any:
    stripped = text.strip()
    if stripped in ("true", "false"):
        return stripped == "true"
    if stripped == "null":
        return None
    if NUMBER.fullmatch(stripped):
        return float(stripped) if any(ch in stripped for ch in ".eE") else int(stripped)
    return text


def _element(element: ElementTree.Element) -> Any:
    members: dict[str, Any] = {name: _typed(value) for name, value in element.attrib.items()}
    for child in element:
        value = _element(child)
        if child.tag in members:
            existing = members[child.tag]
            members[child.tag] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            members[child.tag] = value
    text = (element.text or "").strip()
    if not members:
        return _typed(text) if text else ""
    if text:
        members["content"] = _typed(text)
    return members


def to_map(document: Any) -> dict[str, Any] | None:
    if document is None:
        return None
    try:
        root = ElementTree.fromstring(java_string(document))
    except ElementTree.ParseError as exc:
        raise HelperFailure(f"Unable to parse the XML document: {exc}") from exc
    return {root.tag: _element(root)}


def to_json_string(document: Any, string_encoded: Any = False) -> str | None:
    """The map as JSON text; ``string_encoded``: that text itself as a JSON string."""
    mapped = to_map(document)
    if mapped is None:
        return None
    text = to_json(mapped)
    return to_json(text) if string_encoded is True else text


XML = Namespace("xml", {"toMap": Helper(to_map), "toJsonString": Helper(to_json_string)})
