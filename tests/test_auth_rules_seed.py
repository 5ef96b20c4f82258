"""The seed scenario, v2 and v1: User with owner / private userPools read / private IAM create+update.

User pools is the default mode, IAM and API key are additional. The owner has full access to their
item, other users may only read it, IAM (the auth role) creates and updates, API key is denied;
``Post`` has no ``@auth`` (denied in v2 without sandbox, open in v1).
"""

from __future__ import annotations

import pytest

from emulator.auth.rules import AmplifyPolicy, NotAuthorized
from tests.auth_rules_support import (
    AUTH_CALLER,
    IAM,
    SEED_V1,
    SEED_V2,
    UNAUTH_CALLER,
    api_key,
    iam,
    user,
)

V2 = AmplifyPolicy(SEED_V2, IAM)
V1 = AmplifyPolicy(SEED_V1, IAM)
USER2, POST2 = SEED_V2.models["User"], SEED_V2.models["Post"]
USER1, POST1 = SEED_V1.models["User"], SEED_V1.models["Post"]
ALICE_ITEM = {"id": "u1", "name": "Alice", "owner": "sub-alice::alice"}


def test_v2_owner_has_full_access() -> None:
    alice = user()
    assert V2.prepare_create(USER2, alice, {"name": "Alice"}) == {"name": "Alice", "owner": "sub-alice::alice"}
    assert V2.read_filter(USER2, "get", alice) is None  # private read: every signed-in user
    assert V2.read_filter(USER2, "list", alice) is None
    assert V2.needs_existing_item(USER2, "update", alice)
    assert V2.check_write(USER2, "update", alice, ALICE_ITEM, {"id": "u1", "name": None}) is None
    assert V2.check_write(USER2, "delete", alice, ALICE_ITEM, {"id": "u1"}) is None
    assert V2.subscription_filter(USER2, alice, {}) is None
    assert V2.read_field(USER2, "owner", alice, ALICE_ITEM) == "alice"


def test_v2_other_users_only_read() -> None:
    bob = user("bob")
    assert V2.read_filter(USER2, "get", bob) is None
    assert V2.read_field(USER2, "name", bob, ALICE_ITEM) == "Alice"
    for operation in ("update", "delete"):
        with pytest.raises(NotAuthorized):
            V2.check_write(USER2, operation, bob, ALICE_ITEM, {"id": "u1", "name": "Bob"})
    with pytest.raises(NotAuthorized):
        V2.prepare_create(USER2, bob, {"name": "x", "owner": "sub-alice::alice"})


def test_v2_iam_creates_and_updates_only() -> None:
    role = iam(AUTH_CALLER)
    assert V2.prepare_create(USER2, role, {"name": "Made by IAM"}) == {"name": "Made by IAM"}
    assert not V2.needs_existing_item(USER2, "update", role)
    assert V2.check_write(USER2, "update", role, None, {"id": "u1", "name": "x"}) is None
    with pytest.raises(NotAuthorized):
        V2.check_write(USER2, "delete", role, ALICE_ITEM, {"id": "u1"})
    with pytest.raises(NotAuthorized):
        V2.read_filter(USER2, "get", role)
    with pytest.raises(NotAuthorized):
        V2.prepare_create(USER2, iam(UNAUTH_CALLER), {"name": "x"})


def test_v2_api_key_is_denied_everything() -> None:
    key = api_key()
    checks = [
        lambda: V2.read_filter(USER2, "list", key),
        lambda: V2.prepare_create(USER2, key, {"name": "x"}),
        lambda: V2.check_write(USER2, "update", key, ALICE_ITEM, {"id": "u1"}),
        lambda: V2.check_write(USER2, "delete", key, ALICE_ITEM, {"id": "u1"}),
        lambda: V2.subscription_filter(USER2, key, {}),
    ]
    for check in checks:
        with pytest.raises(NotAuthorized):
            check()


def test_v2_post_without_auth_is_closed() -> None:
    for caller in (user(), api_key(), iam(AUTH_CALLER)):
        with pytest.raises(NotAuthorized):
            V2.read_filter(POST2, "list", caller)
        with pytest.raises(NotAuthorized):
            V2.prepare_create(POST2, caller, {"title": "t"})


def test_v1_owner_create_writes_the_username() -> None:
    assert V1.prepare_create(USER1, user(), {"name": "Alice"}) == {"name": "Alice", "owner": "alice"}
    with pytest.raises(NotAuthorized):
        V1.prepare_create(USER1, user(), {"name": "Alice", "owner": "bob"})


def test_v1_reads_are_open_to_signed_in_users() -> None:
    items = [{"id": "1", "owner": "alice"}, {"id": "2", "owner": "bob"}]
    assert V1.read_filter(USER1, "list", user("carol")) is None
    assert V1.visible_items(USER1, user("carol"), items) == items


def test_v1_update_and_delete_get_an_owner_condition() -> None:
    condition = {"or": [{"owner": {"eq": "bob"}}]}
    assert V1.check_write(USER1, "update", user("bob"), None, {"id": "1"}) == condition
    assert V1.check_write(USER1, "delete", user("bob"), None, {"id": "1"}) == condition
    assert not V1.needs_existing_item(USER1, "update", user("bob"))


def test_v1_iam_role_policies() -> None:
    role = iam(AUTH_CALLER)
    assert V1.prepare_create(USER1, role, {"name": "x"}) == {"name": "x"}
    assert V1.check_write(USER1, "update", role, None, {"id": "1"}) is None
    with pytest.raises(NotAuthorized):
        V1.check_write(USER1, "delete", role, None, {"id": "1"})
    with pytest.raises(NotAuthorized):
        V1.prepare_create(USER1, iam(UNAUTH_CALLER), {"name": "x"})


def test_v1_api_key_is_left_to_the_directives_and_post_is_open() -> None:
    assert V1.read_filter(USER1, "list", api_key()) is None
    assert V1.read_filter(POST1, "list", user()) is None
    assert V1.prepare_create(POST1, api_key(), {"title": "t"}) == {"title": "t"}
    assert V1.check_write(POST1, "delete", user(), None, {"id": "1"}) is None
