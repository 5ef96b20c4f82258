"""DataStore conflict detection in the schema: what Amplify's transformer adds to a versioned model.

With ``ResolverConfig`` on (``transform.conf.json`` or the config's ``[datastore]``), a versioned
model gets ``_version: Int!``, ``_deleted: Boolean`` and ``_lastChangedAt: AWSTimestamp!``; its
connection gets ``startedAt``; its create/update/delete inputs take ``_version``; it has a
``syncX(filter, limit, nextToken, lastSync)`` query. v2 also filters on ``_deleted`` (filter,
condition and subscription-filter inputs, all as ``ModelBooleanInput``).

Which models are versioned differs by version: v2 versions every model once the project uses
DataStore (a model without a handler of its own takes the project's; with neither Amplify's
transformer fails), v1 only the models a handler applies to.
"""

from __future__ import annotations

from graphql.language import Node

from emulator.apimodel import RootField, SyncSpec, TransformerVersion
from emulator.datastore_settings import DataStoreSettings
from emulator.transform.auth import ModelAuth
from emulator.transform.document import Argument, OutField, OutputDocument, OutType
from emulator.transform.errors import schema_error
from emulator.transform.inputs import add_filter_input
from emulator.transform.plan import Dialect, ModelPlan

SYNC_FIELDS = (("_version", "Int!"), ("_deleted", "Boolean"), ("_lastChangedAt", "AWSTimestamp!"))
METADATA_FIELDS = tuple(name for name, _ in SYNC_FIELDS)


def model_sync(model: str, datastore: DataStoreSettings, version: TransformerVersion,
               node: Node | None = None) -> SyncSpec | None:
    """The model's conflict detection, or None when it is not versioned (``node``: where the model is)."""
    if not datastore.enabled:
        return None
    conflict = datastore.for_model(model)
    if conflict is None:
        if version == "v1":
            return None
        raise schema_error(
            f"ResolverConfig names no conflict handler for model {model} (no \"project\" entry and none under "
            "\"models\"); with DataStore on, every v2 model needs one. Amplify's transformer stops on it with: "
            "Cannot read properties of undefined (reading 'ConflictDetection')", node
        )
    return SyncSpec(
        conflict_handler=conflict.handler,  # type: ignore[arg-type]
        lambda_function=conflict.lambda_function,
        delta_sync_table_ttl=datastore.delta_sync_table_ttl,
        base_table_ttl=datastore.base_table_ttl,
    )


def add_sync(document: OutputDocument, plan: ModelPlan, auth: ModelAuth, dialect: Dialect) -> list[RootField]:
    """The DataStore fields, inputs and ``syncX`` query of a versioned model (after ``add_model``)."""
    model_out = document.get(plan.name)
    assert model_out is not None and plan.sync is not None
    for name, type_name in SYNC_FIELDS:
        model_out.add_field(OutField(name, type_name))
    for kind in ("Create", "Update", "Delete"):
        _add_input_field(document, f"{kind}{plan.name}Input", "_version", "Int")
    if dialect.version == "v2":
        for input_name in (f"Model{plan.name}FilterInput", f"Model{plan.name}ConditionInput",
                           f"ModelSubscription{plan.name}FilterInput"):
            _add_input_field(document, input_name, "_deleted", "ModelBooleanInput")
    existing = document.get(f"Model{plan.name}Connection")
    if existing is not None:
        existing.add_field(OutField("startedAt", "AWSTimestamp"))
    if plan.operations.sync is None:
        return []
    connection = _connection(document, plan)
    filter_name = f"Model{plan.name}FilterInput"
    if document.get(filter_name) is None:
        add_filter_input(document, plan, dialect)
        if dialect.version == "v2":
            _add_input_field(document, filter_name, "_deleted", "ModelBooleanInput")
    directives = auth.operation_directives("sync")
    document.root("Query").add_field(OutField(plan.operations.sync, connection.name, [
        Argument("filter", filter_name), Argument("limit", "Int"), Argument("nextToken", "String"),
        Argument("lastSync", "AWSTimestamp")], directives))
    connection.add_directives(directives)
    return [RootField("Query", plan.operations.sync, "sync", plan.name)]


def _connection(document: OutputDocument, plan: ModelPlan) -> OutType:
    """``ModelXConnection`` with ``startedAt`` (created for the sync query when lists are off)."""
    connection = document.add(OutType("type", f"Model{plan.name}Connection", [
        OutField("items", f"[{plan.name}]!"), OutField("nextToken", "String")]))
    connection.add_field(OutField("startedAt", "AWSTimestamp"))
    return connection


def _add_input_field(document: OutputDocument, input_name: str, name: str, type_name: str) -> None:
    target = document.get(input_name)
    if target is not None:
        target.add_field(OutField(name, type_name))
