"""Custom resolvers as a project declares them: what the execution layer reads to run them.

Read at start (and on reload) from an Amplify Gen 1 project (``emulator.amplify.stacks`` and
``emulator.amplify.resolver_files``) and from the config file's ``[data_sources]``,
``[resolvers]`` and ``[pipeline_functions]`` (``emulator.resolver_config``), merged by
``emulator.custom_resolvers``. Everything is plain and immutable, like ``emulator.apimodel``:
templates and code are read into ``TemplateText`` here, so nothing downstream touches the files.

Each spec keeps an ``origin`` naming the file and the resource (or config key) it came from, for
the errors of later steps (a template that does not parse names where it was declared).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from emulator.settings import ConfigError

Runtime = Literal["VTL", "APPSYNC_JS"]
ResolverKind = Literal["UNIT", "PIPELINE"]
#: the data source kinds the emulator runs; any other declared type is kept and refused per call
RUNNABLE_KINDS = ("AMAZON_DYNAMODB", "AWS_LAMBDA", "HTTP", "NONE")

#: Amplify v2's resolver slots, in pipeline order, and which slots each kind of field has.
SLOT_ORDER = (
    "init", "preAuth", "auth", "postAuth", "validate", "preUpdate", "preDataLoad",
    "postUpdate", "postDataLoad", "preSubscribe", "finish",
)
QUERY_SLOTS = ("init", "preAuth", "auth", "postAuth", "preDataLoad", "postDataLoad", "finish")
MUTATION_SLOTS = ("init", "preAuth", "auth", "postAuth", "validate", "preUpdate", "postUpdate", "finish")
SUBSCRIPTION_SLOTS = ("init", "preAuth", "auth", "postAuth", "preSubscribe")


class CustomResolverError(ConfigError):
    """A broken declaration; the message names the file and the resource or key."""


@dataclass(frozen=True)
class TemplateText:
    """One VTL template or APPSYNC_JS module and where it came from."""

    text: str
    path: Path | None  # the file; None when inline in a stack
    origin: str


@dataclass(frozen=True)
class Handler:
    """What runs: VTL request/response templates, or one APPSYNC_JS module (``code``)."""

    runtime: Runtime = "VTL"
    request: TemplateText | None = None
    response: TemplateText | None = None
    code: TemplateText | None = None

    @property
    def is_empty(self) -> bool:
        return self.request is None and self.response is None and self.code is None


@dataclass(frozen=True)
class DataSourceSpec:
    """A data source by name. DynamoDB ones name the emulator table they read (``table``), and
    the model when it is a model's table; Lambda ones the project function to run."""

    name: str
    kind: str  # one of RUNNABLE_KINDS, or the declared type of one the emulator does not run
    origin: str
    table: str | None = None
    model: str | None = None
    function_name: str | None = None
    function_arn: str | None = None
    endpoint: str | None = None
    allow_external: bool = False  # HTTP: may call a non-loopback endpoint


@dataclass(frozen=True)
class PipelineFunctionSpec:
    name: str
    data_source: str
    handler: Handler
    origin: str
    max_batch_size: int | None = None


@dataclass(frozen=True)
class ResolverSpec:
    """A resolver on ``type_name.field_name``: UNIT (one data source) or PIPELINE (functions in
    order, with the handler as before/after step)."""

    type_name: str
    field_name: str
    kind: ResolverKind
    handler: Handler
    origin: str
    data_source: str | None = None
    functions: tuple[PipelineFunctionSpec, ...] = ()
    max_batch_size: int | None = None


@dataclass(frozen=True)
class SlotSpec:
    """A v2 slot template (``Mutation.createPost.preUpdate.1.req.vtl``) for a generated resolver.

    ``replaces_generated``: the file has the name of a template Amplify generates for that field
    (``Query.getPost.postAuth.1.req.vtl``), so it replaces that step instead of adding one.
    """

    type_name: str
    field_name: str
    slot: str
    order: int
    request: TemplateText | None
    response: TemplateText | None
    replaces_generated: bool = False


@dataclass(frozen=True)
class TemplateOverride:
    """A file named like a generated resolver's own template (``Query.getPost.req.vtl``): it
    replaces v2's data step, or v1's whole unit resolver, for that field."""

    type_name: str
    field_name: str
    request: TemplateText | None
    response: TemplateText | None


@dataclass(frozen=True)
class TableSpec:
    """A table a project declares besides the model tables, created at start like them."""

    name: str
    definition: dict[str, Any]  # CreateTable arguments
    origin: str


@dataclass(frozen=True)
class CustomResolvers:
    """Everything custom a project declares; empty for a project with none."""

    data_sources: dict[str, DataSourceSpec] = field(default_factory=dict)
    resolvers: dict[tuple[str, str], ResolverSpec] = field(default_factory=dict)
    slots: tuple[SlotSpec, ...] = ()
    overrides: tuple[TemplateOverride, ...] = ()
    tables: tuple[TableSpec, ...] = ()
    warnings: tuple[str, ...] = ()

    def resolver(self, type_name: str, field_name: str) -> ResolverSpec | None:
        return self.resolvers.get((type_name, field_name))

    def slots_for(self, type_name: str, field_name: str) -> tuple[SlotSpec, ...]:
        """The field's slots in the order they run (slot order, then number)."""
        found = [s for s in self.slots if (s.type_name, s.field_name) == (type_name, field_name)]
        return tuple(sorted(found, key=lambda s: (SLOT_ORDER.index(s.slot), s.order)))

    def override_for(self, type_name: str, field_name: str) -> TemplateOverride | None:
        return next((o for o in self.overrides if (o.type_name, o.field_name) == (type_name, field_name)), None)
