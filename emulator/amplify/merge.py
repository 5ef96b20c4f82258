"""The project as the lowest settings layer: the config file overrides it key by key, flags override both.

The project supplies the schema, the transformer version and the auth modes; the config file's
``[auth]`` keys win only where the file really names them (``declared_auth_keys``), so an
unnamed key keeps the project's value instead of the config's default.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from emulator.amplify.files import API_DIR, AmplifyProjectError
from emulator.amplify.project import AmplifyApi, find_project_root, load_amplify_api
from emulator.amplify.resolver_config import merge_datastore
from emulator.settings import AuthSettings, Settings

_log = logging.getLogger("emulator.amplify")

#: TOML key -> AuthSettings / sub-settings field, per table of the config's [auth].
_AUTH_TABLE_FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    "user_pools": ("user_pools", {k: k for k in ("user_pool_id", "app_client_id", "region", "jwks_file", "jwks_url")}),
    "oidc": ("oidc", {"issuer": "issuer", "client_id": "client_id", "jwks_file": "jwks_file",
                      "iat_ttl": "iat_ttl_seconds", "auth_ttl": "auth_ttl_seconds"}),
    "iam": ("iam", {k: k for k in ("region", "auth_role_arn", "unauth_role_arn", "admin_role_names", "credentials")}),
    "lambda": ("lambda_", {"handler": "handler"}),
}


def declared_auth_keys(config_file: Path | None) -> dict[str, set[str]]:
    """Which keys the config file's ``[auth]`` really names (``""`` for its top-level keys)."""
    if config_file is None:
        return {}
    raw = tomllib.loads(config_file.read_text(encoding="utf-8")).get("auth")
    if not isinstance(raw, dict):
        return {}
    declared: dict[str, set[str]] = {"": {k for k, v in raw.items() if not isinstance(v, dict)}}
    for key, value in raw.items():
        if isinstance(value, dict):
            declared[key] = set(value)
    return declared


def merge_auth(project: AuthSettings, config: AuthSettings, declared: Mapping[str, set[str]]) -> AuthSettings:
    """The project's auth with every key the config file names taken from the config."""
    merged = project
    top = declared.get("", set())
    if "default" in top:  # the config names the modes: it owns both lists
        merged = replace(merged, default=config.default, additional=config.additional)
    elif "additional" in top:
        merged = replace(merged, additional=config.additional)
    if "keys" in declared.get("api_key", set()):
        merged = replace(merged, api_keys=config.api_keys)
    for table, (attribute, fields) in _AUTH_TABLE_FIELDS.items():
        names = declared.get(table, set())
        if not names:
            continue
        changes = {fields[k]: getattr(getattr(config, attribute), fields[k]) for k in names if k in fields}
        if attribute == "lambda_":
            changes["search_path"] = config.lambda_.search_path
        merged = replace(merged, **{attribute: replace(getattr(merged, attribute), **changes)})
    return merged


def apply_project(settings: Settings, api: AmplifyApi, *, schema_from_cli: bool = True) -> Settings:
    """``settings`` (config file already applied) on top of what the project declares.

    The project supplies the schema (unless the config names one and the project was not given
    on the command line), the transformer version when the config names none, and the auth modes
    with every key the config file does not name.
    """
    declared = declared_auth_keys(settings.config_file)
    auth = merge_auth(api.auth, settings.auth, declared)
    if "AWS_LAMBDA" in auth.modes and not auth.lambda_.handler:
        if not api.lambda_function:
            raise AmplifyProjectError(
                f"{api.api_dir}: AWS_LAMBDA is enabled but the project names no authorizer function: add "
                "[auth.lambda] handler = \"<function name>\" (or \"file.js:handler\") to appsync-emulator.toml"
            )
        auth = replace(auth, lambda_=replace(auth.lambda_, handler=api.lambda_function))  # run as a project function
    if auth.lambda_.search_path is None:
        auth = replace(auth, lambda_=replace(auth.lambda_, search_path=api.project_root))
    schema = api.schema if schema_from_cli or settings.schema is None else settings.schema
    return replace(
        settings,
        schema=schema,
        transformer=settings.transformer or api.transformer,
        auth=auth,
        datastore=merge_datastore(api.datastore, settings.datastore, settings.config_file),
        extra={**settings.extra, "amplify": {"api": api.name, "api_dir": str(api.api_dir),
                                              "project_root": str(api.project_root),
                                              "feature_flags": dict(api.feature_flags)}},
    )


def resolve_project(settings: Settings, path: Path | None, api: str | None) -> tuple[Settings, bool]:
    """``settings`` with the Amplify project applied, and whether there was one.

    The project is ``path`` when that is a project root or API folder; with no path and no
    ``schema`` in the config, the current folder when it is a project root. ``--api`` without a
    project is a mistake worth saying.
    """
    candidate = path if path is not None else (Path.cwd() if settings.schema is None else None)
    if candidate is None or find_project_root(candidate) is None:
        if api is not None:
            where = candidate or settings.schema
            raise AmplifyProjectError(f"--api {api}: {where} is not an Amplify Gen1 project (no {API_DIR} folder)")
        return settings, False
    project = load_amplify_api(candidate, api)
    for warning in project.warnings:
        _log.warning("%s", warning)
    _log.info("Amplify project %s: serving API %r (%s)", project.project_root, project.name, project.schema)
    if project.user_pool_source is not None:
        pool = project.auth.user_pools
        _log.info("Amplify project user pool %s (app client %s) from %s",
                  pool.user_pool_id, pool.app_client_id, project.user_pool_source)
    return apply_project(settings, project, schema_from_cli=path is not None), True
