"""Fields the schema declares but the emulator has no local resolver for, and why.

Amplify attaches these resolvers to things the emulator does not run (yet): an HTTP endpoint (``@http``), AI services (``@predictions``), or a resolver
written outside the schema (a custom field of Query/Mutation/Subscription gets its resolver from
the project's ``resolvers/`` folder or a custom stack). Saying so at start, and answering such a field with an error naming the reason,
replaces a silent ``null``.
"""

from __future__ import annotations

from emulator.transform.parse import ROOT_TYPES, FieldDef, ObjectDef, SourceSchema

_CUSTOM = ("a custom field with no resolver declared: the emulator runs the resolvers a project declares "
           "(an AWS::AppSync::Resolver in stacks/CustomResources.json, a.handler.custom, or [resolvers] in the config)")


def _reason(obj: ObjectDef, source_field: FieldDef) -> str | None:
    if source_field.directive("function") is not None:
        return None  # served by the Lambda function runners (emulator.resolvers.functions)
    http = source_field.directive("http")
    if http is not None:
        return f"@http({http.args.get('method') or 'GET'} {http.args.get('url')}): HTTP resolvers are not run by the emulator"
    if source_field.directive("predictions") is not None:
        return "@predictions: AI service resolvers are not run by the emulator"
    if obj.name in ("Query", "Mutation"):
        return _CUSTOM
    if obj.name == "Subscription" and source_field.directive("aws_subscribe") is None:
        return _CUSTOM
    return None


def unresolved_fields(schema: SourceSchema) -> dict[tuple[str, str], str]:
    """``(parent type, field) -> reason`` for every field no local resolver serves."""
    found: dict[tuple[str, str], str] = {}
    for obj in schema.objects.values():
        for source_field in obj.fields:
            reason = _reason(obj, source_field)
            if reason is not None:
                found[(obj.name, source_field.name)] = reason
    return {key: found[key] for key in sorted(found, key=lambda k: (k[0] not in ROOT_TYPES, k))}
