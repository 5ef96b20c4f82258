"""The AppSync schema being generated: named types with fields, arguments and applied directives.

Generation stages add types and fields here; ``OutputDocument.print()`` writes the SDL. Types are
kept in insertion order, so the printed schema reads like Amplify's (models first, then inputs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TypeKind = Literal["type", "input", "enum"]


@dataclass
class Argument:
    """A field argument or an input field: ``name: Type = default``."""

    name: str
    type: str
    default: str | None = None

    def print(self) -> str:
        return f"{self.name}: {self.type}" + (f" = {self.default}" if self.default is not None else "")


@dataclass
class OutField:
    name: str
    type: str
    args: list[Argument] = field(default_factory=list)
    directives: list[str] = field(default_factory=list)  # printed, e.g. '@aws_api_key'

    def add_directives(self, directives: list[str]) -> None:
        self.directives.extend(d for d in directives if d not in self.directives)

    def print(self) -> str:
        args = f"({', '.join(a.print() for a in self.args)})" if self.args else ""
        directives = "".join(f" {d}" for d in self.directives)
        return f"  {self.name}{args}: {self.type}{directives}"


@dataclass
class OutType:
    """An object type, input type or enum of the generated schema."""

    kind: TypeKind
    name: str
    fields: list[OutField] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # enum values
    directives: list[str] = field(default_factory=list)
    interfaces: list[str] = field(default_factory=list)

    def field(self, name: str) -> OutField | None:
        return next((f for f in self.fields if f.name == name), None)

    def has_field(self, name: str) -> bool:
        return self.field(name) is not None

    def add_field(self, out_field: OutField) -> None:
        if not self.has_field(out_field.name):
            self.fields.append(out_field)

    def remove_field(self, name: str) -> None:
        self.fields = [f for f in self.fields if f.name != name]

    def add_directives(self, directives: list[str]) -> None:
        self.directives.extend(d for d in directives if d not in self.directives)

    def print(self) -> str:
        directives = "".join(f" {d}" for d in self.directives)
        if self.kind == "enum":
            body = "\n".join(f"  {value}" for value in self.values)
            return f"enum {self.name}{directives} {{\n{body}\n}}"
        body = "\n".join(f.print() if self.kind == "type" else "  " + _input_field(f) for f in self.fields)
        implements = f" implements {' & '.join(self.interfaces)}" if self.interfaces else ""
        return f"{self.kind} {self.name}{implements}{directives} {{\n{body}\n}}"


def _input_field(out_field: OutField) -> str:
    return f"{out_field.name}: {out_field.type}"


@dataclass
class OutputDocument:
    """The generated types by name, plus definitions passed through verbatim (unions, scalars...).

    ``user_types`` are the names of enums, inputs, unions and interfaces the user declared: Amplify
    keeps the user's declaration when it generates a type of the same name (``PointInput``,
    ``CreatePostInput``, ``ModelSortDirection``), so generated types of those names are dropped.
    """

    types: dict[str, OutType] = field(default_factory=dict)
    verbatim: list[str] = field(default_factory=list)
    user_types: frozenset[str] = frozenset()

    def get(self, name: str) -> OutType | None:
        return self.types.get(name)

    def add(self, out_type: OutType) -> OutType:
        """Add ``out_type`` unless a type of that name exists; return the one in the document.

        A name the user declared is not added (the returned type goes nowhere)."""
        if out_type.name in self.user_types:
            return out_type
        return self.types.setdefault(out_type.name, out_type)

    def root(self, name: str) -> OutType:
        return self.add(OutType("type", name))

    def print(self) -> str:
        parts = [t.print() for t in self.types.values() if t.kind != "type" or t.fields or t.name not in _ROOTS]
        return "\n\n".join([*parts, *self.verbatim]) + "\n"


_ROOTS = ("Query", "Mutation", "Subscription")
