"""Amplify ``@auth`` rules, evaluated as Amplify's generated resolvers evaluate them.

``AmplifyPolicy(api, iam)`` implements ``resolvers.context.AuthPolicy``: resolvers ask it where
Amplify's pipeline runs its auth slot. One evaluator serves v2 and v1; it reads rules through the
access-control matrix Amplify itself builds (``rules_acm``) and the caller through the same claim
readings as the VTL (``claims``). Where the versions differ:

* v2 (``rules_read``, ``rules_write``): reads get an auth filter ANDed into the DynamoDB filter;
  update/delete check the stored item (GetItem first) and raise Unauthorized; a model without
  ``@auth`` is denied unless the schema enables sandbox mode and the caller uses an API key.
* v1 (``rules_v1``): reads are filtered in the response (``visible_items``); update/delete return
  a condition, so a non-owner gets ConditionalCheckFailed; a model without ``@auth`` is open.

How a denial reaches the client (the contract with the execution layer)
-----------------------------------------------------------------------
``$util.unauthorized()`` names the field and its parent type, which the policy is not told. Every
method therefore raises ``NotAuthorized`` (an ``AppSyncError`` subclass, errorType
``Unauthorized``) and the code that resolves the GraphQL field completes it::

    except NotAuthorized as error:
        raise error.at(info.field_name, info.parent_type.name) from None

giving ``Not Authorized to access listPosts on type Query``. Field restrictions raise a finished
``AppSyncError`` (``Unauthorized on [a, b]``) that needs nothing more.

What resolvers pass
-------------------
* ``prepare_create``/``check_write`` get the client's ``input`` as sent (before ids, timestamps
  or ``__typename`` are added): its keys are the fields checked.
* v1 get: call ``visible_items(model, identity, [item])`` and raise unauthorized when it comes
  back empty.
* mutation results carry ``"__operation": "Mutation"`` (as Amplify's response templates put it),
  so fields protected by field rules read as null in mutation responses and subscriptions.
* relational fields: call ``read_field`` for the relation field before resolving it (it enforces
  field rules; its value is ignored), then ``read_filter(related, "list" | "get", …)``.
* custom root fields with ``@auth`` (``RootField.auth_rules``): ``check_custom_field``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.apimodel import ApiModel, KeySpec, ModelSpec, RootField
from emulator.auth.claims import IamRoles
from emulator.auth.identity import AuthMode, Identity
from emulator.auth.rules_acm import ModelAuth, model_auth, roles_of_rule
from emulator.auth.rules_errors import NotAuthorized
from emulator.auth.rules_match import Caller
from emulator.auth.rules_read import field_value, may_read_field, query_filter, subscription_filter
from emulator.auth.rules_search import AggregationAccess, aggregation_access, declared_fields_access
from emulator.auth.rules_v1 import (
    create_v1,
    dynamic_checks,
    subscription_v1,
    visible_items,
    write_condition_v1,
)
from emulator.auth.rules_write import authorize_create, authorize_delete, authorize_update, needs_stored_item
from emulator.settings import IamSettings

__all__ = ["AmplifyPolicy", "NotAuthorized"]

Item = dict[str, Any]
FilterInput = dict[str, Any]


class AmplifyPolicy:
    """``AuthPolicy`` for an Amplify API: each model's rules are compiled once, here."""

    def __init__(self, api: ApiModel, iam: IamSettings | None = None) -> None:
        self.api = api
        self.iam = IamRoles.from_settings(iam or IamSettings(), generic_access=api.generic_iam_access)
        generated = _generated_input_fields(api)
        self._models = {
            name: model_auth(spec, api.version, generated.get(name, ()),
                             populate_owner=api.populate_owner_field_for_static_group_auth)
            for name, spec in api.models.items()
        }

    # -- helpers -----------------------------------------------------------------------------

    def _auth(self, model: ModelSpec) -> ModelAuth:
        known = self._models.get(model.name)
        if known is not None and (known.model is model or known.model == model):
            return known
        return model_auth(model, self.api.version)  # a spec this API was not built from

    def _caller(self, identity: Identity | None) -> Caller | None:
        return Caller.of(identity, self.iam)

    def _without_rules(self, auth: ModelAuth, identity: Identity | None) -> bool:
        """True when the model has no ``@auth`` and the caller may use it (v1; v2 sandbox with an
        API key); raises NotAuthorized for a v2 model without rules otherwise."""
        if auth.has_auth:
            return False
        if self.api.version == "v1" or (
            self.api.sandbox and identity is not None and identity.mode == AuthMode.API_KEY
        ):
            return True
        raise NotAuthorized(auth.model.name)

    # -- AuthPolicy --------------------------------------------------------------------------

    def read_filter(self, model: ModelSpec, operation: str, identity: Identity | None) -> FilterInput | None:
        auth = self._auth(model)
        if self._without_rules(auth, identity):
            return None
        if self.api.version == "v1":
            dynamic_checks(auth, operation, self._caller(identity))
            return None
        return query_filter(auth, operation, self._caller(identity))

    def visible_items(self, model: ModelSpec, identity: Identity | None, items: list[Item]) -> list[Item]:
        auth = self._auth(model)
        if self.api.version != "v1" or not auth.has_auth:
            return items
        return visible_items(auth, self._caller(identity), items)

    def prepare_create(self, model: ModelSpec, identity: Identity | None, values: Item) -> Item:
        auth = self._auth(model)
        if self._without_rules(auth, identity):
            return dict(values)
        if self.api.version == "v1":
            return create_v1(auth, self._caller(identity), values)
        return authorize_create(auth, self._caller(identity), values)

    def check_write(
        self,
        model: ModelSpec,
        operation: str,
        identity: Identity | None,
        existing: Item | None,
        values: Item,
    ) -> FilterInput | None:
        auth = self._auth(model)
        if self._without_rules(auth, identity):
            return None
        caller = self._caller(identity)
        if self.api.version == "v1":
            return write_condition_v1(auth, operation, caller)
        if operation == "update":
            authorize_update(auth, caller, existing, values)
        else:
            authorize_delete(auth, caller, existing)
        return None

    def needs_existing_item(self, model: ModelSpec, operation: str, identity: Identity | None) -> bool:
        if self.api.version == "v1":
            return False
        return needs_stored_item(self._auth(model), operation, self._caller(identity))

    def subscription_filter(
        self, model: ModelSpec, identity: Identity | None, arguments: Mapping[str, Any]
    ) -> FilterInput | None:
        auth = self._auth(model)
        if getattr(model, "subscription_level", "on") == "public" or self._without_rules(auth, identity):
            return None  # level "public": Amplify puts no auth on the subscriptions
        if self.api.version == "v1":
            subscription_v1(auth, self._caller(identity), arguments)
            return None
        return subscription_filter(auth, self._caller(identity), arguments)

    def read_field(self, model: ModelSpec, field_name: str, identity: Identity | None, source: Item) -> Any:
        return field_value(self._auth(model), field_name, self._caller(identity), source)

    def check_custom_field(self, root: RootField, identity: Identity | None) -> None:
        """A custom Query/Mutation field with ``@auth``: its static rules must admit the caller
        (owner and dynamic-group rules are ignored there, as Amplify does)."""
        if root.auth_rules is None:
            return
        static = [r for r in root.auth_rules if not r.is_dynamic]
        readers = tuple(role for rule in static for role in roles_of_rule(rule, _NO_MODEL))
        caller = self._caller(identity)
        if caller is not None and caller.is_admin:
            return
        if not may_read_field(caller, readers, {}):
            raise NotAuthorized(f"{root.name} on type {root.parent}")

    def search_aggregations(self, model: ModelSpec, identity: Identity | None) -> AggregationAccess:
        """v2 search: the fields the caller may aggregate on (v1 has no aggregations)."""
        if self.api.version == "v1":
            return AggregationAccess()
        auth = self._auth(model)
        if self._without_rules(auth, identity):
            spec = next((s for s in self.api.searches.values() if s.model == model.name), None)
            return declared_fields_access(spec.declared_fields if spec else tuple(model.fields))
        return aggregation_access(auth, self._caller(identity))


_NO_MODEL = ModelSpec(name="", primary_key=KeySpec("id"), fields={})  # custom fields have no item


def _generated_input_fields(api: ApiModel) -> dict[str, tuple[str, ...]]:
    """Relation key fields each model's inputs carry (hasMany keys on the child, hasOne/belongsTo
    keys on the parent) and DataStore's ``_version``/``_deleted``/``_lastChangedAt``: every writing
    role may set them."""
    generated: dict[str, list[str]] = {}
    for model in api.models.values():
        if model.sync is not None:
            generated.setdefault(model.name, []).extend(("_version", "_deleted", "_lastChangedAt"))
        for relation in model.relations.values():
            if relation.kind == "hasMany":
                generated.setdefault(relation.related_model, []).extend(relation.target_key.fields)
            elif relation.kind in ("hasOne", "belongsTo"):
                generated.setdefault(model.name, []).extend(relation.source_fields)
    return {name: tuple(dict.fromkeys(fields)) for name, fields in generated.items()}

