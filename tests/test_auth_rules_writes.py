"""v2 writes: create checks and fills the input, update/delete check the stored item.

Expectations restate ``Mutation.{create,update,delete}<Model>.auth.1.*.vtl`` of the golden matrix.
"""

from __future__ import annotations

import pytest

from emulator.auth.identity import AuthMode, Identity
from emulator.auth.rules import AmplifyPolicy, NotAuthorized
from emulator.errors import AppSyncError
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
    user,
)

POLICY = AmplifyPolicy(MATRIX, IAM)
M = MATRIX.models


def denied(fields: str):
    return pytest.raises(AppSyncError, match=rf"^Unauthorized on \[{fields}\]$")


# -- create ---------------------------------------------------------------------------------------


def test_create_fills_in_the_owner() -> None:
    values = {"content": "hi"}
    assert POLICY.prepare_create(M["OwnerDefault"], user(), values) == {"content": "hi", "owner": ALICE}
    assert values == {"content": "hi"}  # the caller's input is not changed


@pytest.mark.parametrize("given", [ALICE, "sub-alice", "alice"])
def test_create_accepts_any_form_of_the_caller_as_owner(given: str) -> None:
    got = POLICY.prepare_create(M["OwnerDefault"], user(), {"content": "hi", "owner": given})
    assert got["owner"] == given


@pytest.mark.parametrize("given", ["bob", None])
def test_create_rejects_another_owner_or_an_explicit_null(given) -> None:
    with pytest.raises(NotAuthorized):
        POLICY.prepare_create(M["OwnerDefault"], user(), {"content": "hi", "owner": given})


@pytest.mark.parametrize("caller", [api_key(), iam(), lambda_(), oidc()], ids=["apiKey", "iam", "lambda", "oidc"])
def test_create_owner_model_other_modes(caller) -> None:
    with pytest.raises(NotAuthorized):
        POLICY.prepare_create(M["OwnerDefault"], caller, {"content": "hi"})


def test_create_custom_claim_and_list_owner() -> None:
    assert POLICY.prepare_create(M["OwnerCustom"], user(email="a@x.io"), {})["author"] == "a@x.io"
    with pytest.raises(NotAuthorized):  # no email claim: nothing to own with
        POLICY.prepare_create(M["OwnerCustom"], user(), {})
    assert POLICY.prepare_create(M["MultiOwner"], user(), {})["editors"] == [ALICE]
    assert POLICY.prepare_create(M["MultiOwner"], user(), {"editors": ["bob", "alice"]})["editors"] == ["bob", "alice"]
    with pytest.raises(NotAuthorized):
        POLICY.prepare_create(M["MultiOwner"], user(), {"editors": ["bob"]})


def test_create_dynamic_groups_needs_a_token_group_in_the_input() -> None:
    assert POLICY.prepare_create(M["DynamicGroups"], user(groups=("A",)), {"groups": ["A", "B"]})
    with pytest.raises(NotAuthorized):
        POLICY.prepare_create(M["DynamicGroups"], user(groups=("C",)), {"groups": ["A"]})
    with pytest.raises(NotAuthorized):
        POLICY.prepare_create(M["DynamicGroups"], user(groups=("A",)), {})


def test_create_static_callers_still_get_the_owner_filled() -> None:
    """``populateOwnerFieldForStaticGroupAuth``: a private OIDC caller gets ``owner = sub``."""
    assert POLICY.prepare_create(M["PrivateOidc"], oidc("s-1"), {"content": "x"}) == {"content": "x", "owner": "s-1"}
    assert POLICY.prepare_create(M["PrivateOidc"], oidc("s-1"), {"owner": "other"})["owner"] == "other"


def test_create_iam_roles() -> None:
    assert POLICY.prepare_create(M["PublicIam"], iam(AUTH_CALLER), {"content": "x"}) == {"content": "x"}
    with pytest.raises(NotAuthorized):
        POLICY.prepare_create(M["PublicIam"], iam(UNAUTH_CALLER), {"content": "x"})


def test_create_field_restrictions_list_the_denied_fields() -> None:
    field_level = M["FieldLevel"]
    with denied("adminNote"):
        POLICY.prepare_create(field_level, user(), {"content": "x", "adminNote": "n"})
    admin_without_owner_claims = Identity(AuthMode.AMAZON_COGNITO_USER_POOLS, claims={"cognito:groups": ["Admin"]})
    with denied("id, content"):
        POLICY.prepare_create(field_level, admin_without_owner_claims, {"id": "1", "content": "x", "adminNote": "n"})
    got = POLICY.prepare_create(field_level, user(groups=("Admin",)), {"content": "x", "adminNote": "n"})
    assert got["owner"] == ALICE  # Admin's fields plus the owner's (the owner role fills it in)
    with pytest.raises(NotAuthorized):
        POLICY.prepare_create(field_level, api_key(), {"content": "x"})


# -- update ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("stored", [ALICE, "sub-alice", "alice"])
def test_update_by_owner(stored: str) -> None:
    existing = {"id": "1", "owner": stored}
    assert POLICY.check_write(M["OwnerDefault"], "update", user(), existing, {"id": "1", "content": None}) is None


@pytest.mark.parametrize("existing", [{"id": "1", "owner": "sub-bob::bob"}, {"id": "1"}, None])
def test_update_by_non_owner_or_of_a_missing_item_is_unauthorized(existing) -> None:
    with pytest.raises(NotAuthorized):
        POLICY.check_write(M["OwnerDefault"], "update", user(), existing, {"id": "1", "content": "x"})


def test_update_without_delete_may_not_null_fields() -> None:
    """OwnerCustom's owner has no ``delete``: updates are field-checked and nulls are denied."""
    existing = {"id": "1", "author": "a@x.io"}
    caller = user(email="a@x.io")
    assert POLICY.check_write(M["OwnerCustom"], "update", caller, existing, {"id": "1", "content": "x"}) is None
    with denied("content"):
        POLICY.check_write(M["OwnerCustom"], "update", caller, existing, {"id": "1", "content": None})


def test_update_field_level_roles() -> None:
    field_level = M["FieldLevel"]
    mine = {"id": "1", "owner": ALICE}
    theirs = {"id": "1", "owner": "sub-bob::bob"}
    assert POLICY.check_write(field_level, "update", user(), mine, {"id": "1", "secret": "s"}) is None
    with denied("adminNote"):
        POLICY.check_write(field_level, "update", user(), mine, {"id": "1", "adminNote": "n"})
    admin = user(groups=("Admin",))
    assert POLICY.check_write(field_level, "update", admin, theirs, {"id": "1", "adminNote": None}) is None
    with denied("content, secret"):
        POLICY.check_write(field_level, "update", admin, theirs, {"id": "1", "content": None, "secret": "s"})
    with pytest.raises(NotAuthorized):
        POLICY.check_write(field_level, "update", user(), theirs, {"id": "1", "content": "x"})


def test_update_iam_and_api_key() -> None:
    assert POLICY.check_write(M["PublicIam"], "update", iam(AUTH_CALLER), None, {"id": "1"}) is None
    with pytest.raises(NotAuthorized):
        POLICY.check_write(M["PublicIam"], "update", iam(UNAUTH_CALLER), None, {"id": "1"})
    assert POLICY.check_write(M["PublicApiKey"], "update", api_key(), None, {"id": "1", "content": None}) is None


def test_update_dynamic_groups_checks_the_stored_groups() -> None:
    stored = {"id": "1", "groups": ["A"]}
    assert POLICY.check_write(M["DynamicGroups"], "update", user(groups=("A",)), stored, {"id": "1"}) is None
    with pytest.raises(NotAuthorized):
        POLICY.check_write(M["DynamicGroups"], "update", user(groups=("B",)), stored, {"id": "1"})


# -- delete ---------------------------------------------------------------------------------------


def test_delete_by_owner_only() -> None:
    owner_default = M["OwnerDefault"]
    assert POLICY.check_write(owner_default, "delete", user(), {"id": "1", "owner": "alice"}, {"id": "1"}) is None
    with pytest.raises(NotAuthorized):
        POLICY.check_write(owner_default, "delete", user(), {"id": "1", "owner": "bob"}, {"id": "1"})
    with pytest.raises(NotAuthorized):
        POLICY.check_write(owner_default, "delete", user(), None, {"id": "1"})
    assert POLICY.check_write(M["MultiOwner"], "delete", user(), {"editors": ["x", ALICE]}, {"id": "1"}) is None


@pytest.mark.parametrize("name", ["OwnerCustom", "FieldLevel"])
def test_delete_needs_delete_on_every_field(name: str) -> None:
    """OwnerCustom's rule lacks delete; FieldLevel's owner only reads adminNote: nobody deletes."""
    for caller in (user(email="a@x.io", groups=("Admin",)), api_key()):
        with pytest.raises(NotAuthorized):
            POLICY.check_write(M[name], "delete", caller, {"author": "a@x.io", "owner": ALICE}, {"id": "1"})


def test_delete_static_groups_and_lambda() -> None:
    assert POLICY.check_write(M["StaticGroups"], "delete", user(groups=("Admin",)), None, {"id": "1"}) is None
    assert POLICY.check_write(M["CustomLambda"], "delete", lambda_(), None, {"id": "1"}) is None
    with pytest.raises(NotAuthorized):
        POLICY.check_write(M["StaticGroups"], "delete", user(), None, {"id": "1"})


def test_existing_item_is_read_only_when_a_dynamic_rule_can_decide() -> None:
    assert POLICY.needs_existing_item(M["OwnerDefault"], "update", user())
    assert POLICY.needs_existing_item(M["DynamicGroups"], "delete", user())
    assert not POLICY.needs_existing_item(M["OwnerDefault"], "update", api_key())
    assert not POLICY.needs_existing_item(M["StaticGroups"], "update", user())
    assert not POLICY.needs_existing_item(M["OwnerCustom"], "delete", user())  # no delete role at all


def test_create_public_api_key_and_custom_lambda() -> None:
    assert POLICY.prepare_create(M["PublicApiKey"], api_key(), {"content": "x"}) == {"content": "x"}
    assert POLICY.prepare_create(M["CustomLambda"], lambda_(), {"content": "x"}) == {"content": "x"}
    with pytest.raises(NotAuthorized):
        POLICY.prepare_create(M["PublicApiKey"], lambda_(), {"content": "x"})
