"""Existing tables against the key schemas the schema asks for.

Tables are kept across restarts and reloads, but DynamoDB cannot change the key of a table or of
an existing index. A schema that moves a model's ``@primaryKey`` or redefines an ``@index`` under
the same name would otherwise be served over the old table, and its queries would fail one by one
with DynamoDB validation errors. This module finds the difference first, so the start (or the
reload) stops with a message naming the table and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from emulator.apimodel import ApiModel
from emulator.engine import list_table_names, table_definition

KeyShape = tuple[tuple[str, str, str], ...]  # (attribute, HASH/RANGE, S/N/B) per key part


class ChangedKeys(Exception):
    """Existing tables whose keys differ from the schema's; the message says what to do."""


def key_shape(key_schema: Sequence[Mapping[str, str]], types: Mapping[str, str]) -> KeyShape:
    return tuple((part["AttributeName"], part["KeyType"], types.get(part["AttributeName"], "?")) for part in key_schema)


def describe_shape(shape: KeyShape) -> str:
    return ", ".join(f"{name} ({kind} {attribute_type})" for name, kind, attribute_type in shape)


def key_differences(described: Mapping[str, Any], wanted: Mapping[str, Any]) -> list[str]:
    """What the existing table (``describe_table``) and the wanted definition disagree on."""
    have_types = {a["AttributeName"]: a["AttributeType"] for a in described.get("AttributeDefinitions", [])}
    want_types = {a["AttributeName"]: a["AttributeType"] for a in wanted.get("AttributeDefinitions", [])}
    problems = []
    have, want = key_shape(described["KeySchema"], have_types), key_shape(wanted["KeySchema"], want_types)
    if have != want:
        problems.append(f"its key is {describe_shape(have)}, the schema asks for {describe_shape(want)}")
    indexes = {i["IndexName"]: key_shape(i["KeySchema"], have_types) for i in described.get("GlobalSecondaryIndexes", [])}
    for index in wanted.get("GlobalSecondaryIndexes", []):
        existing = indexes.get(index["IndexName"])
        asked = key_shape(index["KeySchema"], want_types)
        if existing is not None and existing != asked:
            problems.append(f"index {index['IndexName']} is keyed {describe_shape(existing)}, "
                            f"the schema asks for {describe_shape(asked)}")
    return problems


def refuse_changed_keys(
    client: Any, api: ApiModel, table_name: Callable[[str], str], extra: Sequence[Mapping[str, Any]] = ()
) -> None:
    """Raise ``ChangedKeys`` when an existing model table (or a declared ``extra`` table) cannot
    serve the keys the schema (or its declaration) asks for."""
    existing = set(list_table_names(client))
    wanted = [table_definition(model, table_name(model.name)) for model in api.models.values()] + [dict(d) for d in extra]
    found = []
    for definition in wanted:
        name = definition["TableName"]
        if name in existing:
            described = client.describe_table(TableName=name)["Table"]
            found += [f"table {name}: {problem}" for problem in key_differences(described, definition)]
    if found:
        raise ChangedKeys(
            "; ".join(found) + ". DynamoDB cannot change the keys of an existing table or index: export the "
            "data (appsync-emulator export), remove the table (or the data dir's tables/), start again and "
            "import it, or rename the index"
        )
