"""DataStore conflict detection of a Gen1 project: ``transform.conf.json`` ``ResolverConfig``.

Amplify writes it when ``amplify update api`` turns conflict detection on: a ``project`` entry
(the handler every model uses) and optional ``models.<Model>`` overrides, each with
``ConflictDetection: "VERSION"``, a ``ConflictHandler`` and, for ``LAMBDA``, the
``LambdaConflictHandler`` function. It is read into the same ``DataStoreSettings`` the config
file's ``[datastore]`` gives; a config file that names ``[datastore]`` keys wins key by key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from emulator.amplify.files import AmplifyProjectError
from emulator.datastore_settings import CONFLICT_HANDLERS, ConflictSettings, DataStoreSettings


def _entry(path: Path, where: str, raw: Any) -> ConflictSettings:
    if not isinstance(raw, Mapping):
        raise AmplifyProjectError(f"{path}: ResolverConfig.{where} must be an object")
    handler, detection = raw.get("ConflictHandler"), raw.get("ConflictDetection")
    if handler not in CONFLICT_HANDLERS:
        raise AmplifyProjectError(f"{path}: ResolverConfig.{where}.ConflictHandler must be one of "
                                  f"{', '.join(CONFLICT_HANDLERS)}, got {handler!r}")
    if detection != "VERSION":
        raise AmplifyProjectError(f"{path}: ResolverConfig.{where}.ConflictDetection must be \"VERSION\" "
                                  f"(the only detection the emulator serves), got {detection!r}")
    function = None
    if handler == "LAMBDA":
        lambda_config = raw.get("LambdaConflictHandler")
        if not isinstance(lambda_config, Mapping) or not isinstance(lambda_config.get("name"), str):
            # Amplify's transformer stops with this message too
            raise AmplifyProjectError(f"{path}: ResolverConfig.{where}: Invalid Lambda SyncConfig "
                                      "(LAMBDA needs LambdaConflictHandler.name, the conflict handler function)")
        function = lambda_config["name"]
    return ConflictSettings(handler, function)


def read_resolver_config(raw: Any, path: Path) -> tuple[DataStoreSettings, list[str]]:
    """``ResolverConfig`` as ``DataStoreSettings``, with Amplify's warnings for entries it ignores.

    A model entry without ``ConflictDetection`` or ``ConflictHandler`` is ignored in favour of the
    project entry, as Amplify does (with its warning)."""
    if raw is None or raw == {}:
        return DataStoreSettings(), []
    if not isinstance(raw, Mapping):
        raise AmplifyProjectError(f"{path}: ResolverConfig must be an object")
    project = _entry(path, "project", raw["project"]) if raw.get("project") is not None else None
    models_raw = raw.get("models") or {}
    if not isinstance(models_raw, Mapping):
        raise AmplifyProjectError(f"{path}: ResolverConfig.models must be an object of model names")
    warnings, models = [], []
    for name, entry in models_raw.items():
        if isinstance(entry, Mapping) and (not entry.get("ConflictDetection") or not entry.get("ConflictHandler")):
            warnings.append(f"{path}: Invalid resolverConfig for type {name}. Using the project resolverConfig instead.")
            continue
        models.append((str(name), _entry(path, f"models.{name}", entry)))
    return DataStoreSettings(project, tuple(models)), warnings


def declared_datastore_keys(config_file: Path | None) -> tuple[set[str], set[str]]:
    """The ``[datastore]`` keys and ``[datastore.models.<Model>]`` names the config file really names."""
    if config_file is None:
        return set(), set()
    raw = tomllib.loads(config_file.read_text(encoding="utf-8")).get("datastore")
    if not isinstance(raw, dict):
        return set(), set()
    models = raw.get("models") if isinstance(raw.get("models"), dict) else {}
    return set(raw), set(models)


def merge_datastore(project: DataStoreSettings, config: DataStoreSettings, config_file: Path | None) -> DataStoreSettings:
    """The project's conflict detection with every ``[datastore]`` key the config file names taken from it."""
    keys, model_names = declared_datastore_keys(config_file)
    merged = project
    if "conflict_handler" in keys:
        merged = replace(merged, project=config.project)
    if model_names:
        overrides = dict(config.models)
        kept = tuple((name, conflict) for name, conflict in merged.models if name not in overrides)
        merged = replace(merged, models=kept + tuple(config.models))
    for ttl in ("delta_sync_table_ttl", "base_table_ttl"):
        if ttl in keys:
            merged = replace(merged, **{ttl: getattr(config, ttl)})
    return merged
