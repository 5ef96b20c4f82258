"""A Gen 2 project as the lowest settings layer, as ``emulator.amplify.merge`` does for Gen 1.

The SDL Amplify's ``transform()`` produced is written to ``<data dir>/gen2/schema.graphql`` (only
when it changed) and served by the same v2 transform as a Gen 1 schema; the auth modes come from
``emulator.gen2.auth``, with every key the config file names taking precedence. The project
itself is kept in ``settings.extra["gen2"]`` for the client config, hot reload and the runners.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from pathlib import Path

from emulator.amplify.merge import declared_auth_keys, merge_auth
from emulator.gen2.auth import auth_settings, gen2_auth
from emulator.gen2.introspection import ModelIntrospection
from emulator.gen2.model import Gen2Project
from emulator.gen2.project import Gen2ProjectError, find_gen2_root
from emulator.gen2.reader import read_project
from emulator.settings import IamCredential, IamSettings, Settings

GEN2_DIR = "gen2"
SCHEMA_FILE = "schema.graphql"
INTROSPECTION_FILE = "model-introspection.json"
_UNSERVED_DIRECTIVES = {
    "conversation": "AI conversation routes (a.conversation) call Amazon Bedrock",
    "generation": "AI generation routes (a.generation) call Amazon Bedrock",
    "sql": "SQL data sources (a.sql, a.handler.inlineSql) need the project's database",
}
_log = logging.getLogger("emulator.gen2")


def gen2_project(settings: Settings) -> Gen2Project | None:
    """The Gen 2 project these settings serve, if any."""
    project = settings.extra.get("gen2")
    return project if isinstance(project, Gen2Project) else None


def gen2_root_for(path: Path | None, schema_configured: bool) -> Path | None:
    """The project a ``serve``/``token``/``export`` invocation means.

    With ``PATH``: that folder when it is a project root (or ``amplify/``, ``amplify/data/``, the
    data resource itself). Without: the current folder or the nearest folder above it, unless
    the config names a schema.
    """
    if path is None:
        return None if schema_configured else find_gen2_root(Path.cwd())
    resolved = path.resolve()
    root = find_gen2_root(resolved)
    if root is None or not (resolved == root or resolved.is_relative_to(root / "amplify")):
        return None
    return root


def refuse_unserved(project: Gen2Project) -> None:
    """AI routes and SQL schemas cannot be served locally: stop with the reason, not a transform error."""
    engines = sorted({e for e in project.database_engines if e != "dynamodb"})
    if engines:
        raise Gen2ProjectError(
            f"{project.data_resource}: a.sql schemas ({', '.join(engines)}) are not served by the emulator: "
            "it serves DynamoDB models only"
        )
    for name, reason in _UNSERVED_DIRECTIVES.items():
        if re.search(rf"@{name}\b", project.sdl):
            raise Gen2ProjectError(f"{project.data_resource}: @{name} is not served by the emulator: {reason}")


def _write_if_changed(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")


def write_artifacts(project: Gen2Project, data_dir: Path) -> Path:
    """The SDL (and model introspection, when read) in ``<data dir>/gen2/``; returns the SDL's path."""
    folder = data_dir / GEN2_DIR
    schema = folder / SCHEMA_FILE
    _write_if_changed(schema, project.sdl.rstrip("\n") + "\n")
    if project.model_introspection is not None:
        _write_if_changed(folder / INTROSPECTION_FILE, json.dumps(project.model_introspection, indent=2) + "\n")
    return schema


def function_credentials(project: Gen2Project, iam: IamSettings, data_dir: Path) -> tuple[IamCredential, ...]:
    """One key pair per function of the project, acting as its own role, granted the root types of its
    ``allow.resource(fn).to([...])`` (none without)."""
    from emulator.auth.generated import function_credential
    from emulator.auth.iam import account_of

    account = account_of(iam.auth_role_arn) or "123456789012"
    return tuple(
        function_credential(data_dir, name, f"arn:aws:iam::{account}:role/amplify-{name}-lambda",
                            project.granted_root_types(name))
        for name in project.functions
    )


def apply_gen2(settings: Settings, project: Gen2Project, data_dir: Path) -> Settings:
    """``settings`` (config file applied) on top of the project."""
    from emulator.auth.generated import load_generated

    refuse_unserved(project)
    modes = gen2_auth(project)
    generated_key = str(load_generated(data_dir)["api_key"]) if modes.api_key_expires_in_days is not None else None
    auth = merge_auth(auth_settings(modes, generated_key), settings.auth, declared_auth_keys(settings.config_file))
    if "AWS_LAMBDA" in auth.modes and not auth.lambda_.handler:
        if modes.lambda_function not in project.functions:
            raise Gen2ProjectError(
                f"{project.data_resource}: lambdaAuthorizationMode uses function {modes.lambda_function!r}, which "
                "the project does not define; add [auth.lambda] handler to appsync-emulator.toml")
        auth = replace(auth, lambda_=replace(auth.lambda_, handler=modes.lambda_function))  # run by its runner
    if auth.lambda_.search_path is None:
        auth = replace(auth, lambda_=replace(auth.lambda_, search_path=project.root))
    auth = replace(auth, iam=replace(auth.iam, function_credentials=function_credentials(project, auth.iam, data_dir)))
    return replace(
        settings,
        schema=write_artifacts(project, data_dir),
        transformer="v2",
        auth=auth,
        extra={**settings.extra, "gen2": project, "gen2_introspection": ModelIntrospection(project)},
    )


def resolve_gen2_project(
    settings: Settings, path: Path | None, data_dir: Path, *, introspection: bool = False
) -> tuple[Settings, bool]:
    """``settings`` with the Gen 2 project applied, and whether there was one."""
    root = gen2_root_for(path, settings.schema is not None)
    if root is None:
        return settings, False
    project = read_project(root, settings.gen2_loader, introspection=introspection)
    if project.model_introspection_error:
        _log.warning("%s: no model introspection for amplify_outputs.json: %s", root, project.model_introspection_error)
    _log.info(
        "Amplify Gen 2 project %s: %s read in %s ms (%s loader)",
        root, project.data_resource.relative_to(root), project.timings_ms.get("wallMs", "?"), project.loader,
    )
    return apply_gen2(settings, project, data_dir), True
