"""v1 differences: response-side filtering, owner conditions on writes, required owner argument."""

from __future__ import annotations

import pytest

from emulator.auth.identity import AuthMode, Identity
from emulator.auth.rules import AmplifyPolicy, NotAuthorized
from tests.auth_rules_support import api, api_key, field, model, rule, user

OWNED = model("Note", [field("content")], (rule("owner", identity_claim="username"),), ("owner",))
EDITED = model("Doc", [field("editors", is_list=True)], (rule("owner", owner_field="editors",
                                                                identity_claim="username"),))
GROUPED = model("Team", [field("groups", is_list=True)], (rule("groups", groups_field="groups"),))
ADMINS = model("Secret", [field("content")], (rule("groups", groups=("Admin",)),))
WRITES_ONLY = model("Wall", [field("content")], (rule("owner", operations=("create", "update", "delete"),
                                                      identity_claim="username"),), ("owner",))
POLICY = AmplifyPolicy(api("v1", OWNED, EDITED, GROUPED, ADMINS, WRITES_ONLY))
ITEMS = [{"id": "1", "owner": "alice"}, {"id": "2", "owner": "bob"}, {"id": "3", "owner": "alice"}]


def test_list_keeps_the_callers_items_after_the_read() -> None:
    assert POLICY.read_filter(OWNED, "list", user()) is None  # no filter in the request
    assert POLICY.visible_items(OWNED, user(), ITEMS) == [ITEMS[0], ITEMS[2]]
    assert POLICY.visible_items(OWNED, user("carol"), ITEMS) == []


def test_get_of_someone_elses_item_is_not_visible() -> None:
    assert POLICY.visible_items(OWNED, user(), [ITEMS[1]]) == []


def test_list_owner_and_dynamic_groups_visibility() -> None:
    docs = [{"id": "1", "editors": ["bob", "alice"]}, {"id": "2", "editors": ["bob"]}]
    assert POLICY.visible_items(EDITED, user(), docs) == [docs[0]]
    teams = [{"id": "1", "groups": ["A"]}, {"id": "2", "groups": ["B"]}]
    assert POLICY.visible_items(GROUPED, user(groups=("B",)), teams) == [teams[1]]


def test_missing_claim_is_the_none_marker() -> None:
    nobody = Identity(AuthMode.AMAZON_COGNITO_USER_POOLS, claims={"sub": "s"})
    assert POLICY.prepare_create(OWNED, nobody, {})["owner"] == "___xamznone____"
    assert POLICY.check_write(OWNED, "update", nobody, None, {"id": "1"}) == {
        "or": [{"owner": {"eq": "___xamznone____"}}]}


def test_write_conditions_by_field_shape() -> None:
    assert POLICY.check_write(EDITED, "delete", user(), None, {"id": "1"}) == {"or": [{"editors": {"contains": "alice"}}]}
    assert POLICY.check_write(GROUPED, "update", user(groups=("A", "B")), None, {"id": "1"}) == {
        "or": [{"groups": {"contains": "A"}}, {"groups": {"contains": "B"}}]}
    with pytest.raises(NotAuthorized):
        POLICY.check_write(GROUPED, "update", user(), None, {"id": "1"})


def test_static_groups_are_checked_up_front() -> None:
    assert POLICY.read_filter(ADMINS, "get", user(groups=("Admin",))) is None
    assert POLICY.check_write(ADMINS, "delete", user(groups=("Admin",)), None, {"id": "1"}) is None
    with pytest.raises(NotAuthorized):
        POLICY.read_filter(ADMINS, "get", user())
    with pytest.raises(NotAuthorized):
        POLICY.prepare_create(ADMINS, user(), {})


def test_operations_no_rule_mentions_are_open_to_signed_in_users() -> None:
    assert POLICY.visible_items(WRITES_ONLY, user("carol"), ITEMS) == ITEMS
    assert POLICY.check_write(WRITES_ONLY, "update", user("carol"), None, {"id": "1"}) == {
        "or": [{"owner": {"eq": "carol"}}]}


def test_subscription_owner_argument_is_required_and_must_be_the_caller() -> None:
    assert POLICY.subscription_filter(OWNED, user(), {"owner": "alice"}) is None
    with pytest.raises(NotAuthorized):
        POLICY.subscription_filter(OWNED, user(), {"owner": "bob"})
    with pytest.raises(NotAuthorized):
        POLICY.subscription_filter(OWNED, user(), {})
    assert POLICY.subscription_filter(OWNED, api_key(), {}) is None  # directives decide for API key


def test_v1_keeps_the_stored_owner_as_is() -> None:
    assert POLICY.read_field(OWNED, "owner", user(), {"owner": "alice"}) == "alice"
    assert POLICY.read_field(OWNED, "owner", user(), {"owner": "a::b"}) == "a::b"
