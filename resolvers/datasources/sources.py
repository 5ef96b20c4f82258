"""The data sources a resolver can call, as the execution layer holds them at run time.

Each is built once per API generation from its ``DataSourceSpec`` (``emulator.resolver_specs``)
plus what it needs to reach its backend: the emulator's table names, a Lambda invoker, an HTTP
client. Requests then pass only the per-request ``ResolverContext`` (the DynamoDB client, the
call counter). ``LambdaInvoker`` is the seam to the function runners (``resolvers.functions``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

InvocationType = Literal["RequestResponse", "Event"]


class LambdaInvoker(Protocol):
    """Runs a project function: what the function runners provide.

    ``invoke`` returns the function's result (``None`` for ``Event``, which does not wait). A
    function that fails raises ``AppSyncError(errorMessage, "Lambda:Unhandled")`` or an exception
    with ``message`` and ``error_type`` (the runners' ``FunctionError``; an unknown function's is
    ``Lambda:ResourceNotFoundException``). Any other exception is reported as ``Lambda:Unhandled``
    with its text.
    """

    def invoke(self, function_name: str, payload: Any, *, invocation_type: InvocationType) -> Any: ...


@dataclass(frozen=True)
class TableNames:
    """Which emulator table a table name in a request document means.

    Batch and transaction documents name tables themselves. Code written for the cloud names
    them as they are deployed (``Post-4xkp...-dev``), as Amplify names data sources
    (``PostTable``) or as the emulator does (``Post-emulator-local``); all reach the model's table.
    A name nothing maps is used as is (DynamoDB then answers ``ResourceNotFoundException``).
    """

    aliases: Mapping[str, str] = field(default_factory=dict)  # name -> emulator table
    model_tables: Mapping[str, str] = field(default_factory=dict)  # model name -> emulator table

    def resolve(self, name: str) -> str:
        if name in self.aliases:
            return self.aliases[name]
        deployed = _DEPLOYED_NAME.fullmatch(name)
        if deployed and deployed.group(1) in self.model_tables:
            return self.model_tables[deployed.group(1)]
        return name


_DEPLOYED_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)-[A-Za-z0-9]+-[A-Za-z0-9_]+")


@dataclass(frozen=True)
class DynamoDBSource:
    name: str
    table: str  # the emulator table the data source is configured with
    tables: TableNames = field(default_factory=TableNames)
    kind: Literal["AMAZON_DYNAMODB"] = "AMAZON_DYNAMODB"


@dataclass(frozen=True)
class LambdaSource:
    name: str
    function_name: str
    invoker: LambdaInvoker | None = None  # None: no function runner (a clear error per call)
    kind: Literal["AWS_LAMBDA"] = "AWS_LAMBDA"


@dataclass(frozen=True)
class HttpSource:
    name: str
    endpoint: str
    client: Any = None  # an httpx.Client; None: one per call
    allow_external: bool = False  # loopback endpoints only unless the config allows more
    kind: Literal["HTTP"] = "HTTP"


@dataclass(frozen=True)
class NoneSource:
    name: str
    kind: Literal["NONE"] = "NONE"


@dataclass(frozen=True)
class UnsupportedSource:
    """A data source kind the emulator does not run (OpenSearch, RDS, EventBridge, Bedrock…):
    declared projects still start; a resolver calling it gets an error naming it."""

    name: str
    declared_kind: str
    kind: Literal["UNSUPPORTED"] = "UNSUPPORTED"


DataSource = DynamoDBSource | LambdaSource | HttpSource | NoneSource | UnsupportedSource
