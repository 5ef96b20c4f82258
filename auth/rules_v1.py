"""v1 rules where v1 differs: checks in the response, conditions on writes, user pools only.

v1's templates run owner and group checks only for user-pool (and OIDC) callers; API key and
Lambda callers are judged by the schema's directives alone, IAM callers by the role policies
Amplify generates (emulated here: the auth role may call what ``private``/``public`` IAM rules
grant, the unauth role what ``public`` ones grant). An operation no user-pool rule mentions is
open to every signed-in user, and a static rule (``private``, a static group the caller is in)
opens it too. Otherwise:

* get/list: the request is unfiltered and the response keeps only the caller's items
  (``visible_items``; a get whose item is dropped is unauthorized), after ``Limit`` as ever;
* create: the input's owner must be the caller (``username``), and is filled in when absent;
* update/delete: a condition ``{"or": [{owner: {eq: username}}, …]}`` is ANDed into the write,
  so a non-owner gets ``ConditionalCheckFailedException``, not Unauthorized;
* subscriptions: the required ``owner`` argument must be the caller.

A missing claim is ``"___xamznone____"``, as in the templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.auth.claims import dynamic_groups, v1_owner_value
from emulator.auth.rules_acm import ModelAuth, Role
from emulator.auth.rules_errors import NotAuthorized
from emulator.auth.rules_match import Caller

Item = dict[str, Any]
FilterInput = dict[str, Any]


def v1_roles(auth: ModelAuth, operation: str) -> tuple[Role, ...]:
    if auth.matrix is None:
        return ()
    return auth.matrix.roles_for(operation)


def dynamic_checks(auth: ModelAuth, operation: str, caller: Caller | None) -> tuple[Role, ...]:
    """The owner/dynamic-group roles still to apply; () when the caller is already allowed.

    Raises NotAuthorized when the caller's rules for ``operation`` neither admit them nor
    leave a dynamic check that could."""
    if auth.matrix is None or caller is None or caller.provider in ("apiKey", "function"):
        return ()
    roles = caller.own(v1_roles(auth, operation))
    if caller.provider == "identityPool":
        if not (caller.is_admin or _iam_policy_allows(caller, v1_roles(auth, operation))):
            raise NotAuthorized(auth.model.name)
        return ()
    if not roles or any(r.static and caller.holds_static(r) for r in roles):
        return ()
    dynamic = tuple(r for r in roles if not r.static)
    if not dynamic:
        raise NotAuthorized(auth.model.name)
    return dynamic


def _iam_policy_allows(caller: Caller, roles: tuple[Role, ...]) -> bool:
    """The generated role policies: authRole for private and public IAM rules, unauthRole for public."""
    iam_roles = [r for r in roles if r.provider == "identityPool"]
    if caller.iam.holds(caller.identity, "authRole"):
        return bool(iam_roles)
    if caller.iam.holds(caller.identity, "unauthRole"):
        return any(r.claim == "unauthRole" for r in iam_roles)
    return False


def owns_v1(caller: Caller, role: Role, stored: Any) -> bool:
    """v1's owner test: the stored owner (or any entry of a list) equals the identity value."""
    identity_value = v1_owner_value(caller.identity, role.claim or "username")
    if isinstance(stored, list | tuple):
        return identity_value in stored
    return stored == identity_value


def visible(caller: Caller, roles: tuple[Role, ...], item: Mapping[str, Any]) -> bool:
    """An item the v1 response template keeps for this caller."""
    for role in roles:
        stored = item.get(role.entity or "")
        if role.strategy == "owner" and owns_v1(caller, role, stored):
            return True
        if role.strategy == "groups" and caller.in_group_of(role, stored):
            return True
    return False


def visible_items(auth: ModelAuth, caller: Caller | None, items: list[Item]) -> list[Item]:
    roles = dynamic_checks(auth, "list", caller)
    if not roles or caller is None:
        return items
    return [item for item in items if visible(caller, roles, item)]


def create_v1(auth: ModelAuth, caller: Caller | None, values: Item) -> Item:
    """v1's create request template: owner and dynamic groups checked on the input."""
    roles = dynamic_checks(auth, "create", caller)
    result = dict(values)
    if not roles or caller is None:
        return result
    authorized = False
    for role in roles:
        entity = role.entity or ""
        if role.strategy == "owner":
            if owns_v1(caller, role, result.get(entity)):
                authorized = True
            elif result.get(entity) is None and entity not in result:
                value = v1_owner_value(caller.identity, role.claim or "username")
                result[entity] = [value] if role.entity_is_list else value
                authorized = True
        elif caller.in_group_of(role, result.get(entity)):
            authorized = True
    if not authorized:
        raise NotAuthorized(auth.model.name)
    return result


def write_condition_v1(auth: ModelAuth, operation: str, caller: Caller | None) -> FilterInput | None:
    """v1's update/delete auth condition (ConditionInput shape), None when none applies."""
    roles = dynamic_checks(auth, operation, caller)
    if not roles or caller is None:
        return None
    terms: list[FilterInput] = []
    for role in roles:
        test = "contains" if role.entity_is_list else "eq"
        if role.strategy == "groups":
            terms.extend({role.entity: {test: g}} for g in dynamic_groups(caller.identity, role.claim or ""))
        else:
            terms.append({role.entity: {test: v1_owner_value(caller.identity, role.claim or "username")}})
    if not terms:
        raise NotAuthorized(auth.model.name)
    return {"or": terms}


def subscription_v1(auth: ModelAuth, caller: Caller | None, arguments: Mapping[str, Any]) -> None:
    """v1's subscription check: some owner rule's (required) argument names the caller."""
    roles = dynamic_checks(auth, "listen", caller)
    owners = [r for r in roles if r.strategy == "owner"]
    if not owners or caller is None:
        return
    if not any(owns_v1(caller, r, arguments.get(r.entity or "")) for r in owners):
        raise NotAuthorized(auth.model.name)
