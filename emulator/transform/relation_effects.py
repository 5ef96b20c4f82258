"""What relations add to models, collected per model so the caller merges it explicitly.

A relation can change three models at once: the field itself becomes a connection (hasMany),
a foreign key field appears on the child (``blogPostsId``), and the child's table gets a GSI
(``gsi-Blog.posts``). The v2 readers (``relations``, ``references``) and v1's ``connections``
all write into one ``RelationEffects`` instead of models editing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from emulator.apimodel import IndexSpec, RelationSpec
from emulator.transform.document import Argument
from emulator.transform.plan import FieldPlan
from emulator.transform.sortkeys import SortKeyArgument


@dataclass
class RelationEffects:
    """What relations add, by model name."""

    relations: dict[str, list[RelationSpec]] = field(default_factory=dict)
    fields: dict[tuple[str, str], FieldPlan] = field(default_factory=dict)  # (model, field) -> relation field
    added_fields: dict[str, list[FieldPlan]] = field(default_factory=dict)
    added_indexes: dict[str, list[IndexSpec]] = field(default_factory=dict)
    sort_arguments: list[SortKeyArgument] = field(default_factory=list)
    # Amplify quirk: an implicit hasMany also lists its foreign keys in the *parent's* subscription filter
    subscription_filter_extras: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add_field(self, model: str, plan: FieldPlan) -> None:
        existing = self.added_fields.setdefault(model, [])
        if all(f.name != plan.name for f in existing):
            existing.append(plan)

    def add_index(self, model: str, index: IndexSpec) -> None:
        existing = self.added_indexes.setdefault(model, [])
        if all(i.name != index.name for i in existing):
            existing.append(index)


def connection_arguments(model: str, sort_argument: SortKeyArgument | None) -> tuple[Argument, ...]:
    """Arguments of a connection field: optional sort-key condition, then filter/sortDirection/limit/nextToken."""
    args = [Argument("filter", f"Model{model}FilterInput"), Argument("sortDirection", "ModelSortDirection"),
            Argument("limit", "Int"), Argument("nextToken", "String")]
    if sort_argument is not None:
        args.insert(0, Argument(sort_argument.name, sort_argument.input_type))
    return tuple(args)
