"""graphql-core's errors reworded as AppSync (graphql-java) words them."""

from graphql import build_schema, graphql_sync, parse, validate

from emulator.errors import AppSyncError
from emulator.graphql_errors import execution_error, validation_error

SCHEMA = build_schema("type Query { post(id: ID!): Post } type Post { id: ID! title: String! }")


def validation_messages(query: str) -> list[str]:
    document = parse(query)
    return [validation_error(e, document)["message"] for e in validate(SCHEMA, document)]


def test_validation_messages_follow_graphql_java() -> None:
    assert validation_messages("{ post(id: 1) { nope } }") == [
        "Validation error of type FieldUndefined: Field 'nope' in type 'Post' is undefined @ 'post/nope'"
    ]
    assert validation_messages("{ post { id } }") == [
        "Validation error of type MissingFieldArgument: Missing field argument id @ 'post'"
    ]
    assert validation_messages('{ post(id: 1, x: 2) { id } }') == [
        "Validation error of type UnknownArgument: Unknown field argument x @ 'post'"
    ]
    assert validation_messages("{ post(id: 1) }") == [
        "Validation error of type SubSelectionRequired: Sub selection required for type Post of field post @ 'post'"
    ]


def test_null_in_non_null_field_is_worded_like_appsync() -> None:
    result = graphql_sync(SCHEMA, '{ post(id: "1") { title } }', root_value={"post": {"title": None}})
    (error,) = result.errors or []
    assert execution_error(error, SCHEMA) == {
        "path": ["post", "title"],
        "locations": None,
        "message": "Cannot return null for non-nullable type: 'String' within parent 'Post' (/post/title)",
    }


def test_resolver_errors_keep_error_type_data_and_info() -> None:
    def fail(*_: object) -> None:
        raise AppSyncError("The conditional request failed", "DynamoDB:ConditionalCheckFailedException", {"a": 1}, {"b": 2})

    schema = build_schema("type Query { f: String }")
    schema.query_type.fields["f"].resolve = fail  # type: ignore[union-attr]
    (error,) = graphql_sync(schema, "{ f }").errors or []
    shaped = execution_error(error, schema)
    assert shaped["errorType"] == "DynamoDB:ConditionalCheckFailedException"
    assert shaped["data"] == {"a": 1} and shaped["errorInfo"] == {"b": 2}
    assert shaped["path"] == ["f"] and shaped["locations"] == [{"line": 1, "column": 3, "sourceName": None}]


def test_a_bug_never_leaks_a_traceback() -> None:
    def crash(*_: object) -> None:
        raise KeyError("internal detail")

    schema = build_schema("type Query { f: String }")
    schema.query_type.fields["f"].resolve = crash  # type: ignore[union-attr]
    (error,) = graphql_sync(schema, "{ f }").errors or []
    shaped = execution_error(error, schema)
    assert shaped["errorType"] == "InternalFailure" and "internal detail" not in shaped["message"]


def test_variable_errors_follow_graphql_java() -> None:
    from graphql import graphql_sync as run

    from emulator.graphql_errors import variable_error

    schema = build_schema("input In { name: String! } type Query { f(input: In!, n: Int): String }")
    missing = run(schema, "query($input: In!) { f(input: $input) }", variable_values={}).errors or []
    assert variable_error(missing[0])["message"] == "Variable 'input' has coerced Null value for NonNull type 'In!'"
    inner = run(schema, "query($input: In!) { f(input: $input) }", variable_values={"input": {}}).errors or []
    assert variable_error(inner[0])["message"].startswith("Variable 'name' has coerced Null value for NonNull type")
    unknown = run(schema, "query($input: In!) { f(input: $input) }", variable_values={"input": {"name": "a", "zz": 1}}).errors or []
    assert variable_error(unknown[0])["message"] == (
        "The variables input contains a field name 'zz' that is not defined for input object type 'In' "
    )
    wrong = run(schema, 'query($n: Int) { f(input: {name: "x"}, n: $n) }', variable_values={"n": "x"}).errors or []
    assert variable_error(wrong[0])["message"].startswith("Variable 'n' has an invalid value")


def test_literal_of_the_wrong_type_is_a_wrong_type_validation_error() -> None:
    from emulator.scalars import bind_scalars
    from emulator.sdl import build_appsync_schema

    schema = build_appsync_schema("input In { email: AWSEmail } type Query { f(input: In, n: Int): String }")
    bind_scalars(schema)
    document = parse('{ f(input: {email: "nope"}, n: "y") }')
    messages = [validation_error(e, document, schema)["message"] for e in validate(schema, document)]
    assert messages == [
        "Validation error of type WrongType: argument 'input.email' with value 'StringValue{value='nope'}'"
        " is not a valid 'AWSEmail' @ 'f'",
        "Validation error of type WrongType: argument 'n' with value 'StringValue{value='y'}' is not a valid 'Int' @ 'f'",
    ]
