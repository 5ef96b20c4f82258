"""v2 subscriptions (owner argument, runtime filters), field-level reads and custom fields.

Expectations restate ``Subscription.onCreate<Model>.auth.1.req.vtl``, ``FieldLevel.secret.*``,
``FieldLevel.adminNote.*``, ``<Model>.owner.res.vtl`` and ``Query.echo.req.vtl`` of the golden matrix.
"""

from __future__ import annotations

import pytest

from emulator.apimodel import RootField
from emulator.auth.rules import AmplifyPolicy, NotAuthorized
from tests.auth_rules_support import (
    ALICE,
    AUTH_CALLER,
    IAM,
    MATRIX,
    UNAUTH_CALLER,
    api_key,
    iam,
    lambda_,
    oidc,
    rule,
    user,
)

POLICY = AmplifyPolicy(MATRIX, IAM)
M = MATRIX.models


# -- subscriptions --------------------------------------------------------------------------------


def test_owner_subscription_without_argument_filters_on_the_username() -> None:
    assert POLICY.subscription_filter(M["OwnerDefault"], user(), {}) == {"or": [{"owner": {"eq": "alice"}}]}


@pytest.mark.parametrize("argument", ["alice", "sub-alice", ALICE])
def test_owner_argument_naming_the_caller_needs_no_runtime_filter(argument: str) -> None:
    assert POLICY.subscription_filter(M["OwnerDefault"], user(), {"owner": argument}) is None


def test_owner_argument_with_a_user_filter_keeps_the_runtime_filter() -> None:
    got = POLICY.subscription_filter(M["OwnerDefault"], user(), {"owner": "alice", "filter": {"content": {"eq": "x"}}})
    assert got == {"or": [{"owner": {"eq": "alice"}}]}


def test_owner_argument_naming_someone_else_is_unauthorized() -> None:
    with pytest.raises(NotAuthorized):
        POLICY.subscription_filter(M["OwnerDefault"], user(), {"owner": "bob"})
    assert POLICY.subscription_filter(M["OwnerDefault"], user(), {"owner": ""}) is not None  # empty = absent


def test_subscription_runtime_filters_by_field_shape() -> None:
    assert POLICY.subscription_filter(M["MultiOwner"], user(), {}) == {"or": [{"editors": {"contains": "alice"}}]}
    assert POLICY.subscription_filter(M["OwnerCustom"], user(email="a@x.io"), {}) == {
        "or": [{"author": {"eq": "a@x.io"}}]}
    assert POLICY.subscription_filter(M["DynamicGroups"], user(groups=("A", "B")), {}) == {
        "or": [{"groups": {"containsAny": ["A", "B"]}}]}
    with pytest.raises(NotAuthorized):
        POLICY.subscription_filter(M["DynamicGroups"], user(), {})


def test_static_subscription_grants() -> None:
    assert POLICY.subscription_filter(M["FieldLevel"], user(), {"owner": "bob"}) is None  # private read
    assert POLICY.subscription_filter(M["FieldLevel"], api_key(), {}) is None
    assert POLICY.subscription_filter(M["PublicIam"], iam(UNAUTH_CALLER), {}) is None
    assert POLICY.subscription_filter(M["CustomLambda"], lambda_(), {}) is None
    assert POLICY.subscription_filter(M["PrivateOidc"], oidc(), {}) is None
    for model, caller in (("OwnerDefault", api_key()), ("OwnerDefault", iam(AUTH_CALLER)), ("PublicApiKey", user())):
        with pytest.raises(NotAuthorized):
            POLICY.subscription_filter(M[model], caller, {})


# -- field-level reads ----------------------------------------------------------------------------


def test_owner_field_shows_the_username() -> None:
    assert POLICY.read_field(M["OwnerDefault"], "owner", user(), {"owner": ALICE}) == "alice"
    assert POLICY.read_field(M["MultiOwner"], "editors", user(), {"editors": [ALICE, "bob"]}) == ["alice", "bob"]
    assert POLICY.read_field(M["OwnerDefault"], "owner", user(), {"owner": None}) is None
    assert POLICY.read_field(M["OwnerCustom"], "author", user(), {"author": "a::b"}) == "a::b"  # single claim


def test_protected_field_is_read_by_its_own_roles_only() -> None:
    item = {"id": "1", "owner": ALICE, "secret": "s", "adminNote": "n", "content": "c"}
    assert POLICY.read_field(M["FieldLevel"], "secret", user(), item) == "s"
    assert POLICY.read_field(M["FieldLevel"], "adminNote", user(), item) == "n"
    bob = user("bob")
    assert POLICY.read_field(M["FieldLevel"], "content", bob, item) == "c"
    with pytest.raises(NotAuthorized) as caught:
        POLICY.read_field(M["FieldLevel"], "secret", bob, item)
    assert caught.value.at("secret", "FieldLevel").message == "Not Authorized to access secret on type FieldLevel"
    assert POLICY.read_field(M["FieldLevel"], "adminNote", user("bob", groups=("Admin",)), item) == "n"
    with pytest.raises(NotAuthorized):
        POLICY.read_field(M["FieldLevel"], "secret", api_key(), item)
    assert POLICY.read_field(M["FieldLevel"], "content", api_key(), item) == "c"


def test_protected_field_is_null_in_mutation_results() -> None:
    item = {"id": "1", "owner": ALICE, "secret": "s", "content": "c", "__operation": "Mutation"}
    assert POLICY.read_field(M["FieldLevel"], "secret", user(), item) is None
    assert POLICY.read_field(M["FieldLevel"], "content", user(), item) == "c"
    with pytest.raises(NotAuthorized):  # the check still runs first
        POLICY.read_field(M["FieldLevel"], "secret", user("bob"), item)


# -- custom root fields -----------------------------------------------------------------------------


ECHO = RootField("Query", "echo", "custom", auth_rules=(rule("public"), rule("groups", groups=("Admin",))))


def test_custom_field_static_rules() -> None:
    POLICY.check_custom_field(ECHO, api_key())
    POLICY.check_custom_field(ECHO, user(groups=("Admin",)))
    for caller in (user(), iam(AUTH_CALLER), lambda_(), oidc()):
        with pytest.raises(NotAuthorized) as caught:
            POLICY.check_custom_field(ECHO, caller)
        assert caught.value.at("echo", "Query").message == "Not Authorized to access echo on type Query"
    POLICY.check_custom_field(RootField("Query", "open", "custom"), user())


def test_custom_field_ignores_owner_rules() -> None:
    owned = RootField("Mutation", "doIt", "custom", auth_rules=(rule("owner"), rule("private", "identityPool")))
    POLICY.check_custom_field(owned, iam(AUTH_CALLER))
    with pytest.raises(NotAuthorized):
        POLICY.check_custom_field(owned, user())


def test_subscription_levels() -> None:
    """``@model(subscriptions: {level: public})`` has no auth on subscriptions; ``off`` lets
    protected fields through in mutation results (no subscriber can see them)."""
    from dataclasses import replace

    public = replace(M["OwnerDefault"], subscription_level="public")
    assert AmplifyPolicy(MATRIX).subscription_filter(public, api_key(), {}) is None
    off = replace(M["FieldLevel"], subscription_level="off")
    item = {"owner": ALICE, "secret": "s", "__operation": "Mutation"}
    assert AmplifyPolicy(MATRIX).read_field(off, "secret", user(), item) == "s"
