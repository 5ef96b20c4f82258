"""``@function`` in the transform: the pipeline metadata, and Amplify's checks of ``invocationType: Event``."""

from __future__ import annotations

import pytest

from emulator.apimodel import FunctionStep
from emulator.transform import SchemaError, transform

EVENT_RESPONSE = "type EventInvocationResponse { success: Boolean! }\n"


def test_each_fields_functions_are_kept_in_order_and_the_directive_leaves_the_schema() -> None:
    api = transform(
        'type Post @model { id: ID! title: String words: Int @function(name: "count-${env}") }\n'
        "type Query {\n"
        '  pipe(x: Int): Int @function(name: "a") @function(name: "b", region: "eu-west-1")\n'
        "  plain: String\n"
        "}\n"
    )
    assert api.functions == {
        ("Post", "words"): (FunctionStep("count-${env}"),),
        ("Query", "pipe"): (FunctionStep("a"), FunctionStep("b")),
    }
    assert "@function" not in api.sdl
    assert "words: Int" in api.sdl and "pipe(x: Int): Int" in api.sdl


def test_an_event_invocation_needs_event_invocation_response() -> None:
    api = transform(EVENT_RESPONSE + 'type Mutation { go: EventInvocationResponse @function(name: "f", invocationType: Event) }')
    assert api.functions[("Mutation", "go")] == (FunctionStep("f", "Event"),)
    with pytest.raises(SchemaError) as wrong_type:
        transform('type Mutation { go(msg: String): String @function(name: "f", invocationType: Event) }')
    assert str(wrong_type.value).startswith(
        "Invalid return type String for go(msg: String): String @function(name: f, invocationType: Event).\n"
        "Use return type 'EventInvocationResponse' and, if necessary, add "
        "'type EventInvocationResponse { success: Boolean! }' to your model schema.")


@pytest.mark.parametrize(("sdl", "message"), [
    (EVENT_RESPONSE + 'type Post @model { id: ID! n: EventInvocationResponse @function(name: "f", invocationType: Event) }',
     "@function definition with 'invocationType: Event' must be defined on Query or Mutation field."),
    ("type EventInvocationResponse { success: Boolean }\n"
     'type Mutation { go: EventInvocationResponse @function(name: "f", invocationType: Event) }',
     "Invalid 'EventInvocationResponse' definition. Update the type definition in your schema to:\n"
     "type EventInvocationResponse { success: Boolean! }"),
    ('type Mutation { go: EventInvocationResponse @function(name: "f", invocationType: Event) }',
     'Unknown type "EventInvocationResponse"'),
])
def test_event_invocation_mistakes_are_amplifys_errors(sdl: str, message: str) -> None:
    with pytest.raises(SchemaError) as failed:
        transform(sdl)
    assert message in str(failed.value)


def test_only_the_last_function_decides_the_return_type() -> None:
    api = transform('type Mutation { go: String @function(name: "e", invocationType: Event) @function(name: "r") }')
    assert api.functions[("Mutation", "go")] == (FunctionStep("e", "Event"), FunctionStep("r"))
