"""v2 reads: the auth slot of get/list (auth filter or static grant), per strategy and provider.

Each expectation restates what ``Query.get<Model>.auth.1.req.vtl`` /
``Query.list<Model>.auth.1.req.vtl`` of the golden auth matrix does for that caller.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from emulator.auth.identity import AuthMode, Identity
from emulator.auth.rules import AmplifyPolicy, NotAuthorized
from tests.auth_rules_support import (
    AUTH_CALLER,
    AUTH_ROLE,
    IAM,
    MATRIX,
    SEED_POST,
    UNAUTH_CALLER,
    api,
    api_key,
    field,
    iam,
    lambda_,
    model,
    oidc,
    rule,
    user,
)

POLICY = AmplifyPolicy(MATRIX, IAM)
M = MATRIX.models


def pool_claims(claims: dict) -> Identity:
    return Identity(AuthMode.AMAZON_COGNITO_USER_POOLS, claims=claims)


def owner_terms(field: str, condition: str = "eq", sub: str = "sub-alice", name: str = "alice") -> dict:
    return {"or": [{field: {condition: f"{sub}::{name}"}}, {field: {condition: sub}}, {field: {condition: name}}]}


@pytest.mark.parametrize("operation", ["get", "list"])
def test_owner_default_user_gets_the_three_owner_forms(operation: str) -> None:
    assert POLICY.read_filter(M["OwnerDefault"], operation, user()) == owner_terms("owner")


@pytest.mark.parametrize("caller", [api_key(), iam(), lambda_(), oidc()], ids=["apiKey", "iam", "lambda", "oidc"])
def test_owner_default_other_modes_are_unauthorized(caller) -> None:
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["OwnerDefault"], "list", caller)


def test_owner_claims_missing_leave_the_parts_present() -> None:
    """``sub::username`` needs both claims; each present one still filters."""
    caller = pool_claims({"sub": "sub-alice"})
    assert POLICY.read_filter(M["OwnerDefault"], "list", caller) == {"or": [{"owner": {"eq": "sub-alice"}}]}


def test_username_claim_is_read_before_cognito_username() -> None:
    caller = pool_claims({"sub": "s", "username": "real", "cognito:username": "other"})
    assert POLICY.read_filter(M["OwnerDefault"], "get", caller) == {
        "or": [{"owner": {"eq": "s::real"}}, {"owner": {"eq": "s"}}, {"owner": {"eq": "real"}}]}


def test_no_owner_claim_at_all_is_unauthorized() -> None:
    caller = pool_claims({})
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["OwnerDefault"], "list", caller)


def test_custom_identity_claim() -> None:
    assert POLICY.read_filter(M["OwnerCustom"], "list", user(email="a@x.io")) == {
        "or": [{"author": {"eq": "a@x.io"}}]}
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["OwnerCustom"], "list", user())


def test_list_owner_field_uses_contains() -> None:
    assert POLICY.read_filter(M["MultiOwner"], "list", user()) == owner_terms("editors", "contains")


def test_static_groups() -> None:
    assert POLICY.read_filter(M["StaticGroups"], "list", user(groups=("Editors",))) is None
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["StaticGroups"], "list", user(groups=("Viewers",)))
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["StaticGroups"], "get", user())


def test_dynamic_groups_list_field_filter_per_token_group() -> None:
    got = POLICY.read_filter(M["DynamicGroups"], "list", user(groups=("A", "B")))
    assert got == {"or": [{"groups": {"contains": "A"}}, {"groups": {"contains": "B"}}]}
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["DynamicGroups"], "list", user())


def test_dynamic_groups_scalar_field_uses_in() -> None:
    team = model("Team", [field("team")], (rule("groups", groups_field="team"),))
    policy = AmplifyPolicy(api("v2", team), IAM)
    assert policy.read_filter(team, "list", user(groups=("A", "B"))) == {"or": [{"team": {"in": ["A", "B"]}}]}


def test_public_api_key() -> None:
    assert POLICY.read_filter(M["PublicApiKey"], "list", api_key()) is None
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["PublicApiKey"], "list", user())


def test_iam_roles_compare_the_assumed_role_arn() -> None:
    assert POLICY.read_filter(M["PublicIam"], "get", iam(UNAUTH_CALLER)) is None
    assert POLICY.read_filter(M["PublicIam"], "list", iam(AUTH_CALLER)) is None
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["PublicIam"], "list", iam("arn:aws:sts::123456789012:assumed-role/other/x"))
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["PublicIam"], "list", iam(AUTH_ROLE))  # the role ARN is not the caller's ARN


def test_private_oidc_and_owner_oidc() -> None:
    assert POLICY.read_filter(M["PrivateOidc"], "list", oidc()) is None
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["PrivateOidc"], "list", user())


def test_custom_lambda() -> None:
    assert POLICY.read_filter(M["CustomLambda"], "get", lambda_()) is None
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(M["CustomLambda"], "get", api_key())


def test_fine_grained_operations() -> None:
    fine = M["FineGrained"]
    assert POLICY.read_filter(fine, "get", api_key()) is None
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(fine, "list", api_key())
    assert POLICY.read_filter(fine, "list", user()) is None  # private: list, sync, search
    assert POLICY.read_filter(fine, "get", user()) == owner_terms("owner")  # only the owner rule gets


def test_field_rule_roles_also_read_the_model() -> None:
    """A role granted only on a field (groups Admin on adminNote) reads the model too."""
    assert POLICY.read_filter(M["FieldLevel"], "get", user(groups=("Admin",))) is None
    assert POLICY.read_filter(M["FieldLevel"], "get", api_key()) is None


def test_admin_role_passes_every_check() -> None:
    policy = AmplifyPolicy(MATRIX, replace(IAM, admin_role_names=("lambda-backend",)))
    admin = iam("arn:aws:sts::123456789012:assumed-role/lambda-backend/session")
    assert policy.read_filter(M["OwnerDefault"], "list", admin) is None
    assert policy.read_field(M["FieldLevel"], "secret", admin, {"secret": "s"}) == "s"
    with pytest.raises(NotAuthorized):  # the role name must be the whole role, not a prefix
        policy.read_filter(M["OwnerDefault"], "list", iam("arn:aws:sts::1:assumed-role/lambda-backend-2/s"))


def test_v2_model_without_auth_is_denied_unless_sandbox_and_api_key() -> None:
    closed = AmplifyPolicy(api("v2", SEED_POST), IAM)
    for caller in (api_key(), user(), iam()):
        with pytest.raises(NotAuthorized):
            closed.read_filter(SEED_POST, "list", caller)
    sandbox = AmplifyPolicy(api("v2", SEED_POST, sandbox=True), IAM)
    assert sandbox.read_filter(SEED_POST, "list", api_key()) is None
    with pytest.raises(NotAuthorized):
        sandbox.read_filter(SEED_POST, "list", user())


def test_v2_lists_are_not_filtered_in_the_response() -> None:
    items = [{"id": "1", "owner": "x"}]
    assert POLICY.visible_items(M["OwnerDefault"], user(), items) is items


def test_not_authorized_is_completed_with_the_field() -> None:
    with pytest.raises(NotAuthorized) as caught:
        POLICY.read_filter(M["OwnerDefault"], "list", api_key())
    error = caught.value.at("listOwnerDefaults", "Query")
    assert (error.message, error.error_type) == ("Not Authorized to access listOwnerDefaults on type Query",
                                                 "Unauthorized")
    assert caught.value.error_type == "Unauthorized"
