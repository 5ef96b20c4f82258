"""Amplify Gen1 projects: ``appsync-emulator serve .`` in a project root.

A Gen1 project keeps each GraphQL API under ``amplify/backend/api/<name>/``: the schema
(``schema.graphql`` or a ``schema/`` folder), the auth modes (``cli-inputs.json``; projects made
before CLI v7 keep them in ``backend-config.json`` under ``api.<name>.output.authConfig``),
``transform.conf.json`` and ``custom-roles.json`` (IAM admin roles). The transformer version
and its feature flags are project-wide, in ``amplify/cli.json``.

What is read here becomes the *lowest* layer of the settings: the TOML config file overrides
it key by key, and command-line flags override both (see ``apply_project``).
"""

from __future__ import annotations

import json
import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from emulator.settings import (
    AUTH_MODES,
    AuthSettings,
    ConfigError,
    IamSettings,
    OidcSettings,
    Settings,
)

API_DIR = Path("amplify") / "backend" / "api"
_log = logging.getLogger("emulator.amplify")


class AmplifyProjectError(ConfigError):
    """The Amplify project cannot be served as it is; the message says which file and what to do."""


@dataclass(frozen=True)
class AuthModeSpec:
    """One auth mode as the project declares it, in either file format."""

    mode: str
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_auth_ttl_ms: int = 0
    oidc_iat_ttl_ms: int = 0
    lambda_function: str | None = None


@dataclass(frozen=True)
class AmplifyApi:
    """One GraphQL API of a Gen1 project, ready to merge into ``Settings``."""

    name: str
    project_root: Path
    api_dir: Path
    schema: Path
    transformer: str | None  # "v1" | "v2" | None (undecided: the transform detects it)
    auth: AuthSettings
    feature_flags: Mapping[str, Any] = field(default_factory=dict)  # graphqltransformer.*, lower-cased
    warnings: tuple[str, ...] = ()
    lambda_function: str | None = None  # the project's (JavaScript) Lambda authorizer, for messages


# ---------------------------------------------------------------------------------------------
# Finding the project and the API


def find_project_root(path: Path) -> Path | None:
    """The project root when ``path`` is one, its ``amplify/backend/api`` or an API folder in it.

    Deeper paths (``…/api/<name>/schema``, a single ``.graphql`` file) stay plain schema paths.
    """
    path = path.resolve()
    if not path.is_dir():
        return None
    for candidate in (path, *path.parents):
        if (candidate / API_DIR).is_dir():
            api_root = candidate / API_DIR
            if candidate == path or (path.is_relative_to(api_root) and len(path.relative_to(api_root).parts) <= 1):
                return candidate
            return None
    return None


def graphql_api_names(project_root: Path) -> list[str]:
    """Names of the GraphQL (AppSync) APIs; REST APIs share the folder and are left out."""
    backend_config = _read_json(project_root / "amplify" / "backend" / "backend-config.json") or {}
    declared = backend_config.get("api", {}) if isinstance(backend_config.get("api"), dict) else {}
    names = []
    for folder in sorted((project_root / API_DIR).iterdir()):
        if not folder.is_dir():
            continue
        service = declared.get(folder.name, {}).get("service") if isinstance(declared.get(folder.name), dict) else None
        if service == "AppSync" or (service is None and _has_schema(folder)):
            names.append(folder.name)
    return names


def choose_api(project_root: Path, requested: str | None, within: Path | None = None) -> str:
    """The API to serve: ``--api NAME``, the folder the user pointed into, or the only one."""
    names = graphql_api_names(project_root)
    api_root = (project_root / API_DIR).resolve()
    if requested is None and within is not None and within.resolve().is_relative_to(api_root):
        relative = within.resolve().relative_to(api_root)
        if relative.parts:
            requested = relative.parts[0]
    if requested is not None:
        if requested not in names:
            listed = ", ".join(names) or "none"
            raise AmplifyProjectError(
                f"{project_root / API_DIR}: no GraphQL API named {requested!r} (GraphQL APIs found: {listed})"
            )
        return requested
    if not names:
        raise AmplifyProjectError(
            f"{project_root / API_DIR}: no GraphQL API found (expected <name>/schema.graphql or <name>/schema/)"
        )
    if len(names) > 1:
        raise AmplifyProjectError(
            f"{project_root / API_DIR}: this project has {len(names)} GraphQL APIs ({', '.join(names)}); "
            f"choose one with --api NAME, e.g. --api {names[0]}"
        )
    return names[0]


def load_amplify_api(path: Path, api: str | None = None) -> AmplifyApi:
    """Read the API at ``path`` (a project root, or a folder inside ``amplify/backend/api``)."""
    root = find_project_root(path)
    if root is None:
        raise AmplifyProjectError(f"{path}: not an Amplify Gen1 project (no {API_DIR} folder)")
    name = choose_api(root, api, within=path)
    api_dir = root / API_DIR / name
    warnings: list[str] = []
    flags = _feature_flags(root)
    specs, source = declared_auth_modes(root, name, api_dir)
    _add_transform_conf_warnings(api_dir, warnings)
    _add_resolver_warnings(api_dir, warnings)
    return AmplifyApi(
        name=name,
        project_root=root,
        api_dir=api_dir,
        schema=_schema_path(root, api_dir, warnings),
        transformer=_transformer_version(flags),
        auth=_auth_settings(specs, source, api_dir),
        feature_flags=flags,
        warnings=tuple(warnings),
        lambda_function=next((s.lambda_function for s in specs if s.mode == "AWS_LAMBDA"), None),
    )


# ---------------------------------------------------------------------------------------------
# Files


def _read_json(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AmplifyProjectError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise AmplifyProjectError(f"{path}: expected a JSON object")
    return value


def _has_schema(api_dir: Path) -> bool:
    return (api_dir / "schema.graphql").is_file() or (api_dir / "schema").is_dir()


def _schema_path(root: Path, api_dir: Path, warnings: list[str]) -> Path:
    single, folder = api_dir / "schema.graphql", api_dir / "schema"
    if single.is_file() and folder.is_dir():
        warnings.append(f"{api_dir}: both schema.graphql and schema/ exist; serving schema.graphql")
    if single.is_file():
        return single
    if folder.is_dir():
        return folder
    declared = (_service_configuration(api_dir) or {}).get("gqlSchemaPath")
    if isinstance(declared, str) and (root / declared).exists():
        return (root / declared).resolve()
    raise AmplifyProjectError(f"{api_dir}: no schema.graphql file or schema/ folder")


def _feature_flags(root: Path) -> dict[str, Any]:
    """``features.graphqltransformer`` of ``amplify/cli.json``; Amplify reads flag names case-insensitively."""
    path = root / "amplify" / "cli.json"
    document = _read_json(path) or {}
    features = {str(k).lower(): v for k, v in (document.get("features") or {}).items()}
    flags = features.get("graphqltransformer") or {}
    if not isinstance(flags, dict):
        raise AmplifyProjectError(f"{path}: features.graphqltransformer must be an object")
    return {str(k).lower(): v for k, v in flags.items()}


def _transformer_version(flags: Mapping[str, Any]) -> str | None:
    """The CLI's rule: ``transformerversion``, where the pipelined-transformer flag means 2."""
    version = flags.get("transformerversion")
    if flags.get("useexperimentalpipelinedtransformer") is True and version in (None, 1):
        version = 2
    return {1: "v1", 2: "v2"}.get(version) if isinstance(version, int) else None


def _add_transform_conf_warnings(api_dir: Path, warnings: list[str]) -> None:
    path = api_dir / "transform.conf.json"
    conf = _read_json(path) or {}
    if conf.get("transformers"):
        warnings.append(f"{path}: custom transformers {conf['transformers']} are not run by the emulator")
    resolver_config = conf.get("ResolverConfig") or {}
    if isinstance(resolver_config, dict) and resolver_config:
        warnings.append(
            f"{path}: conflict detection (DataStore, ResolverConfig) is configured; "
            "the emulator serves the API without it"
        )


def _add_resolver_warnings(api_dir: Path, warnings: list[str]) -> None:
    custom = sorted(p.name for p in (api_dir / "resolvers").glob("*.vtl")) if (api_dir / "resolvers").is_dir() else []
    if custom:
        warnings.append(f"{api_dir / 'resolvers'}: custom resolver templates are not applied ({', '.join(custom)})")


# ---------------------------------------------------------------------------------------------
# Auth


def _service_configuration(api_dir: Path) -> dict[str, Any] | None:
    document = _read_json(api_dir / "cli-inputs.json")
    if document is None:
        return None
    config = document.get("serviceConfiguration")
    if not isinstance(config, dict):
        raise AmplifyProjectError(f"{api_dir / 'cli-inputs.json'}: missing the serviceConfiguration object")
    return config


def _ttl_ms(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _from_cli_inputs(entry: Mapping[str, Any]) -> AuthModeSpec:
    return AuthModeSpec(
        mode=str(entry.get("mode", "")),
        oidc_issuer=entry.get("openIDIssuerURL"),
        oidc_client_id=entry.get("openIDClientID"),
        oidc_auth_ttl_ms=_ttl_ms(entry.get("openIDAuthTTL")),
        oidc_iat_ttl_ms=_ttl_ms(entry.get("openIDIatTTL")),
        lambda_function=entry.get("lambdaFunction"),
    )


def _from_backend_config(entry: Mapping[str, Any]) -> AuthModeSpec:
    oidc = entry.get("openIDConnectConfig") or {}
    lam = entry.get("lambdaAuthorizerConfig") or {}
    return AuthModeSpec(
        mode=str(entry.get("authenticationType", "")),
        oidc_issuer=oidc.get("issuerUrl"),
        oidc_client_id=oidc.get("clientId"),
        oidc_auth_ttl_ms=_ttl_ms(oidc.get("authTTL")),
        oidc_iat_ttl_ms=_ttl_ms(oidc.get("iatTTL")),
        lambda_function=lam.get("lambdaFunction"),
    )


def declared_auth_modes(root: Path, name: str, api_dir: Path) -> tuple[list[AuthModeSpec], Path]:
    """The default mode first, then the additional ones, and the file they came from."""
    config = _service_configuration(api_dir)
    if config is not None and isinstance(config.get("defaultAuthType"), dict):
        specs = [_from_cli_inputs(config["defaultAuthType"])]
        specs += [_from_cli_inputs(e) for e in config.get("additionalAuthTypes") or [] if isinstance(e, dict)]
        return specs, api_dir / "cli-inputs.json"
    backend_path = root / "amplify" / "backend" / "backend-config.json"
    backend = _read_json(backend_path) or {}
    auth_config = (((backend.get("api") or {}).get(name) or {}).get("output") or {}).get("authConfig")
    if isinstance(auth_config, dict) and isinstance(auth_config.get("defaultAuthentication"), dict):
        specs = [_from_backend_config(auth_config["defaultAuthentication"])]
        extra = auth_config.get("additionalAuthenticationProviders") or []
        specs += [_from_backend_config(e) for e in extra if isinstance(e, dict)]
        return specs, backend_path
    parameters_path = api_dir / "parameters.json"
    parameters = _read_json(parameters_path) or {}
    if "AuthCognitoUserPoolId" in parameters:  # pre-v7 projects with a user pool default
        return [AuthModeSpec("AMAZON_COGNITO_USER_POOLS")], parameters_path
    return [AuthModeSpec("API_KEY")], parameters_path


def _auth_settings(specs: list[AuthModeSpec], source: Path, api_dir: Path) -> AuthSettings:
    for spec in specs:
        if spec.mode not in AUTH_MODES:
            raise AmplifyProjectError(f"{source}: unknown auth mode {spec.mode!r}; expected one of {', '.join(AUTH_MODES)}")
    modes = list(dict.fromkeys(spec.mode for spec in specs))
    oidc = next((s for s in specs if s.mode == "OPENID_CONNECT"), None)
    defaults = OidcSettings()
    admin_roles = _admin_role_names(api_dir)
    return AuthSettings(
        default=modes[0],
        additional=tuple(modes[1:]),
        oidc=OidcSettings(
            issuer=(oidc.oidc_issuer or defaults.issuer) if oidc else defaults.issuer,
            client_id=(oidc.oidc_client_id or defaults.client_id) if oidc else defaults.client_id,
            auth_ttl_seconds=oidc.oidc_auth_ttl_ms // 1000 if oidc else 0,
            iat_ttl_seconds=oidc.oidc_iat_ttl_ms // 1000 if oidc else 0,
        ),
        iam=replace(IamSettings(), admin_role_names=admin_roles),
    )


def _admin_role_names(api_dir: Path) -> tuple[str, ...]:
    path = api_dir / "custom-roles.json"
    document = _read_json(path) or {}
    names = document.get("adminRoleNames", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise AmplifyProjectError(f"{path}: adminRoleNames must be a list of role names")
    return tuple(names)


# ---------------------------------------------------------------------------------------------
# Merging with the config file

#: TOML key -> AuthSettings / sub-settings field, per table of the config's [auth].
_AUTH_TABLE_FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    "user_pools": ("user_pools", {k: k for k in ("user_pool_id", "app_client_id", "region", "jwks_file")}),
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
        function = api.lambda_function or "its Lambda authorizer"
        raise AmplifyProjectError(
            f"{api.api_dir}: AWS_LAMBDA is enabled (function {function}); the emulator runs Lambda authorizers "
            "written in Python: add [auth.lambda] handler = \"module:function\" to appsync-emulator.toml"
        )
    if auth.lambda_.search_path is None:
        auth = replace(auth, lambda_=replace(auth.lambda_, search_path=api.project_root))
    schema = api.schema if schema_from_cli or settings.schema is None else settings.schema
    return replace(
        settings,
        schema=schema,
        transformer=settings.transformer or api.transformer,
        auth=auth,
        extra={**settings.extra, "amplify": {"api": api.name, "api_dir": str(api.api_dir),
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
    return apply_project(settings, project, schema_from_cli=path is not None), True
