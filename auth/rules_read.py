"""Reads under v2 rules: the query auth filter, the subscription filter, field-level reads.

Query (get/list/index query): static roles authorize outright; otherwise owner and
dynamic-group roles become an ``authFilter`` ``{"or": [...]}`` in ``Model<X>FilterInput`` shape
that the resolver ANDs into the DynamoDB ``FilterExpression``. DynamoDB applies ``Limit`` before
the filter, so a page of 10 can hold 7 of the caller's items (Amplify's known behaviour). No
static grant and no filter term means ``$util.unauthorized()``.

Subscription: static roles authorize; an owner argument (``onCreateX(owner: "...")``) must be the
caller or the start is unauthorized; otherwise a runtime filter (owner ``eq`` username, list owner
``contains``, dynamic groups ``in``/``containsAny``) is returned for the hub to AND in.

Field: a field whose readers are narrower than the model's gets its own check against the item;
a value produced by a mutation (``__operation == "Mutation"``) reads as null there, as the
generated field resolver does, so subscribers never see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.auth.claims import display_owner, dynamic_groups, list_claim, owner_identity
from emulator.auth.rules_acm import ModelAuth, Role
from emulator.auth.rules_errors import NotAuthorized
from emulator.auth.rules_match import Caller, admitted_statically, dynamic_roles, static_first

FilterInput = dict[str, Any]
MUTATION_MARK = "__operation"


def query_filter(auth: ModelAuth, operation: str, caller: Caller | None) -> FilterInput | None:
    """The auth slot of a query: None (statically allowed), the auth filter, or NotAuthorized."""
    roles = auth.reads.get(operation, ())
    if caller is None:
        raise NotAuthorized(auth.model.name)
    if caller.is_admin or admitted_statically(caller, roles):
        return None
    terms = auth_filter_terms(caller, dynamic_roles(caller, roles))
    if terms:
        return {"or": terms}
    raise NotAuthorized(auth.model.name)


def auth_filter_terms(caller: Caller, roles: tuple[Role, ...]) -> list[FilterInput]:
    """``generateAuthFilter``: one term per owner value, then scalar groups fields (``in``), then
    list groups fields (``contains`` per token group)."""
    terms: list[FilterInput] = []
    list_group_fields: dict[str, list[str]] = {}
    for role in roles:
        if role.strategy == "owner":
            condition = "contains" if role.entity_is_list else "eq"
            for value in owner_identity(caller.identity, role.claim or "").filter_values:
                terms.append({role.entity: {condition: value}})
        elif role.entity_is_list:
            list_group_fields.setdefault(role.claim or "", []).append(role.entity or "")
        else:
            groups = dynamic_groups(caller.identity, role.claim or "")
            if groups:
                terms.append({role.entity: {"in": groups}})
    for claim, fields in list_group_fields.items():
        for group in list_claim(caller.identity, claim):
            if isinstance(group, str) and not group:
                continue
            terms.extend({name: {"contains": group}} for name in fields)
    return terms


def subscription_filter(
    auth: ModelAuth, caller: Caller | None, arguments: Mapping[str, Any]
) -> FilterInput | None:
    """The auth slot of a subscription start (``generateAuthExpressionForSubscriptions``)."""
    roles = auth.reads.get("listen", ())
    if caller is None:
        raise NotAuthorized(auth.model.name)
    if caller.is_admin:
        return None
    authorized = admitted_statically(caller, roles)
    if not caller.uses_tokens:
        if authorized:
            return None
        raise NotAuthorized(auth.model.name)
    owner_terms, owner_argument_ok = _owner_runtime_terms(auth, caller, roles, arguments, authorized)
    authorized = authorized or owner_argument_ok
    runtime = owner_terms + _group_runtime_terms(caller, dynamic_roles(caller, roles))
    user_filter = arguments.get("filter") or {}
    owner_argument_alone = owner_argument_ok and len(runtime) == 1 and len(user_filter) == 0
    if not owner_argument_alone and (not authorized or owner_argument_ok) and runtime:
        return {"or": runtime}
    if authorized:
        return None
    raise NotAuthorized(auth.model.name)


def _owner_runtime_terms(
    auth: ModelAuth, caller: Caller, roles: tuple[Role, ...], arguments: Mapping[str, Any], authorized: bool
) -> tuple[list[FilterInput], bool]:
    """Owner terms for the runtime filter, and whether an owner argument named the caller.

    An owner argument naming someone else is unauthorized, unless a static role already admitted
    the caller or an earlier owner argument did."""
    terms: list[FilterInput] = []
    valid_argument = False
    for role in dynamic_roles(caller, roles):
        if role.strategy != "owner":
            continue
        owner = owner_identity(caller.identity, role.claim or "")
        if owner.value is None:
            continue
        terms.append({role.entity: {"contains" if role.entity_is_list else "eq": owner.last_part}})
        argument = arguments.get(role.entity or "")
        if not (authorized or valid_argument) and argument not in (None, "", [], {}):
            if not owner.matches(argument):
                raise NotAuthorized(auth.model.name)
            valid_argument = True
    return terms, valid_argument


def _group_runtime_terms(caller: Caller, roles: tuple[Role, ...]) -> list[FilterInput]:
    terms = []
    for role in roles:
        if role.strategy == "groups":
            groups = dynamic_groups(caller.identity, role.claim or "")
            if groups:
                terms.append({role.entity: {"containsAny" if role.entity_is_list else "in": groups}})
    return terms


def field_value(auth: ModelAuth, field_name: str, caller: Caller | None, source: Mapping[str, Any]) -> Any:
    """What a client reads for ``field_name`` of ``source`` (raises NotAuthorized when denied)."""
    readers = auth.protected_fields.get(field_name)
    if readers is not None:
        if caller is not None and caller.is_admin:
            return source.get(field_name)
        if not may_read_field(caller, readers, source):
            raise NotAuthorized(f"{field_name} on type {auth.model.name}")
        if auth.subscriptions_on and source.get(MUTATION_MARK) == "Mutation":
            return None
    value = source.get(field_name)
    if field_name in auth.owner_display_fields:
        return display_owner(value)
    return value


def may_read_field(caller: Caller | None, readers: tuple[Role, ...], source: Mapping[str, Any]) -> bool:
    """``generateAuthExpressionForField``: static readers, then owner/group readers on the item."""
    if caller is None:
        return False
    for role in static_first(caller.own(readers)):
        if role.static and caller.holds_static(role):
            return True
        if not role.static and caller.uses_tokens and caller.matches_dynamic(role, source):
            return True
    return False
