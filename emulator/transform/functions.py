"""``@function``: the Lambda pipeline of a field, and Amplify's checks of ``invocationType: Event``.

Several ``@function`` directives on one field run in the order written, each seeing the previous
one's result (``prev.result``). ``invocationType: Event`` is allowed on Query and Mutation
fields only, and when the last directive of a field is an Event invocation the field must return
``EventInvocationResponse`` (``type EventInvocationResponse { success: Boolean! }``); the
messages are Amplify's.
"""

from __future__ import annotations

from graphql import DirectiveNode, FieldDefinitionNode, print_ast, value_from_ast_untyped

from emulator.apimodel import FunctionStep
from emulator.transform.errors import schema_error
from emulator.transform.parse import FieldDef, ObjectDef, SourceSchema

EVENT_RESPONSE = "EventInvocationResponse"
EVENT_RESPONSE_SHAPE = "type EventInvocationResponse { success: Boolean! }"


def function_pipelines(schema: SourceSchema) -> dict[tuple[str, str], tuple[FunctionStep, ...]]:
    """Each field's ``@function`` directives, in order, checked as Amplify checks them."""
    pipelines: dict[tuple[str, str], tuple[FunctionStep, ...]] = {}
    for obj in schema.objects.values():
        for source_field in obj.fields:
            uses = source_field.directives_named("function")
            steps = tuple(FunctionStep(str(d.args["name"]), d.args.get("invocationType") or "RequestResponse")
                          for d in uses)
            if not steps:
                continue
            for use, step in zip(uses, steps, strict=True):
                if step.invocation_type == "Event" and obj.name not in ("Query", "Mutation"):
                    raise schema_error("@function definition with 'invocationType: Event' must be defined on "
                                       "Query or Mutation field.", use.node)
            if steps[-1].invocation_type == "Event":
                _check_event_response(schema, obj, source_field)
            pipelines[(obj.name, source_field.name)] = steps
    return pipelines


def _check_event_response(schema: SourceSchema, obj: ObjectDef, source_field: FieldDef) -> None:
    node = source_field.node
    if print_ast(node.type) != EVENT_RESPONSE:
        raise schema_error(
            f"Invalid return type {print_ast(node.type)} for {_describe(source_field.name, node)}.\n"
            f"Use return type '{EVENT_RESPONSE}' and, if necessary, add '{EVENT_RESPONSE_SHAPE}' to your model schema.",
            node,
        )
    response = schema.objects.get(EVENT_RESPONSE)
    if response is None:
        raise schema_error(f"Missing '{EVENT_RESPONSE}' definition. Add this type definition to your schema:\n"
                           f"{EVENT_RESPONSE_SHAPE}", node)
    fields = response.fields
    if len(fields) != 1 or fields[0].name != "success" or print_ast(fields[0].node.type) != "Boolean!":
        raise schema_error(f"Invalid '{EVENT_RESPONSE}' definition. Update the type definition in your schema to:\n"
                           f"{EVENT_RESPONSE_SHAPE}", response.node)


def _describe(name: str, node: FieldDefinitionNode) -> str:
    """``field(args): Type @directive(arg: value)``, as Amplify describes the field in its messages."""
    args = ", ".join(f"{a.name.value}: {print_ast(a.type)}" for a in node.arguments or ())
    directives = " ".join(_directive(d) for d in node.directives or ())
    return f"{name}{f'({args})' if args else ''}: {print_ast(node.type)} {directives}"


def _directive(node: DirectiveNode) -> str:
    args = ", ".join(f"{a.name.value}: {value_from_ast_untyped(a.value)}" for a in node.arguments or ())
    return f"@{node.name.value}{f'({args})' if args else ''}"
