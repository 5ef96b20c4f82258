"""Project feature flags (issue 11 point 8) as the Gen1 CLI and the transformer apply them.

The schema-changing flags are checked against Amplify's own output in the conformance cases
(``tests/fixtures/conformance``, one case per flag value); these tests cover how flags are read
(new- and existing-project defaults, v2 ignoring ``improvePluralization``) and the flags that
change resolver behaviour rather than the schema.
"""

from __future__ import annotations

from pathlib import Path

from emulator.auth.rules import AmplifyPolicy
from emulator.settings import Settings
from emulator.transform import TransformOptions, transform
from tests.auth_rules_support import user

TASK = """
type Task @model @auth(rules: [{ allow: owner }, { allow: groups, groups: ["Admin"] }]) {
  id: ID!
  title: String
}
"""


def _project_settings(flags: dict[str, object]) -> Settings:
    return Settings(schema=Path("schema.graphql"),
                    extra={"amplify": {"api": "app", "api_dir": "", "feature_flags": flags}})


def test_flags_missing_from_a_project_take_the_existing_project_defaults() -> None:
    options = TransformOptions.from_settings(_project_settings({"transformerversion": 2}))
    assert options.enable_auto_index_query_names is False
    assert options.respect_primary_key_attributes_on_connection_field is False
    assert options.populate_owner_field_for_static_group_auth is False
    assert options.secondary_key_as_gsi is False
    assert options.add_missing_owner_fields is False


def test_flags_a_project_sets_win_and_a_plain_schema_uses_new_project_defaults() -> None:
    options = TransformOptions.from_settings(_project_settings({"EnableAutoIndexQueryNames": True}))
    assert options.enable_auto_index_query_names is True
    plain = TransformOptions.from_settings(Settings(schema=Path("schema.graphql")))
    assert plain.enable_auto_index_query_names and plain.secondary_key_as_gsi and plain.add_missing_owner_fields


def test_v2_pluralises_in_english_whatever_improvepluralization_says() -> None:
    sdl = "type Inventory @model @auth(rules: [{allow: public}]) { id: ID! }"
    off = TransformOptions(version="v2").with_feature_flags({"improvepluralization": False})
    assert transform(sdl, off).models["Inventory"].operations.list == "listInventories"
    v1 = TransformOptions(version="v1").with_feature_flags({"improvepluralization": False})
    assert transform("type Inventory @model { id: ID! }", v1).models["Inventory"].operations.list == "listInventorys"


def _created_owner(flag: bool) -> object:
    options = TransformOptions(version="v2", default_auth="AMAZON_COGNITO_USER_POOLS").with_feature_flags(
        {"populateownerfieldforstaticgroupauth": flag})
    api = transform(TASK, options)
    policy = AmplifyPolicy(api)
    return policy.prepare_create(api.models["Task"], user("root", groups=("Admin",)), {"title": "x"}).get("owner")


def test_populate_owner_field_for_static_group_auth() -> None:
    assert _created_owner(True) == "sub-root::root"  # an Admin's create is still owned by them
    assert _created_owner(False) is None  # the static group authorized it; no owner is filled in
