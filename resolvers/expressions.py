"""Placeholders for DynamoDB expressions: names as ``#nN``, values as ``:vN``.

Every attribute name and every value goes through a placeholder, so no input can change the
shape of an expression. One ``Placeholders`` serves a whole request, so a key condition, a
filter and a condition expression built for the same call never reuse a placeholder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.resolvers.values import AttributeValue, to_attribute


@dataclass
class Placeholders:
    """Allocates ``#nN`` / ``:vN`` and collects ExpressionAttributeNames/Values."""

    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, AttributeValue] = field(default_factory=dict)
    _name_for: dict[str, str] = field(default_factory=dict)

    def name(self, attribute: str) -> str:
        """The placeholder of an attribute name (one per distinct name)."""
        if attribute not in self._name_for:
            placeholder = f"#n{len(self._name_for)}"
            self._name_for[attribute] = placeholder
            self.names[placeholder] = attribute
        return self._name_for[attribute]

    def value(self, value: Any, path: tuple[str, ...] = ()) -> str:
        """A fresh placeholder holding ``value`` as a DynamoDB attribute value (``path``, where
        the value sits in a filter input, does not matter to numbered placeholders)."""
        return self.attribute_value(to_attribute(value))

    def attribute_value(self, attribute: AttributeValue) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = attribute
        return placeholder

    def request_fields(self) -> dict[str, Any]:
        """``ExpressionAttributeNames``/``Values`` for boto3, omitting empty ones (DynamoDB
        rejects empty maps)."""
        fields: dict[str, Any] = {}
        if self.names:
            fields["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            fields["ExpressionAttributeValues"] = dict(self.values)
        return fields


def update_expression(changes: Mapping[str, Any], placeholders: Placeholders) -> str | None:
    """``SET #a = :a, … REMOVE #b, …``: values are set, explicit nulls removed (Amplify's update)."""
    assignments = [
        f"{placeholders.name(name)} = {placeholders.value(value)}" for name, value in changes.items() if value is not None
    ]
    removals = [placeholders.name(name) for name, value in changes.items() if value is None]
    clauses = []
    if assignments:
        clauses.append("SET " + ", ".join(assignments))
    if removals:
        clauses.append("REMOVE " + ", ".join(removals))
    return " ".join(clauses) or None
