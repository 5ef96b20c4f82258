"""What a resolver is given: the API model, the DynamoDB client, the caller and the rules.

Resolvers are plain synchronous functions. The execution layer runs a whole GraphQL operation
in a worker thread, so blocking boto3 calls never stall the event loop, and a resolver can call
DynamoDB directly. A ``ResolverContext`` is built once per request and reaches every resolver
through graphql-core's ``info.context``.

``AuthPolicy`` is the seam between data access and ``@auth`` rules: resolvers ask it before and
after their DynamoDB calls, exactly where Amplify's pipeline runs its auth slot, so the rules
module (``auth.rules``) can be developed and tested apart from the data plane.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from emulator.apimodel import ApiModel, ModelSpec, RootField
from emulator.auth.identity import Identity
from emulator.auth.rules_search import AggregationAccess

Item = dict[str, Any]  # a model item in its GraphQL (plain Python) form, not DynamoDB JSON
FilterInput = dict[str, Any]  # a Model<X>FilterInput-shaped dict, e.g. {"owner": {"eq": "a"}}
ReadOperation = Literal["get", "list", "listen", "sync", "search"]
WriteOperation = Literal["create", "update", "delete"]


class AuthPolicy(Protocol):
    """The @auth decisions a resolver needs, placed where Amplify's pipeline makes them."""

    def read_filter(self, model: ModelSpec, operation: ReadOperation, identity: Identity | None) -> FilterInput | None:
        """Auth slot of get/list/query: None when statically allowed, else the filter ANDed into
        the DynamoDB FilterExpression (v2). Raises ``AppSyncError`` (Unauthorized) when denied."""
        ...

    def visible_items(self, model: ModelSpec, identity: Identity | None, items: list[Item]) -> list[Item]:
        """v1's response-template filtering of list results (v2 returns ``items`` unchanged)."""
        ...

    def prepare_create(self, model: ModelSpec, identity: Identity | None, values: Item) -> Item:
        """Auth slot of create: checks the input, fills in owner fields; returns the values to
        write. Raises ``AppSyncError`` when denied (``Unauthorized on [fields]`` for field rules)."""
        ...

    def check_write(
        self,
        model: ModelSpec,
        operation: WriteOperation,
        identity: Identity | None,
        existing: Item | None,
        values: Item,
    ) -> FilterInput | None:
        """Auth slot of update/delete. v2 passes the existing item (read with GetItem first) and
        raises Unauthorized; v1 returns a condition (ConditionInput-shaped) to AND into the write
        so that a non-owner gets ConditionalCheckFailed."""
        ...

    def needs_existing_item(self, model: ModelSpec, operation: WriteOperation, identity: Identity | None) -> bool:
        """Whether ``check_write`` needs the existing item (v2 dynamic rules), so resolvers only
        pay for the GetItem when a rule needs it."""
        ...

    def subscription_filter(
        self, model: ModelSpec, identity: Identity | None, arguments: Mapping[str, Any]
    ) -> FilterInput | None:
        """Auth slot of a subscription ``start``: None when statically allowed, else the runtime
        filter (owner / dynamic groups) ANDed into the subscription's filter. Raises ``AppSyncError``
        (Unauthorized) when denied, e.g. an ``owner`` argument naming someone else."""
        ...

    def read_field(self, model: ModelSpec, field_name: str, identity: Identity | None, source: Item) -> Any:
        """Field-level read: the value a client sees (owner ``sub::user`` shown as ``user``,
        fields the caller may not read as ``None`` with an error raised)."""
        ...


    def check_custom_field(self, root: RootField, identity: Identity | None) -> None:
        """A custom (non-model) root field with ``@auth``: its static rules must admit the caller;
        raises ``AppSyncError`` (Unauthorized) otherwise."""
        ...

    def search_aggregations(self, model: ModelSpec, identity: Identity | None) -> AggregationAccess:
        """v2 search: the fields the caller may aggregate on (after ``read_filter(..., "search")``)."""
        ...


class AllowAll:
    """The policy for a model-less or rule-less setting: everything allowed, nothing filtered."""

    def read_filter(self, model: ModelSpec, operation: ReadOperation, identity: Identity | None) -> FilterInput | None:
        return None

    def visible_items(self, model: ModelSpec, identity: Identity | None, items: list[Item]) -> list[Item]:
        return items

    def prepare_create(self, model: ModelSpec, identity: Identity | None, values: Item) -> Item:
        return values

    def check_write(
        self,
        model: ModelSpec,
        operation: WriteOperation,
        identity: Identity | None,
        existing: Item | None,
        values: Item,
    ) -> FilterInput | None:
        return None

    def needs_existing_item(self, model: ModelSpec, operation: WriteOperation, identity: Identity | None) -> bool:
        return False

    def subscription_filter(
        self, model: ModelSpec, identity: Identity | None, arguments: Mapping[str, Any]
    ) -> FilterInput | None:
        return None

    def read_field(self, model: ModelSpec, field_name: str, identity: Identity | None, source: Item) -> Any:
        return source.get(field_name)

    def check_custom_field(self, root: RootField, identity: Identity | None) -> None:
        return None

    def search_aggregations(self, model: ModelSpec, identity: Identity | None) -> AggregationAccess:
        return AggregationAccess()


@dataclass
class ListStats:
    """Items read vs kept by list/query calls in one request: the figures behind the
    "limit counts items read before the filter" hint (log line and opt-in ``extensions``)."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def record(self, field_name: str, model: str, read: int, kept: int, limit: int, has_next: bool, hint: str | None) -> None:
        self.calls.append(
            {
                "field": field_name,
                "model": model,
                "limit": limit,
                "scannedCount": read,
                "returnedCount": kept,
                "nextToken": has_next,
                "hint": hint,
            }
        )


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ResolverContext:
    """Per-request context handed to every resolver (``info.context``)."""

    api: ApiModel
    dynamodb: Any  # a boto3 low-level DynamoDB client
    table_name: Callable[[str], str]
    identity: Identity | None = None
    policy: AuthPolicy = field(default_factory=AllowAll)
    stats: ListStats = field(default_factory=ListStats)
    now: Callable[[], datetime] = utc_now
    logger: logging.Logger = field(default_factory=lambda: logging.getLogger("appsync_emulator.resolvers"))
    request_headers: Mapping[str, str] = field(default_factory=dict)
    dynamodb_calls: int = 0  # counted by resolvers for the request log
    # Errors resolvers add next to a value (``util.appendError`` of custom resolvers), as
    # graphql-core ``GraphQLError``s with their path; the executor adds them to the response.
    appended_errors: list[Any] = field(default_factory=list)
    # Headers resolvers add to the HTTP response (``util.http.addResponseHeader``).
    response_headers: dict[str, str] = field(default_factory=dict)
    search: Any = None  # resolvers.search.SearchService: the @searchable indexes (None: no search)
    # The function runners (``emulator.resolvers.functions.FunctionRunners``): ``@function``
    # fields and Lambda data sources call functions through ``functions.invoke``.
    functions: Any = None
    # Per-request memo of the resolvers' batch loaders (e.g. belongsTo served by one BatchGetItem
    # for all sibling parents); keyed by loader name, owned by ``resolvers.loader``.
    loaders: dict[str, Any] = field(default_factory=dict)
