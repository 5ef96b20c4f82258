"""The data-source layer: AppSync request documents run against DynamoDB, Lambda, HTTP and NONE.

VTL request templates and APPSYNC_JS ``request()`` handlers produce the same JSON document; the
execution layer hands it here with the data source the resolver names:

    sources = build_data_sources(custom.data_sources, table_names(api, table_name, custom),
                                 invoker=runners, http_client=client)
    outcome = execute(sources["PostTable"], {"operation": "GetItem", "key": {...}}, ctx)
    outcome.result            # $ctx.result
    outcome.context_error()   # $ctx.error ({message, type} or None)

``execute`` raises ``AppSyncError`` (``MappingTemplate``) for an invalid document. Modules: one
per data-source kind (``dynamodb/``, ``lambda_source``, ``http_source``, ``none_source``), the
dispatcher (``dispatch``), request-document reading (``documents``, ``typed_values``), the
run-time objects (``sources``) and their construction from specs (``registry``).
"""

from emulator.resolvers.datasources.dispatch import execute, execute_batch
from emulator.resolvers.datasources.registry import build_data_source, build_data_sources, table_names
from emulator.resolvers.datasources.result import DataSourceResult
from emulator.resolvers.datasources.sources import (
    DataSource,
    DynamoDBSource,
    HttpSource,
    InvocationType,
    LambdaInvoker,
    LambdaSource,
    NoneSource,
    TableNames,
    UnsupportedSource,
)

__all__ = [
    "DataSource",
    "DataSourceResult",
    "DynamoDBSource",
    "HttpSource",
    "InvocationType",
    "LambdaInvoker",
    "LambdaSource",
    "NoneSource",
    "TableNames",
    "UnsupportedSource",
    "build_data_source",
    "build_data_sources",
    "execute",
    "execute_batch",
    "table_names",
]
