"""Finding a Gen1 project and the API to serve in it, and reading that API as ``AmplifyApi``.

The API's schema, the project-wide transformer version and feature flags (``amplify/cli.json``),
its auth modes (``emulator.amplify.auth``), and warnings for what the emulator does not run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.amplify.auth import declared_auth_modes, project_auth_settings
from emulator.amplify.cognito import project_user_pool
from emulator.amplify.files import (
    API_DIR,
    BACKEND_CONFIG,
    AmplifyProjectError,
    read_json,
    service_configuration,
)
from emulator.amplify.resolver_config import read_resolver_config
from emulator.datastore_settings import DataStoreSettings
from emulator.settings import AuthSettings


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
    user_pool_source: Path | None = None  # the file the project's Cognito pool was read from
    datastore: DataStoreSettings = DataStoreSettings()  # transform.conf.json ResolverConfig


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
    backend_config = read_json(project_root / BACKEND_CONFIG) or {}
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
    user_pool = project_user_pool(root)
    datastore = _transform_conf(api_dir, warnings)
    return AmplifyApi(
        name=name,
        project_root=root,
        api_dir=api_dir,
        schema=_schema_path(root, api_dir, warnings),
        transformer=_transformer_version(flags),
        auth=project_auth_settings(specs, source, api_dir, user_pool[0] if user_pool else None),
        feature_flags=flags,
        warnings=tuple(warnings),
        lambda_function=next((s.lambda_function for s in specs if s.mode == "AWS_LAMBDA"), None),
        user_pool_source=user_pool[1] if user_pool else None,
        datastore=datastore,
    )


# ---------------------------------------------------------------------------------------------
# Schema, flags and warnings


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
    declared = (service_configuration(api_dir) or {}).get("gqlSchemaPath")
    if isinstance(declared, str) and (root / declared).exists():
        return (root / declared).resolve()
    raise AmplifyProjectError(f"{api_dir}: no schema.graphql file or schema/ folder")


def _feature_flags(root: Path) -> dict[str, Any]:
    """``features.graphqltransformer`` of ``amplify/cli.json``; Amplify reads flag names case-insensitively."""
    path = root / "amplify" / "cli.json"
    document = read_json(path) or {}
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


def _transform_conf(api_dir: Path, warnings: list[str]) -> DataStoreSettings:
    """``transform.conf.json``: DataStore conflict detection (``ResolverConfig``); custom transformers are said."""
    path = api_dir / "transform.conf.json"
    conf = read_json(path) or {}
    if conf.get("transformers"):
        warnings.append(f"{path}: custom transformers {conf['transformers']} are not run by the emulator")
    datastore, said = read_resolver_config(conf.get("ResolverConfig"), path)
    warnings.extend(said)
    return datastore
