"""Which fields a search caller may aggregate on (v2), as Amplify's search auth slot decides.

The search itself is filtered like a list (``rules_read.query_filter`` with operation
``search``: static roles see everything, owner and dynamic-group roles get the auth filter inside
the query, so ``total`` counts what the caller may see). Aggregations add a per-field check,
because an aggregation can reveal a field's values without returning items:

* fields every search role may read are always allowed;
* a static role the caller holds (API key, Lambda, IAM, ``private``, a static group) allows the
  fields it may read (all of them when it reads the whole model); ``private`` first, then static
  groups (the first group reading everything stops there), as the generated template tries them;
* a field only owner or dynamic-group roles may read is aggregated over the caller's own items
  only: its aggregation runs under that role's filter;
* anything else fails the whole search with ``Unauthorized to run aggregation on field: <f>``.

A v2 model without ``@auth`` (sandbox mode, API key) allows the fields written in the schema,
not the implicit ``id`` and timestamps (Amplify's post-auth slot lists the declared fields).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from emulator.auth.rules_acm import ModelAuth, Role
from emulator.auth.rules_match import Caller
from emulator.auth.rules_read import auth_filter_terms

FilterInput = dict[str, Any]


@dataclass(frozen=True)
class AggregationAccess:
    """The fields a search caller may aggregate on: ``allowed`` over everything the search matches
    (None: every field), ``filtered`` only over the items of the filter given (owner/group rules)."""

    allowed: frozenset[str] | None = None
    filtered: Mapping[str, FilterInput] = field(default_factory=dict)


@dataclass(frozen=True)
class _RoleFields:
    role: Role
    fields: tuple[str, ...] | None  # None: the role reads every field


def _search_roles(auth: ModelAuth) -> tuple[tuple[_RoleFields, ...], tuple[str, ...]]:
    """Each search role with the fields it may read when restricted, and the fields all may read."""
    matrix = auth.matrix
    assert matrix is not None
    every = tuple(auth.model.fields)
    least = list(matrix.resources)
    roles = []
    for role in matrix.roles_for("search"):
        readable = matrix.fields_for(role, "search")
        if len(readable) != len(matrix.resources) or not role.static:
            roles.append(_RoleFields(role, readable))
            least = [f for f in least if f in readable]
        else:
            roles.append(_RoleFields(role, None))
    always = tuple(dict.fromkeys([*(f for f in every if f not in matrix.resources), *least]))
    return tuple(roles), always


def aggregation_access(auth: ModelAuth, caller: Caller | None) -> AggregationAccess:
    """The caller's aggregation rights on a model with ``@auth``."""
    roles, always = _search_roles(auth)
    every = frozenset(auth.model.fields)
    if caller is None:
        return AggregationAccess(frozenset(always))
    if caller.is_admin:
        return AggregationAccess(None)
    allowed = set(always)
    own = [r for r in roles if r.role.provider == caller.provider]
    granted = _static_grants(caller, own)
    if granted is None:
        return AggregationAccess(None)
    allowed |= granted
    if allowed >= every:
        return AggregationAccess(None)
    filtered: dict[str, list[FilterInput]] = {}
    if caller.uses_tokens:
        for entry in own:
            if entry.role.static or entry.fields is None:
                continue
            terms = auth_filter_terms(caller, (entry.role,))
            if not terms:
                continue
            for name in entry.fields:
                if name not in always:
                    filtered.setdefault(name, []).extend(terms)
    return AggregationAccess(frozenset(allowed), {name: {"or": terms} for name, terms in filtered.items()})


def _static_grants(caller: Caller, own: Sequence[_RoleFields]) -> set[str] | None:
    """Fields the caller's static roles add (None: every field)."""
    static = [r for r in own if r.role.static]
    if caller.provider in ("apiKey", "function"):
        return _fields_of(static[0]) if static else set()
    if caller.provider == "identityPool":
        held = next((r for r in static if caller.holds_static(r.role)), None)
        return _fields_of(held) if held else set()
    private = next((r for r in static if r.role.strategy == "private"), None)
    if private is not None:
        return _fields_of(private)
    granted: set[str] = set()
    for entry in static:
        if entry.role.strategy == "groups" and caller.holds_static(entry.role):
            if entry.fields is None:
                return None
            granted |= set(entry.fields)
    return granted


def _fields_of(entry: _RoleFields) -> set[str] | None:
    return None if entry.fields is None else set(entry.fields)


def declared_fields_access(declared: Sequence[str]) -> AggregationAccess:
    """A model without ``@auth`` reached in sandbox mode: the fields written in the schema."""
    return AggregationAccess(frozenset(declared))
