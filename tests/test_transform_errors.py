"""Schema mistakes give one ``SchemaError``: Amplify's wording, with line and column."""

from __future__ import annotations

import pytest

from emulator.transform import SchemaError, TransformOptions, detect_version, transform

USER_POOLS = TransformOptions(additional_auth=("AMAZON_COGNITO_USER_POOLS",))


def error_of(sdl: str, options: TransformOptions = USER_POOLS) -> SchemaError:
    with pytest.raises(SchemaError) as caught:
        transform(sdl, options)
    return caught.value


@pytest.mark.parametrize("sdl,options,message,line,column", [
    pytest.param("type Post @model {\n  id: ID!\n  title: String!\n", USER_POOLS,
                 "Syntax Error: Expected Name, found <EOF>.", 4, 1, id="unparsable"),
    pytest.param('type Post @model {\n  id: ID!\n  title: String! @index(name: "byTitle", sortKey: ["x"])\n}',
                 USER_POOLS, 'Schema validation failed. Unknown argument "sortKey" on directive "@index".', 3, 42,
                 id="unknown-directive-argument"),
    pytest.param('type Post @model {\n  id: ID!\n  title: String! @index(name: "byTitle", sortKeyFields: ["nope"])\n}',
                 USER_POOLS, "Can't find field 'nope' in Post, but it was specified in index 'byTitle'.", 3, 42,
                 id="index-sort-key-missing-field"),
    pytest.param("type Post @model {\n  id: ID!\n  comments: [Comment] @hasMany\n}", USER_POOLS,
                 'Schema validation failed. Unknown type "Comment".', 3, 14, id="relation-to-undefined-type"),
    pytest.param("type Comment { id: ID! }\ntype Post @model {\n  id: ID!\n  comments: [Comment] @hasMany\n}",
                 USER_POOLS, "Object type Comment must be annotated with @model.", 4, 3, id="relation-to-non-model"),
    pytest.param('type Post @model @key(name: "byTitle", fields: ["title"]) {\n  id: ID!\n  title: String!\n}',
                 TransformOptions(version="v2"),
                 'Your GraphQL Schema is using "@key" directive from an older version of the GraphQL Transformer. '
                 "Visit https://docs.amplify.aws/cli/migration/transformer-migration/ to learn how to migrate your "
                 "GraphQL schema.", 1, 18, id="v1-syntax-forced-v2"),
    pytest.param("type Post @model {\n  id: ID! @foo\n}", USER_POOLS,
                 'Schema validation failed. Unknown directive "@foo".', 2, 11, id="unknown-directive"),
    pytest.param("type Post @model @auth(rules: [{allow: custom}]) {\n  id: ID!\n}", USER_POOLS,
                 "@auth directive with 'function' provider found, but the project has no Lambda authentication "
                 "provider configured.", 1, 18, id="provider-not-configured"),
    pytest.param('type Post @model {\n  id: ID!\n  cs: [Comment] @hasMany(indexName: "nope", fields: ["id"])\n}\n'
                 "type Comment @model { id: ID! postID: ID! }", USER_POOLS,
                 "Index nope does not exist for model Comment", 3, 26, id="has-many-unknown-index"),
    pytest.param("type Post @model { id: ID! blog: Blog @belongsTo }\ntype Blog @model { id: ID! }", USER_POOLS,
                 "Blog must have a relationship with Post in order to use @belongsTo.", 1, 39,
                 id="belongs-to-without-counterpart"),
    pytest.param('type Post @model { id: ID! n: Int @default(value: "abc") }', USER_POOLS,
                 'Default value "abc" is not a valid Int.', 1, 35, id="default-invalid"),
    pytest.param('type Post @model { id: ID! t: String @index(name: "x") }', TransformOptions(version="v1"),
                 'Schema validation failed. Unknown directive "@index".', 1, 38, id="v2-syntax-forced-v1"),
    pytest.param('type Post @model @key(fields: ["title"]) @key(fields: ["id"]) { id: ID! title: String! }',
                 TransformOptions(version="v1"), "You may only supply one primary @key on type 'Post'.", 1, 42,
                 id="v1-two-primary-keys"),
    pytest.param('type Post @model @key(name: "k", fields: ["nope"]) { id: ID! }', TransformOptions(version="v1"),
                 "You cannot specify a nonexistent field 'nope' in @key 'k' on type 'Post'.", 1, 34,
                 id="v1-key-missing-field"),
    pytest.param("type Post @model { id: ID! a: String @primaryKey }", USER_POOLS,
                 "The primary key on type 'Post' must reference non-null fields.", 1, 38,
                 id="primary-key-nullable"),
    pytest.param("type Post @model { id: ID! on: Boolean! @primaryKey }", USER_POOLS,
                 "Boolean values cannot be used as sort keys.", 1, 41, id="boolean-key"),
    pytest.param("type Post @model @auth(rules: [{allow: public}, {allow: owner}]) {\n  id: ID!\n"
                 "  secret: String! @auth(rules: [{allow: owner}])\n}",
                 TransformOptions(additional_auth=("AMAZON_COGNITO_USER_POOLS",)),
                 "When using field-level authorization rules you need to add rules to all of the model's required "
                 'fields with at least read permissions. Found model "Post" with required fields ["secret"] missing '
                 "field-level authorization rules.", 1, 1, id="field-auth-on-required-field"),
])
def test_schema_error(sdl: str, options: TransformOptions, message: str, line: int, column: int) -> None:
    error = error_of(sdl, options)
    assert error.message.startswith(message)
    assert (error.line, error.column) == (line, column)
    assert str(error).endswith(f"(line {line}, column {column})")


def test_detect_version() -> None:
    assert detect_version('type A @model @key(fields: ["id"]) { id: ID! }') == "v1"
    assert detect_version("type A @model { id: ID! b: B @connection }  type B @model { id: ID! }") == "v1"
    assert detect_version('type A @model { id: ID! t: String @index(name: "byT") }') == "v2"
    assert detect_version("type A @model { id: ID! }") == "v2"  # undecidable: v2


def test_detection_drives_the_transform() -> None:
    api = transform('type Post @model @key(name: "byTitle", fields: ["title"]) { id: ID! title: String! }')
    assert api.version == "v1"
    assert api.root("Query", "listPosts") is not None
