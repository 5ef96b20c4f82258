"""DataStore conflict detection settings: the project-wide handler, per-model ones, and the TTLs.

They come from the config file's ``[datastore]`` (read in ``emulator.settings``) or a Gen1 project's
``transform.conf.json`` ``ResolverConfig`` (``emulator.amplify.resolver_config``); the transform
turns them into each model's ``SyncSpec``.
"""

from __future__ import annotations

from dataclasses import dataclass

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
