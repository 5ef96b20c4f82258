"""Gen 2 ``a.handler.custom`` handlers as the pipeline resolvers Amplify deploys them as.

Amplify's data construct turns each custom operation with ``a.handler.custom({ dataSource,
entry })`` (one handler, or a list of them) into an APPSYNC_JS pipeline resolver: one function per
handler, running the handler file as written on its data source (``NONE_DS`` by default,
``<Model>Table`` for ``a.ref('Model')``), and a pass-through resolver around them whose request
stashes the API id and environment name (``ctx.stash.awsAppsyncApiId``,
``ctx.stash.amplifyApiEnvironmentName``, which handlers use to name tables:
``Post-${awsAppsyncApiId}-${amplifyApiEnvironmentName}`` is the emulator's ``Post`` table) and whose
response is the last function's result.
"""

from __future__ import annotations

import json
from pathlib import Path

from emulator.gen2.model import CustomHandler, Gen2Project
from emulator.resolver_specs import (
    CustomResolverError,
    Handler,
    PipelineFunctionSpec,
    ResolverSpec,
    TemplateText,
)

PASS_THROUGH = """export function request(ctx) {{
  ctx.stash.awsAppsyncApiId = {api_id};
  ctx.stash.amplifyApiEnvironmentName = {env};
  return {{}};
}}

export function response(ctx) {{
  return ctx.prev.result;
}}
"""


def custom_handler_resolvers(project: Gen2Project, api_id: str, env: str) -> dict[tuple[str, str], ResolverSpec]:
    """The pipeline resolver of every custom handler of the project."""
    wrapper = TemplateText(PASS_THROUGH.format(api_id=json.dumps(api_id), env=json.dumps(env)), None,
                           "the pipeline resolver Amplify wraps custom handlers in")
    return {(h.type_name, h.field_name): _resolver(project, h, wrapper) for h in project.custom_handlers}


def _resolver(project: Gen2Project, handler: CustomHandler, wrapper: TemplateText) -> ResolverSpec:
    where = f"{handler.type_name}.{handler.field_name}"
    origin = f"{project.data_resource}: {where} (a.handler.custom)"
    functions = tuple(
        PipelineFunctionSpec(f"Fn_{handler.type_name}_{handler.field_name}_{index}", step.data_source,
                             Handler("APPSYNC_JS", code=_code(step.entry, origin)), f"{origin}, handler {index}")
        for index, step in enumerate(handler.steps, start=1)
    )
    return ResolverSpec(handler.type_name, handler.field_name, "PIPELINE", Handler("APPSYNC_JS", code=wrapper), origin,
                        functions=functions)


def _code(entry: Path, origin: str) -> TemplateText:
    try:
        return TemplateText(entry.read_text(encoding="utf-8"), entry, str(entry))
    except (OSError, UnicodeDecodeError) as exc:
        raise CustomResolverError(f"{origin}: cannot read the handler's entry {entry}: {exc}") from exc
