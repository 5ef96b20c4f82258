"""The ``ApiModel`` the transform produces: keys and GSIs (against each golden ``tables.json``),
relations, normalised ``@auth`` rules, root fields, timestamps, defaults and key types."""

from __future__ import annotations

import json

import pytest

from emulator.apimodel import ALL_OPERATIONS, ApiModel, AuthRule, KeySpec, RelationSpec
from emulator.transform import TransformOptions, transform
from tests.transform_golden_cases import CASES, GOLDEN, options_for

READ = ("get", "list", "listen", "search", "sync")


def golden_api(folder: str) -> ApiModel:
    case = next(c for c in CASES if c[0] == folder)
    return transform((GOLDEN / case[2]).read_text(), options_for(case[1], case[3]))


def key_of(schema: list[dict]) -> KeySpec:
    hash_key = next(k["AttributeName"] for k in schema if k["KeyType"] == "HASH")
    range_key = next((k["AttributeName"] for k in schema if k["KeyType"] == "RANGE"), None)
    return KeySpec(hash_key, tuple(range_key.split("#")) if range_key else ())


@pytest.mark.parametrize("folder", [c[0] for c in CASES])
def test_keys_and_indexes_match_tables_json(folder: str) -> None:
    api = golden_api(folder)
    tables = json.loads((GOLDEN / folder / "tables.json").read_text())
    assert set(api.models) == set(tables)
    for name, table in tables.items():
        model = api.models[name]
        assert model.primary_key == key_of(table["keySchema"]), name
        expected = {g["indexName"]: key_of(g["keySchema"]) for g in table["globalSecondaryIndexes"]}
        assert {i.name: i.key for i in model.indexes} == expected, name
        declared = {a["AttributeName"]: a["AttributeType"] for a in table["attributeDefinitions"]}
        assert {k: v for k, v in model.key_types.items() if k in declared} == declared, name
        assert set(declared) <= set(model.key_types), name


def test_v1_keys_relations_metadata() -> None:
    api = golden_api("v1/keys-relations-apikey")
    inventory = api.models["Inventory"]
    assert inventory.primary_key == KeySpec("productId", ("warehouseId",))
    by_region = inventory.index("byRegionCountryCity")
    assert by_region.key.sort_attribute == "country#city" and by_region.query_field == "inventoryByRegion"
    assert inventory.key_types["country#city"] == "S"
    assert api.models["Post"].index("byTitle").query_field == "postsByTitle"
    assert api.models["Comment"].index("byPost").query_field is None  # v1: no queryField, no query
    assert api.models["Blog"].relations["posts"] == RelationSpec(
        "hasMany", "posts", "Post", ("id",), KeySpec("postBlogId"), "gsi-BlogPosts")
    assert api.models["Post"].relations["blog"] == RelationSpec(
        "belongsTo", "blog", "Blog", ("postBlogId",), KeySpec("id"))
    assert api.models["Post"].relations["comments"] == RelationSpec(
        "hasMany", "comments", "Comment", ("id",), KeySpec("postID", ("content",)), "byPost")
    assert api.models["Comment"].relations["post"] == RelationSpec(
        "belongsTo", "post", "Post", ("postID",), KeySpec("id"))
    assert api.root("Query", "listInventorys").kind == "list"  # improvePluralization=false
    assert api.root("Query", "inventoryByRegion").index == "byRegionCountryCity"
    order = api.models["Order"]
    assert order.created_at == "createdAt" and order.fields["createdAt"].non_null


def test_v2_auth_rules_are_normalised() -> None:
    models = golden_api("v2/auth-matrix-all-providers").models
    assert models["OwnerDefault"].auth_rules == (AuthRule("owner", "userPools"),)
    assert models["OwnerCustom"].auth_rules == (
        AuthRule("owner", "userPools", ("create", *READ, "update"), owner_field="author", identity_claim="email"),)
    assert models["StaticGroups"].auth_rules == (AuthRule("groups", "userPools", groups=("Admin", "Editors")),)
    assert models["DynamicGroups"].auth_rules == (AuthRule("groups", "userPools", groups_field="groups"),)
    assert models["PublicApiKey"].auth_rules == (AuthRule("public", "apiKey"),)
    assert models["PublicIam"].auth_rules == (
        AuthRule("public", "identityPool", READ), AuthRule("private", "identityPool"))
    assert models["PrivateOidc"].auth_rules[1] == AuthRule("owner", "oidc", identity_claim="sub")
    assert models["CustomLambda"].auth_rules == (AuthRule("custom", "function"),)
    assert models["FineGrained"].auth_rules[1].operations == ("get",)
    assert models["OwnerDefault"].auth_rules[0].operations == ALL_OPERATIONS
    field_level = models["FieldLevel"]
    assert field_level.fields["secret"].auth_rules == (AuthRule("owner", "userPools"),)
    assert field_level.fields["adminNote"].auth_rules == (
        AuthRule("groups", "userPools", groups=("Admin",)), AuthRule("owner", "userPools", READ))
    assert field_level.fields["content"].auth_rules is None
    assert "owner" in models["OwnerDefault"].fields and "owner" not in models["OwnerCustom"].fields


def test_v1_rules_default_to_username_claim() -> None:
    user = golden_api("v1/seed-userpools-iam-apikey").models["User"]
    assert user.auth_rules[0] == AuthRule("owner", "userPools", identity_claim="username")
    assert user.auth_rules[2] == AuthRule("private", "identityPool", ("create", "update"), identity_claim="username")


def test_root_fields() -> None:
    api = golden_api("v2/seed-userpools-iam-apikey")
    assert api.root("Query", "getUser").kind == "get" and api.root("Query", "getUser").model == "User"
    assert api.root("Query", "listUsers").kind == "list"
    by_title = api.root("Query", "postsByTitle")
    assert (by_title.kind, by_title.model, by_title.index) == ("query", "Post", "byTitle")
    assert api.root("Mutation", "updatePost").kind == "update"
    on_create = api.root("Subscription", "onCreateUser")
    assert on_create.kind == "subscribe" and on_create.mutations == ("createUser",)
    assert api.models["Post"].operations.on_delete == "onDeletePost"
    assert api.version == "v2" and not api.sandbox
    assert len(api.root_fields) == 2 * (2 + 3 + 3) + 1


def test_custom_field_keeps_static_rules_only() -> None:
    echo = golden_api("v2/auth-matrix-all-providers").root("Query", "echo")
    assert echo.kind == "custom"
    assert echo.auth_rules == (AuthRule("public", "apiKey"), AuthRule("groups", "userPools", groups=("Admin",)))


def test_sandbox_flag() -> None:
    assert golden_api("v2/post-sandbox-apikey").sandbox
    assert not golden_api("v2/post-nosandbox-apikey").sandbox


BLOG = """
type Blog @model { id: ID! name: String! posts: [Post] @hasMany }
type Post @model {
  id: ID!
  title: String! @index(name: "byTitle")
  rating: Int @default(value: "3")
  published: Boolean @default(value: "false")
  blog: Blog @belongsTo
  comments: [Comment] @hasMany(indexName: "byPost", fields: ["id"])
}
type Comment @model {
  id: ID!
  postID: ID! @index(name: "byPost", sortKeyFields: ["content"])
  content: String!
  post: Post @belongsTo(fields: ["postID"])
}
"""


def test_v2_relations_foreign_keys_and_defaults() -> None:
    api = transform(BLOG, TransformOptions())
    blog, post, comment = api.models["Blog"], api.models["Post"], api.models["Comment"]
    assert blog.relations["posts"] == RelationSpec(
        "hasMany", "posts", "Post", ("id",), KeySpec("blogPostsId"), "gsi-Blog.posts")
    assert post.index("gsi-Blog.posts").key == KeySpec("blogPostsId")
    assert post.fields["blogPostsId"].type_name == "ID" and post.key_types["blogPostsId"] == "S"
    assert post.relations["blog"] == RelationSpec("belongsTo", "blog", "Blog", ("blogPostsId",), KeySpec("id"))
    assert post.relations["comments"].target_key == KeySpec("postID", ("content",))
    assert post.relations["comments"].index == "byPost"
    assert comment.relations["post"].source_fields == ("postID",)
    assert post.defaults == {"rating": 3, "published": False}
    assert comment.index("byPost").query_field == "commentsByPostIDAndContent"
    assert not post.fields["posts" if "posts" in post.fields else "comments"].is_scalar


def test_timestamps_renamed_and_disabled() -> None:
    api = transform("""
      type A @model(timestamps: {createdAt: "createdOn", updatedAt: null}) { id: ID! }
      type B @model(timestamps: null) { id: ID! }
    """)
    assert (api.models["A"].created_at, api.models["A"].updated_at) == ("createdOn", None)
    assert "createdOn" in api.models["A"].fields and "updatedAt" not in api.models["A"].fields
    assert (api.models["B"].created_at, api.models["B"].updated_at) == (None, None)


def test_operation_names_and_levels() -> None:
    api = transform("""
      type Note @model(queries: {get: "fetchNote"}, mutations: {create: "addNote"},
                       subscriptions: {level: public}) { id: ID! }
    """)
    ops = api.models["Note"].operations
    assert (ops.get, ops.list, ops.create, ops.update, ops.delete) == ("fetchNote", None, "addNote", None, None)
    assert ops.on_create == "onCreateNote" and ops.on_update is None
    assert api.models["Note"].subscription_level == "public"
    assert api.root("Subscription", "onCreateNote").mutations == ("addNote",)


def sdl_block(sdl: str, header: str) -> str:
    """The printed block of one type (``type Post`` / ``input CreatePostInput``)."""
    return next(block for block in sdl.split("\n\n") if block.startswith(header + " "))


MANY_TO_MANY = """
type Post @model @auth(rules: [{allow: owner}, {allow: public, operations: [read]}]) {
  id: ID! title: String tags: [Tag] @manyToMany(relationName: "PostTags")
}
type Tag @model { id: ID! label: String! posts: [Post] @manyToMany(relationName: "PostTags") }
"""


def test_many_to_many_generates_join_model() -> None:
    api = transform(MANY_TO_MANY, TransformOptions(additional_auth=("AMAZON_COGNITO_USER_POOLS",)))
    join = api.models["PostTags"]
    assert {name for name, f in join.fields.items() if f.is_scalar} >= {"id", "postId", "tagId", "owner"}
    assert join.fields["postId"].non_null and join.fields["post"].type_name == "Post"
    assert [(i.name, i.key, i.query_field) for i in join.indexes] == [
        ("byPost", KeySpec("postId"), "postTagsByPostId"), ("byTag", KeySpec("tagId"), "postTagsByTagId")]
    assert join.relations["post"] == RelationSpec("hasOne", "post", "Post", ("postId",), KeySpec("id"))
    assert join.auth_rules == api.models["Post"].auth_rules  # the union of both sides' rules (Tag has none)
    assert api.models["Post"].relations["tags"] == RelationSpec(
        "manyToMany", "tags", "PostTags", ("id",), KeySpec("postId"), "byPost")
    assert api.models["Tag"].relations["posts"].target_key == KeySpec("tagId")
    assert "tags(filter: ModelPostTagsFilterInput, sortDirection: ModelSortDirection, limit: Int, " \
           "nextToken: String): ModelPostTagsConnection" in sdl_block(api.sdl, "type Post")
    assert api.root("Query", "listPostTags").kind == "list"
    assert api.root("Query", "postTagsByTagId").index == "byTag"


@pytest.mark.parametrize("sdl,message", [
    ('type A @model { id: ID! bs: [B] @manyToMany(relationName: "AB") } type B @model { id: ID! }',
     "@manyToMany relation 'AB' must be used in exactly two locations."),
    ('type A @model { id: ID! b: B @manyToMany(relationName: "AB") } type B @model { id: ID! }',
     "@manyToMany must be used with a list."),
])
def test_many_to_many_mistakes(sdl: str, message: str) -> None:
    from emulator.transform import SchemaError

    with pytest.raises(SchemaError, match=message):
        transform(sdl)


KEYED = """
type Order @model { customerId: ID! @primaryKey(sortKeyFields: ["createdAt"]) createdAt: AWSDateTime! total: Float }
type Item @model {
  sku: String! @primaryKey(sortKeyFields: ["warehouse", "bin"]) warehouse: String! bin: Int! parts: [Part] @hasMany
}
type Part @model { id: ID! name: String }
type Project @model { id: ID! team: Team @hasOne }
type Team @model { id: ID! name: String! project: Project @belongsTo }
type Score @model { game: String! @primaryKey(sortKeyFields: ["points"]) points: Int! }
"""


def test_primary_key_shapes_schema_and_metadata() -> None:
    api = transform(KEYED)
    order = api.models["Order"]
    assert order.primary_key == KeySpec("customerId", ("createdAt",)) and "id" not in order.fields
    query = sdl_block(api.sdl, "type Query")
    assert "getOrder(customerId: ID!, createdAt: AWSDateTime!): Order" in query
    assert ("listOrders(customerId: ID, createdAt: ModelStringKeyConditionInput, filter: ModelOrderFilterInput, "
            "limit: Int, nextToken: String, sortDirection: ModelSortDirection)") in query
    assert sdl_block(api.sdl, "input DeleteOrderInput").count("!") == 2
    condition = sdl_block(api.sdl, "input ModelOrderConditionInput")
    assert "customerId" not in condition and "createdAt" not in condition
    assert "id:" not in sdl_block(api.sdl, "input CreateOrderInput")
    item = api.models["Item"]
    assert item.primary_key.sort_attribute == "warehouse#bin" and item.key_types["warehouse#bin"] == "S"
    assert "warehouseBin: ModelItemPrimaryCompositeKeyConditionInput" in query
    assert "bin: Int" in sdl_block(api.sdl, "input ModelItemPrimaryCompositeKeyInput")
    assert api.models["Score"].key_types == {"game": "S", "points": "N"}
    assert "points: ModelIntKeyConditionInput" in query


def test_has_many_from_composite_key_and_has_one() -> None:
    api = transform(KEYED)
    parts = api.models["Item"].relations["parts"]
    assert parts.source_fields == ("sku", "warehouse", "bin")
    assert parts.target_key == KeySpec("itemPartsSku", ("itemPartsWarehouse", "itemPartsBin"))
    assert api.models["Part"].fields["itemPartsBin"].type_name == "Int"
    assert api.models["Project"].relations["team"] == RelationSpec(
        "hasOne", "team", "Team", ("projectTeamId",), KeySpec("id"))
    assert api.models["Team"].relations["project"].source_fields == ("teamProjectId",)
    assert "projectTeamId: ID" in sdl_block(api.sdl, "input CreateProjectInput")


def test_sandbox_with_user_pools_default_opens_models_to_api_key() -> None:
    sdl = """
      input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
      type Post @model { id: ID! title: String! @index(name: "byTitle") }
      type Query { hello: String }
    """
    api = transform(sdl, TransformOptions(default_auth="AMAZON_COGNITO_USER_POOLS", additional_auth=("API_KEY",)))
    assert api.sandbox
    assert "@aws_api_key" in sdl_block(api.sdl, "type Post")
    query = sdl_block(api.sdl, "type Query")
    assert "getPost(id: ID!): Post @aws_api_key" in query and "): ModelPostConnection @aws_api_key" in query
    assert "hello: String @aws_iam" in query  # Amplify's sandbox: custom operations get @aws_iam
    assert "input AMPLIFY" not in api.sdl


def test_v1_owner_only_subscriptions_require_owner() -> None:
    api = transform("type Note @model @auth(rules: [{allow: owner}]) { id: ID! text: String }",
                    TransformOptions(version="v1", default_auth="AMAZON_COGNITO_USER_POOLS"))
    assert "onCreateNote(owner: String!): Note" in sdl_block(api.sdl, "type Subscription")


def test_non_model_types_get_inputs_and_pass_through() -> None:
    sdl = """
      type Address { street: String city: String geo: Geo }
      type Geo { lat: Float lng: Float }
      enum Tone { WARM COLD }
      type Shop @model { id: ID! address: Address tones: [Tone] tone: Tone! }
      type Query { nearby(lat: Float!, radius: Int = 10): [Shop] }
    """
    api = transform(sdl)
    assert "address: AddressInput" in sdl_block(api.sdl, "input CreateShopInput")
    assert "geo: GeoInput" in sdl_block(api.sdl, "input AddressInput")
    assert "tones: ModelToneListInput" in sdl_block(api.sdl, "input ModelShopFilterInput")
    assert "tone: ModelToneInput" in sdl_block(api.sdl, "input ModelShopFilterInput")
    assert "contains: Tone" in sdl_block(api.sdl, "input ModelToneListInput")
    assert "nearby(lat: Float!, radius: Int = 10): [Shop]" in sdl_block(api.sdl, "type Query")
    assert api.root("Query", "nearby").kind == "custom"
    assert not api.models["Shop"].fields["address"].is_scalar


def test_schema_details_kept_from_the_input() -> None:
    sdl = """
      interface Node { id: ID! }
      type Post implements Node @model @aws_cognito_user_pools {
        id: ID!
        title: String @deprecated(reason: "use name")
        blog: Blog @belongsTo
      }
      type Blog @model { id: ID! posts: [Post] @hasMany }
      union Result = Post | Blog
    """
    api = transform(sdl, TransformOptions(additional_auth=("AMAZON_COGNITO_USER_POOLS",)))
    post = sdl_block(api.sdl, "type Post")
    assert post.startswith("type Post implements Node @aws_cognito_user_pools")
    assert '@deprecated(reason: "use name")' in post
    assert "union Result = Post | Blog" in api.sdl
    # Amplify also lists an implicit hasMany's foreign key in the parent's subscription filter
    assert "blogPostsId: ModelSubscriptionIDInput" in sdl_block(api.sdl, "input ModelSubscriptionBlogFilterInput")


def test_v1_connection_forms() -> None:
    api = transform("""
      type Blog @model { id: ID! posts: [Post] @connection(name: "BP") }
      type Post @model { id: ID! createdAt: AWSDateTime blog: Blog @connection(name: "BP", sortField: "createdAt") }
      type Solo @model { id: ID! items: [Item] @connection owner: Item @connection }
      type Item @model { id: ID! }
    """, TransformOptions(version="v1"))
    assert api.models["Blog"].relations["posts"].target_key == KeySpec("postBlogId", ("createdAt",))
    assert api.models["Post"].index("gsi-BP").key == KeySpec("postBlogId", ("createdAt",))
    assert "posts(createdAt: ModelStringKeyConditionInput," in sdl_block(api.sdl, "type Blog")
    solo = api.models["Solo"]
    assert solo.relations["items"] == RelationSpec(
        "hasMany", "items", "Item", ("id",), KeySpec("soloItemsId"), "gsi-Solo.items")
    assert solo.relations["owner"] == RelationSpec("hasOne", "owner", "Item", ("soloOwnerId",), KeySpec("id"))
    assert "soloItemsId: ID" in sdl_block(api.sdl, "input CreateItemInput")
    assert "soloItemsId" not in sdl_block(api.sdl, "type Item")  # v1: the key lives only in the inputs
    assert api.models["Item"].key_types["soloItemsId"] == "S"


def test_options_from_settings_and_feature_flags() -> None:
    from emulator.settings import AuthSettings, Settings

    settings = Settings(transformer="v1", auth=AuthSettings(default="AMAZON_COGNITO_USER_POOLS", additional=("API_KEY",)),
                        extra={"amplify": {"feature_flags": {"improvepluralization": True}}})
    options = TransformOptions.from_settings(settings)
    assert (options.version, options.default_auth, options.additional_auth) == ("v1", "AMAZON_COGNITO_USER_POOLS",
                                                                                 ("API_KEY",))
    assert options.improve_pluralization is True
    api = transform("type Inventory @model { id: ID! }", options)
    assert api.root("Query", "listInventories") is not None
    flagged = TransformOptions().with_feature_flags({"enableAutoIndexQueryNames": False})
    assert transform('type A @model { id: ID! b: String @index(name: "byB") }', flagged).models["A"].indexes[0] \
        .query_field is None


def test_non_id_typed_id_without_key_directive() -> None:
    """Amplify keeps ``getX(id: ID!)``/``DeleteXInput { id: ID! }`` and requires a non-ID ``id`` on create."""
    api = transform("type Task @model { id: Int! title: String! }")
    assert "getTask(id: ID!): Task" in sdl_block(api.sdl, "type Query")
    assert "id: ID!" in sdl_block(api.sdl, "input DeleteTaskInput")
    assert "id: Int!" in sdl_block(api.sdl, "input CreateTaskInput")
    assert "id: ModelIntInput" in sdl_block(api.sdl, "input ModelTaskConditionInput")


def test_v1_legacy_queries_and_mutations_rule_arguments() -> None:
    api = transform("type Note @model @auth(rules: [{allow: owner, mutations: [create]}, {allow: private, queries: null}])"
                    " { id: ID! }", TransformOptions(version="v1", default_auth="AMAZON_COGNITO_USER_POOLS"))
    owner, private = api.models["Note"].auth_rules
    assert owner.operations == ("create", *READ)
    assert private.operations == ("create", "update", "delete")
