"""Admin roles give IAM access to every node, so Amplify adds @aws_iam (and the default directive)."""

from graphql import parse

from emulator.transform import TransformOptions, transform

SCHEMA = "type Note @model @auth(rules: [{ allow: owner }]) { id: ID! content: String! }"


def directives_of(sdl: str, type_name: str, field: str | None = None) -> set[str]:
    for definition in parse(sdl).definitions:
        if getattr(definition, "name", None) and definition.name.value == type_name:  # type: ignore[attr-defined]
            node = definition
            if field is not None:
                node = next(f for f in definition.fields if f.name.value == field)  # type: ignore[attr-defined]
            return {d.name.value for d in node.directives or ()}
    raise AssertionError(f"{type_name} not in schema")


def test_without_admin_roles_owner_models_are_user_pools_only() -> None:
    api = transform(SCHEMA, TransformOptions(default_auth="AMAZON_COGNITO_USER_POOLS", additional_auth=("AWS_IAM",)))
    assert directives_of(api.sdl, "Note") == set()
    assert directives_of(api.sdl, "Mutation", "createNote") == set()


def test_admin_roles_add_iam_and_the_default_directive_everywhere() -> None:
    options = TransformOptions(default_auth="AMAZON_COGNITO_USER_POOLS", additional_auth=("AWS_IAM",), iam_access=True)
    api = transform(SCHEMA, options)
    expected = {"aws_iam", "aws_cognito_user_pools"}
    assert directives_of(api.sdl, "Note") == expected
    assert directives_of(api.sdl, "Mutation", "createNote") == expected
    assert directives_of(api.sdl, "Query", "listNotes") == expected
    assert directives_of(api.sdl, "ModelNoteConnection") == expected
