"""The list trap made visible: items read vs kept, and the ``@index`` that would avoid it.

DynamoDB's ``Limit`` counts items *read*, before the FilterExpression (and before v1's response
template auth filtering), so a page can hold fewer items than ``limit``, or none, with a
``nextToken``. The emulator reproduces that; this module records each list/query page in
``ctx.stats`` and, when a page came back short because of a filter, logs one line saying why
and which key would let a Query serve the request instead of a filtered read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.apimodel import ModelSpec
from emulator.resolvers.context import FilterInput, ResolverContext


def note_page(
    ctx: ResolverContext,
    label: str,
    model: ModelSpec,
    *,
    limit: int,
    read: int,
    kept: int,
    has_next: bool,
    user_filter: FilterInput | None,
    auth_filter: FilterInput | None,
) -> str | None:
    """Record one page; returns (and logs) the hint when the filter made it short."""
    hint = None
    if kept < read and kept < limit:
        hint = short_page_hint(ctx, label, model, read, kept, user_filter, auth_filter, has_next=has_next)
        ctx.logger.info(hint)
    ctx.stats.record(label, model.name, read, kept, limit, has_next, hint)
    return hint


def short_page_hint(
    ctx: ResolverContext,
    label: str,
    model: ModelSpec,
    read: int,
    kept: int,
    user_filter: FilterInput | None,
    auth_filter: FilterInput | None,
    *,
    has_next: bool,
) -> str:
    """Why the page is short, and what would avoid reading past the filter (``has_next``: the page
    came back with a nextToken; without one the client already has the whole answer)."""
    reasons = []
    if user_filter_fields := filter_fields(user_filter):
        reasons.append(f"filter on {', '.join(user_filter_fields)}")
    if auth_fields := filter_fields(auth_filter):
        reasons.append(f"auth filter on {', '.join(auth_fields)}")
    reason = "; ".join(reasons) or "filter"
    candidates = equality_fields(user_filter) or equality_fields(auth_filter)
    if candidates:
        suggestion = _suggestion(ctx, model, candidates[0])
    elif has_next:
        suggestion = "no key can serve this filter; keep paging with nextToken until it is null"
    else:
        suggestion = "no key can serve this filter; nextToken is null, so this page is the whole answer"
    return f"{label} read {read} items, kept {kept} ({reason}); {suggestion}"


def _suggestion(ctx: ResolverContext, model: ModelSpec, field: str) -> str:
    for index in model.indexes:
        if index.key.partition == field and index.query_field:
            return f"the query {index.query_field} (index {index.name}) would serve this with a Query"
        if index.key.partition == field:
            return f"index {index.name} is keyed on {model.name}.{field}; give it a queryField to query it"
    if ctx.api.version == "v1":
        suffix = field[:1].upper() + field[1:]
        query = f"{model.name[:1].lower()}{model.name[1:]}sBy{suffix}"  # v1 pluralises with a plain "s"
        return (
            f'a @key(name: "by{suffix}", fields: ["{field}"], queryField: "{query}") on {model.name}'
            " would let a Query serve this"
        )
    return f"an @index on {model.name}.{field} would let a Query serve this"


def filter_fields(spec: FilterInput | None) -> list[str]:
    """Every field a filter input tests, in order of appearance."""
    found: list[str] = []
    _collect(spec, found, equality_only=False)
    return found


def equality_fields(spec: FilterInput | None) -> list[str]:
    """Fields tested with ``eq`` on every path through the filter (what a key could serve).

    Fields under ``or`` and ``not`` are skipped: a partition key cannot serve them.
    """
    found: list[str] = []
    _collect(spec, found, equality_only=True)
    return found


def _collect(spec: Any, found: list[str], *, equality_only: bool) -> None:
    if not isinstance(spec, Mapping):
        return
    for key, value in spec.items():
        if value is None:
            continue
        if key in ("and", "or", "not"):
            if equality_only and key != "and":
                continue
            members = value if isinstance(value, list | tuple) else [value]
            for member in members:
                _collect(member, found, equality_only=equality_only)
            continue
        tests_equality = isinstance(value, Mapping) and value.get("eq") is not None
        if (tests_equality or not equality_only) and key not in found:
            found.append(key)
