"""Search auth (auth/rules_search.py via AmplifyPolicy): the search filter and, per field, who may
aggregate what, as Amplify's search auth slot decides (amplify-graphql-auth-transformer search.ts)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from emulator.apimodel import SearchSpec
from emulator.auth.rules import AmplifyPolicy, NotAuthorized
from emulator.auth.rules_search import AggregationAccess
from tests.auth_rules_support import IAM, MATRIX, MATRIX_MODELS, api, api_key, field, iam, model, rule, user

FIELD_LEVEL = next(m for m in MATRIX_MODELS if m.name == "FieldLevel")
POLICY = AmplifyPolicy(MATRIX, IAM)
ALL_FIELDS = set(FIELD_LEVEL.fields)


def _access(identity: object, spec: object = FIELD_LEVEL, policy: AmplifyPolicy = POLICY) -> AggregationAccess:
    return policy.search_aggregations(spec, identity)  # type: ignore[arg-type]


def test_the_search_filter_is_the_owner_filter() -> None:
    owner_only = next(m for m in MATRIX_MODELS if m.name == "OwnerDefault")
    assert POLICY.read_filter(owner_only, "search", user("alice")) == {"or": [
        {"owner": {"eq": "sub-alice::alice"}}, {"owner": {"eq": "sub-alice"}}, {"owner": {"eq": "alice"}}]}
    assert POLICY.read_filter(FIELD_LEVEL, "search", api_key()) is None  # public read: everything
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(owner_only, "search", api_key())


def test_a_reader_of_every_field_aggregates_on_every_field() -> None:
    owner_only = next(m for m in MATRIX_MODELS if m.name == "OwnerDefault")
    assert _access(user("alice"), owner_only).allowed is None
    assert _access(iam(), next(m for m in MATRIX_MODELS if m.name == "PublicIam")).allowed is None


def _over_own_items(access: AggregationAccess) -> set[str]:
    return set(access.filtered) - set(access.allowed or ())


def test_fields_only_owners_read_are_aggregated_over_their_own_items() -> None:
    bob = _access(user("bob"))  # private read: every field but secret and adminNote
    assert bob.allowed == ALL_FIELDS - {"secret", "adminNote"}
    assert _over_own_items(bob) == {"secret", "adminNote"}
    assert bob.filtered["secret"] == {"or": [{"owner": {"eq": "sub-bob::bob"}}, {"owner": {"eq": "sub-bob"}},
                                             {"owner": {"eq": "bob"}}]}
    # the template tries `private` before static groups: an Admin is a private reader first, so
    # adminNote too is aggregated over the Admin's own items only (Amplify's order, not a choice here)
    admin = _access(user("admin", groups=("Admin",)))
    assert admin.allowed == ALL_FIELDS - {"secret", "adminNote"} and _over_own_items(admin) == {"secret", "adminNote"}


def test_static_roles_without_a_field_may_not_aggregate_it() -> None:
    public = _access(api_key())
    assert public.allowed == ALL_FIELDS - {"secret", "adminNote"} and public.filtered == {}


def test_a_model_without_auth_in_sandbox_mode_allows_the_declared_fields() -> None:
    open_model = model("Todo", [field("name")], None)
    sandbox = replace(api("v2", open_model, sandbox=True),
                      searches={"searchTodos": SearchSpec("Todo", "searchTodos", ("id", "name"))})
    access = _access(api_key(), open_model, AmplifyPolicy(sandbox, IAM))
    assert access.allowed == {"id", "name"}  # not the implicit timestamps
    with pytest.raises(NotAuthorized):
        _access(user("alice"), open_model, AmplifyPolicy(sandbox, IAM))


def test_v1_has_no_aggregations_to_authorize() -> None:
    v1 = api("v1", model("Note", [field("text")], (rule("owner", identity_claim="username"),), ("owner",)))
    assert _access(user("alice"), v1.models["Note"], AmplifyPolicy(v1, IAM)) == AggregationAccess()
