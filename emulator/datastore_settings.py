"""DataStore conflict detection settings: the project-wide handler, per-model ones, and the TTLs.

They come from the config file's ``[datastore]`` (read here) or a Gen1 project's
``transform.conf.json`` ``ResolverConfig`` (``emulator.amplify.resolver_config``); the transform
turns them into each model's ``SyncSpec``.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.config_reader import ConfigError, TableReader
from emulator.config_schema import table_keys

CONFLICT_HANDLERS = ("AUTOMERGE", "OPTIMISTIC_CONCURRENCY", "LAMBDA")


@dataclass(frozen=True)
class ConflictSettings:
    """One model's (or the project's) conflict resolution: Amplify's ``ResolverConfig`` entry."""

    handler: str = "AUTOMERGE"  # one of CONFLICT_HANDLERS
    lambda_function: str | None = None  # LAMBDA: the conflict handler function's name


@dataclass(frozen=True)
class DataStoreSettings:
    """DataStore conflict detection (``[datastore]``, or ``transform.conf.json`` ``ResolverConfig``),
    with the TTLs Amplify gives the versioned data sources (minutes)."""

    project: ConflictSettings | None = None
    models: tuple[tuple[str, ConflictSettings], ...] = ()
    delta_sync_table_ttl: int = 30
    base_table_ttl: int = 43200

    @property
    def enabled(self) -> bool:
        return self.project is not None or bool(self.models)

    def for_model(self, model: str) -> ConflictSettings | None:
        """The model's own entry, else the project's."""
        return dict(self.models).get(model, self.project)


def _conflict(reader: TableReader) -> ConflictSettings | None:
    handler = reader.choice("conflict_handler", None, CONFLICT_HANDLERS)
    if handler is None:
        return None
    function = reader.text("lambda_function", None)
    if handler == "LAMBDA" and not function:
        raise ConfigError(f"{reader.file}: key '{reader.prefix}conflict_handler' is LAMBDA, so key "
                          f"'{reader.prefix}lambda_function' (the conflict handler function's name) is required")
    return ConflictSettings(handler, function)


def read_datastore_settings(top: TableReader) -> DataStoreSettings:
    """``[datastore]``: a project-wide conflict handler, ``[datastore.models.<Model>]`` overrides, TTLs."""
    reader = top.sub("datastore", table_keys("datastore"))
    models_table = reader.sub("models", set(reader.table.get("models", {})))
    models = []
    for name in models_table.table:
        conflict = _conflict(models_table.sub(name, table_keys("datastore.models")))
        if conflict is None:
            raise ConfigError(f"{reader.file}: key 'datastore.models.{name}.conflict_handler' is required: "
                              f"one of {', '.join(CONFLICT_HANDLERS)}")
        models.append((name, conflict))
    ttls = {key: reader.integer(key, default) for key, default in (("delta_sync_table_ttl", 30), ("base_table_ttl", 43200))}
    for key, value in ttls.items():
        if value < 0:
            raise reader.fail(key, "minutes, 0 or more")
    return DataStoreSettings(_conflict(reader), tuple(models), ttls["delta_sync_table_ttl"], ttls["base_table_ttl"])
