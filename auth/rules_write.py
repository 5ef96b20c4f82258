"""Writes under v2 rules: create checks the input, update and delete check the stored item.

Create (``generateAuthExpressionForCreate``): a role authorized on every field admits the
request; a narrower role admits only its fields, and the input fields outside every admitted list
fail with ``Unauthorized on [a, b]``. Owner roles compare the input's owner field with the caller
and fill it in (``sub::username``, or ``[sub::username]`` for a list) when the key is absent, also
for callers a static role already admitted.

Update and delete run after a ``GetItem`` of the key (no condition expression): owner and
dynamic-group roles look at the stored item, so a missing item is ``Unauthorized`` for an
owner-only model. Update also lists the fields each role may set (``allowedFields``) and null
(``nullAllowedFields``). Delete admits only roles that may delete every field.
"""

from __future__ import annotations

from typing import Any

from emulator.auth.claims import owner_identity
from emulator.auth.rules_acm import ModelAuth, RoleGrant
from emulator.auth.rules_errors import NotAuthorized, denied_fields_error
from emulator.auth.rules_match import Caller, admitted_statically, static_first

Item = dict[str, Any]


class _Admission:
    """The running ``isAuthorized`` / ``allowedFields`` / ``nullAllowedFields`` of a template."""

    def __init__(self) -> None:
        self.authorized = False
        self.allowed: list[str] = []
        self.null_allowed: list[str] = []

    def admit(self, grant: RoleGrant) -> None:
        if grant.full:
            self.authorized = True
        else:
            self.allowed.extend(grant.allowed)
            self.null_allowed.extend(grant.null_allowed)

    @property
    def nothing(self) -> bool:
        return not self.authorized and not self.allowed and not self.null_allowed


def authorize_create(auth: ModelAuth, caller: Caller | None, values: Item) -> Item:
    """Check a create's input; return it with owner fields filled in."""
    if caller is None:
        raise NotAuthorized(auth.model.name)
    if caller.is_admin:
        return dict(values)
    input_fields = list(values)
    result = dict(values)
    admission = _Admission()
    grants = {g.role.name: g for g in auth.creates}
    for role in static_first(caller.own(g.role for g in auth.creates)):
        grant = grants[role.name]
        if role.static:
            if not admission.authorized and caller.holds_static(role):
                admission.admit(grant)
        elif role.strategy == "owner":
            _create_as_owner(caller, grant, result, admission, auth.populate_owner)
        elif not admission.authorized and caller.in_group_of(role, result.get(role.entity or "")):
            admission.admit(grant)
    if admission.nothing:
        raise NotAuthorized(auth.model.name)
    if not admission.authorized:
        denied = [name for name in input_fields if name not in admission.allowed]
        if denied:
            raise denied_fields_error(denied)
    return result


def _create_as_owner(caller: Caller, grant: RoleGrant, values: Item, admission: _Admission,
                     populate_when_authorized: bool = True) -> None:
    """One owner role of a create: match the given owner, or fill it in when absent (also when a
    static group already authorized the create, with v2's populateOwnerFieldForStaticGroupAuth)."""
    role = grant.role
    entity = role.entity or ""
    owner = owner_identity(caller.identity, role.claim or "")
    if owner.value is None:
        return
    filled = [owner.value] if role.entity_is_list else owner.value
    if admission.authorized:
        if populate_when_authorized and values.get(entity) is None and entity not in values:
            values[entity] = filled
        return
    if caller.owns(role, values.get(entity)):
        admission.admit(grant)
        if admission.authorized:
            return
    if values.get(entity) is None and entity not in values:
        values[entity] = filled
        admission.admit(grant)


def authorize_update(auth: ModelAuth, caller: Caller | None, existing: Item | None, values: Item) -> None:
    """Check an update's input against the stored item (None when it does not exist)."""
    if caller is None:
        raise NotAuthorized(auth.model.name)
    if caller.is_admin:
        return
    stored = existing or {}
    admission = _Admission()
    grants = {g.role.name: g for g in auth.updates}
    for role in static_first(caller.own(g.role for g in auth.updates)):
        if admission.authorized:
            break
        admits = caller.holds_static(role) if role.static else caller.matches_dynamic(role, stored)
        if admits:
            admission.admit(grants[role.name])
    if admission.nothing:
        raise NotAuthorized(auth.model.name)
    if admission.authorized:
        return
    denied = dict.fromkeys(k for k, v in values.items() if v is None and k not in admission.null_allowed)
    denied.update(dict.fromkeys(k for k in values if k not in admission.allowed))
    if denied:
        raise denied_fields_error(denied)


def authorize_delete(auth: ModelAuth, caller: Caller | None, existing: Item | None) -> None:
    """Check a delete against the stored item: only roles deleting every field count."""
    if caller is None:
        raise NotAuthorized(auth.model.name)
    if caller.is_admin or admitted_statically(caller, auth.deletes):
        return
    stored = existing or {}
    if caller.uses_tokens and any(
        caller.matches_dynamic(role, stored) for role in caller.own(auth.deletes) if not role.static
    ):
        return
    raise NotAuthorized(auth.model.name)


def needs_stored_item(auth: ModelAuth, operation: str, caller: Caller | None) -> bool:
    """Whether an owner or dynamic-group role of the caller's provider could decide the write."""
    if caller is None or not caller.uses_tokens or auth.matrix is None:
        return False
    roles = [g.role for g in auth.updates] if operation == "update" else list(auth.deletes)
    return any(not r.static for r in caller.own(roles))
