"""Shared harness for the real-time tests: a tiny API, fake auth and policy, and a real uvicorn
server on a loopback port running only the real-time endpoint.

The API is written by hand in the transform's output shape (one ``Post`` model with a v2
``filter:`` argument, an ``owner`` argument and a field-level protected ``secret``), so these
tests depend on nothing but the contracts. Tests publish with ``hub.publish`` from their own
thread; the hub hands the fan-out to the server's loop.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
import websockets
from graphql import GraphQLSchema
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute

from emulator.apimodel import ApiModel, AuthRule, FieldSpec, KeySpec, ModelOperations, ModelSpec, RootField
from emulator.auth.identity import AuthMode, AuthRequest, Identity
from emulator.errors import UnauthorizedRequest, unauthorized
from emulator.hub import Hub, MutationEvent
from emulator.realtime import RealtimeDeps, RealtimeEndpoint, RealtimeLimits
from emulator.resolvers.context import AllowAll
from emulator.sdl import build_appsync_schema
from emulator.testing import free_port

API_KEY = "da2-testkey0000000000000000"
ALICE_TOKEN = "alice-token"
BOB_TOKEN = "bob-token"
EXPLODING_TOKEN = "explode"  # the fake authenticator fails with an unexpected exception

SDL = """
type Post @aws_api_key @aws_cognito_user_pools {
  id: ID!
  title: String!
  status: String
  rating: Int
  tags: [String]
  owner: String
  secret: String
  author: Author
  createdAt: AWSDateTime
}

type Author @aws_api_key @aws_cognito_user_pools {
  name: String
  city: String
}

input AuthorInput { name: String city: String }

input CreatePostInput {
  id: ID
  title: String!
  status: String
  rating: Int
  tags: [String]
  owner: String
  secret: String
  author: AuthorInput
}

input ModelSubscriptionStringInput {
  ne: String eq: String le: String lt: String ge: String gt: String contains: String
  notContains: String between: [String] beginsWith: String in: [String] notIn: [String]
}

input ModelSubscriptionIntInput { ne: Int eq: Int le: Int lt: Int ge: Int gt: Int between: [Int] in: [Int] notIn: [Int] }

input ModelSubscriptionIDInput { ne: ID eq: ID in: [ID] notIn: [ID] beginsWith: ID }

input ModelSubscriptionPostFilterInput {
  id: ModelSubscriptionIDInput
  title: ModelSubscriptionStringInput
  status: ModelSubscriptionStringInput
  rating: ModelSubscriptionIntInput
  tags: ModelSubscriptionStringInput
  and: [ModelSubscriptionPostFilterInput]
  or: [ModelSubscriptionPostFilterInput]
}

type Query {
  getPost(id: ID!): Post
}

type Mutation {
  createPost(input: CreatePostInput!): Post
  updatePost(input: CreatePostInput!): Post
}

type Subscription {
  onCreatePost(filter: ModelSubscriptionPostFilterInput, owner: String): Post @aws_subscribe(mutations: ["createPost"])
  onUpdatePost(filter: ModelSubscriptionPostFilterInput, owner: String): Post @aws_subscribe(mutations: ["updatePost"])
  onPostChanged(id: ID, status: String, rating: Int): Post @aws_subscribe(mutations: ["createPost", "updatePost"])
  onAdminPost: Post @aws_subscribe(mutations: ["createPost"]) @aws_cognito_user_pools
}
"""

OWNER_RULE = AuthRule(allow="owner", provider="userPools")
POST = ModelSpec(
    name="Post",
    primary_key=KeySpec("id"),
    fields={
        "id": FieldSpec("id", "ID", non_null=True),
        "title": FieldSpec("title", "String", non_null=True),
        "status": FieldSpec("status", "String"),
        "rating": FieldSpec("rating", "Int"),
        "tags": FieldSpec("tags", "String", is_list=True),
        "owner": FieldSpec("owner", "String"),
        "secret": FieldSpec("secret", "String", auth_rules=(OWNER_RULE,)),
        "author": FieldSpec("author", "Author", is_scalar=False),
        "createdAt": FieldSpec("createdAt", "AWSDateTime"),
    },
    operations=ModelOperations(
        get="getPost", create="createPost", update="updatePost", on_create="onCreatePost", on_update="onUpdatePost"
    ),
    auth_rules=(OWNER_RULE, AuthRule(allow="public", provider="apiKey")),
)

API = ApiModel(
    version="v2",
    sdl=SDL,
    models={"Post": POST},
    root_fields={
        ("Query", "getPost"): RootField("Query", "getPost", "get", model="Post"),
        ("Mutation", "createPost"): RootField("Mutation", "createPost", "create", model="Post"),
        ("Mutation", "updatePost"): RootField("Mutation", "updatePost", "update", model="Post"),
        ("Subscription", "onCreatePost"): RootField("Subscription", "onCreatePost", "subscribe", model="Post", mutations=("createPost",)),
        ("Subscription", "onUpdatePost"): RootField("Subscription", "onUpdatePost", "subscribe", model="Post", mutations=("updatePost",)),
        # onPostChanged and onAdminPost are left out on purpose: their mutations come from @aws_subscribe.
    },
)


@dataclass
class FakeAuth:
    """API key, two user-pool users by opaque token; records every request it was asked about.
    ``iam`` (optional) verifies SigV4 requests, e.g. ``auth.iam.IamAuthenticator``."""

    requests: list[AuthRequest] = field(default_factory=list)
    iam: Callable[[AuthRequest], Identity] | None = None

    def __call__(self, request: AuthRequest) -> Identity:
        self.requests.append(request)
        authorization = request.headers.get("authorization", "")
        if authorization == EXPLODING_TOKEN:
            raise RuntimeError("an authenticator bug")
        if authorization.startswith("AWS4-HMAC-SHA256") and self.iam is not None:
            return self.iam(request)
        if request.headers.get("x-api-key") == API_KEY:
            return Identity(AuthMode.API_KEY, api_key=API_KEY)
        for token, user in ((ALICE_TOKEN, "alice"), (BOB_TOKEN, "bob")):
            if authorization == token:
                claims = {"sub": f"{user}-sub", "username": user}
                return Identity(AuthMode.AMAZON_COGNITO_USER_POOLS, claims=claims, sub=f"{user}-sub", username=user)
        raise UnauthorizedRequest("Valid authorization header not provided." if authorization else
                                  "You are not authorized to make this call.")


class OwnerPolicy(AllowAll):
    """v2-like owner rule: user-pool callers only see their own posts (runtime filter) and may not
    name another owner; ``secret`` is null in subscription payloads (Amplify's field resolver
    returns null when the source comes from a mutation)."""

    def subscription_filter(self, model: ModelSpec, identity: Identity | None, arguments: Mapping[str, Any]) -> Any:
        if identity is None or identity.mode != AuthMode.AMAZON_COGNITO_USER_POOLS:
            return None
        owner = arguments.get("owner")
        if owner is not None and owner != identity.username:
            raise unauthorized("onCreatePost", "Subscription")
        return {"or": [{"owner": {"eq": identity.username}}]}

    def read_field(self, model: ModelSpec, field_name: str, identity: Identity | None, source: Mapping[str, Any]) -> Any:
        if field_name == "secret" and source.get("__operation") == "Mutation":
            return None
        return source.get(field_name)


def field_allowed(schema: GraphQLSchema, parent: str, name: str, identity: Identity) -> bool:
    """``onAdminPost`` is user pools only; everything else is open to both modes."""
    return not (parent == "Subscription" and name == "onAdminPost" and identity.mode == AuthMode.API_KEY)


@dataclass
class Harness:
    """A running endpoint and its parts."""

    port: int
    hub: Hub
    auth: FakeAuth
    deps: RealtimeDeps

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def publish(self, mutation: str, payload: dict[str, Any] | None) -> None:
        self.hub.publish(MutationEvent(mutation_field=mutation, payload=payload, identity=None))


def make_deps(limits: RealtimeLimits | None = None, auth: FakeAuth | None = None) -> RealtimeDeps:
    schema = build_appsync_schema(SDL)
    return RealtimeDeps(
        authenticate=auth or FakeAuth(),
        current_api=lambda: API,
        current_schema=lambda: schema,
        policy=OwnerPolicy,
        field_allowed=field_allowed,
        hub=Hub(),
        limits=limits or RealtimeLimits(),
    )


@contextmanager
def serve(deps: RealtimeDeps) -> Iterator[Harness]:
    """Run the endpoint at /graphql and /graphql/realtime with uvicorn in a background thread."""
    endpoint = RealtimeEndpoint(deps)
    app = Starlette(routes=[WebSocketRoute("/graphql", endpoint), WebSocketRoute("/graphql/realtime", endpoint)])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    assert isinstance(deps.authenticate, FakeAuth)
    try:
        yield Harness(port, deps.hub, deps.authenticate, deps)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def harness_fixture(limits: RealtimeLimits | None = None) -> Any:
    """A module-scoped ``harness`` fixture: one server for the module's tests."""

    @pytest.fixture(scope="module")
    def harness() -> Iterator[Harness]:
        with serve(make_deps(limits)) as running:
            yield running

    return harness


# --- client helpers -------------------------------------------------------------------------


def b64(value: Any, urlsafe: bool = False, padding: bool = True) -> str:
    raw = json.dumps(value).encode()
    text = (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode()
    return text if padding else text.rstrip("=")


def api_key_header(host: str) -> dict[str, str]:
    return {"host": host, "x-api-key": API_KEY}


def query_string_url(harness: Harness, header: Mapping[str, str] | None = None, path: str = "/graphql") -> str:
    return f"ws://{harness.host}{path}?header={b64(header or api_key_header(harness.host))}&payload=e30="


async def connect(url: str, subprotocols: list[str] | None = None, **kwargs: Any) -> Any:
    return await websockets.connect(url, subprotocols=subprotocols or ["graphql-ws"], open_timeout=5, proxy=None, **kwargs)


async def receive(ws: Any, timeout: float = 5.0, skip_ka: bool = True) -> dict[str, Any]:
    """The next frame as JSON (``ka`` frames skipped unless asked for)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        frame = json.loads(await asyncio.wait_for(ws.recv(), max(remaining, 0.01)))
        if not (skip_ka and frame.get("type") == "ka"):
            return frame


async def nothing_within(ws: Any, seconds: float = 0.3) -> bool:
    """True when no frame other than ``ka`` arrives within ``seconds``."""
    try:
        frame = await receive(ws, timeout=seconds)
    except TimeoutError:
        return True
    raise AssertionError(f"unexpected frame {frame}")


async def open_acknowledged(harness: Harness, url: str | None = None, **connect_options: Any) -> Any:
    ws = await connect(url or query_string_url(harness), **connect_options)
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    ack = await receive(ws)
    assert ack == {"type": "connection_ack", "payload": {"connectionTimeoutMs": 300000}}
    return ws


def start_frame(
    subscription_id: str,
    query: str,
    variables: Mapping[str, Any] | None = None,
    authorization: Mapping[str, str] | None = None,
    host: str = "127.0.0.1",
) -> str:
    data: dict[str, Any] = {"query": query}
    if variables is not None:
        data["variables"] = variables
    return json.dumps(
        {
            "id": subscription_id,
            "type": "start",
            "payload": {"data": json.dumps(data), "extensions": {"authorization": authorization or api_key_header(host)}},
        }
    )


async def start(harness: Harness, ws: Any, subscription_id: str, query: str, **kwargs: Any) -> dict[str, Any]:
    """Send ``start`` and return the answer (``start_ack`` or ``error``)."""
    await ws.send(start_frame(subscription_id, query, host=harness.host, **kwargs))
    return await receive(ws)


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


async def wait_until_async(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


def post(**values: Any) -> dict[str, Any]:
    """A createPost result as a mutation selecting every scalar field would return it."""
    base = {"id": "p1", "title": "Hello", "status": "draft", "rating": 3, "tags": ["a", "b"], "owner": "alice",
            "secret": "s3cret", "createdAt": "2026-11-29T20:00:00.000Z"}
    return {**base, **values}

