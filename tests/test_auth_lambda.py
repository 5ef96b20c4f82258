"""AWS_LAMBDA: the authorizer event, its answer, the per-token cache, and failures that stay 401s."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from emulator.auth.identity import AuthMode, AuthRequest, Headers
from emulator.auth.lambda_authorizer import LambdaAuthenticator, load_handler, parse_answer
from emulator.errors import UnauthorizedRequest
from emulator.settings import ConfigError, LambdaSettings

BODY = json.dumps({"query": "query Q($id: ID!) { getPost(id: $id) { id } }", "operationName": "Q", "variables": {"id": "1"}})


class Recorder:
    """A handler that records its events and answers what it is told."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.events: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(event)
        return self.answer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def request(token: str = "tok-1", body: str = BODY) -> AuthRequest:
    return AuthRequest(Headers({"Authorization": token, "host": "127.0.0.1:20002", "X-Custom": "1"}), body.encode())


def authorizer(handler: Any, clock: Clock | None = None) -> LambdaAuthenticator:
    return LambdaAuthenticator(handler, api_id="blog", account_id="123456789012", clock=clock or Clock())


def test_event_has_appsyncs_shape() -> None:
    handler = Recorder({"isAuthorized": True})
    authorizer(handler).authenticate(request())
    (event,) = handler.events
    assert event["authorizationToken"] == "tok-1"
    context = event["requestContext"]
    assert (context["apiId"], context["accountId"]) == ("blog", "123456789012")
    assert (context["queryString"], context["operationName"], context["variables"]) == (
        "query Q($id: ID!) { getPost(id: $id) { id } }",
        "Q",
        {"id": "1"},
    )
    assert len(context["requestId"]) == 36
    assert event["requestHeaders"]["x-custom"] == "1"


def test_request_fields_given_by_the_transport_win_over_the_body() -> None:
    handler = Recorder({"isAuthorized": True})
    ws_start = AuthRequest(
        Headers({"Authorization": "t"}), b"", query_string="subscription { onX { id } }", variables={"a": 1}
    )
    authorizer(handler).authenticate(ws_start)
    assert handler.events[0]["requestContext"]["queryString"] == "subscription { onX { id } }"
    assert handler.events[0]["requestContext"]["variables"] == {"a": 1}


def test_answer_becomes_the_identity() -> None:
    answer = {
        "isAuthorized": True,
        "resolverContext": {"tenant": "t1"},
        "deniedFields": ["Post.secret", "arn:aws:appsync:us-east-1:123456789012:apis/blog/types/Query/fields/listUsers"],
    }
    identity = authorizer(Recorder(answer)).authenticate(request())
    assert identity.mode is AuthMode.AWS_LAMBDA
    assert identity.resolver_context == {"tenant": "t1"}
    assert identity.denied_fields == frozenset({"Post.secret", "Query.listUsers"})


def test_answers_are_cached_per_token_for_the_ttl() -> None:
    clock = Clock()
    handler = Recorder({"isAuthorized": True, "ttlOverride": 60})
    auth = authorizer(handler, clock)
    auth.authenticate(request("a"))
    auth.authenticate(request("a"))
    auth.authenticate(request("b"))
    assert len(handler.events) == 2
    clock.now += 61
    auth.authenticate(request("a"))
    assert len(handler.events) == 3


def test_default_ttl_is_300_seconds_and_zero_disables_caching() -> None:
    clock = Clock()
    handler = Recorder({"isAuthorized": True})
    auth = authorizer(handler, clock)
    auth.authenticate(request())
    clock.now += 299
    auth.authenticate(request())
    assert len(handler.events) == 1
    uncached = Recorder({"isAuthorized": True, "ttlOverride": 0})
    auth = authorizer(uncached)
    auth.authenticate(request())
    auth.authenticate(request())
    assert len(uncached.events) == 2


def test_denials_are_cached_too() -> None:
    handler = Recorder({"isAuthorized": False, "ttlOverride": 30})
    auth = authorizer(handler)
    for _ in range(2):
        with pytest.raises(UnauthorizedRequest):
            auth.authenticate(request())
    assert len(handler.events) == 1


@pytest.mark.parametrize(
    "answer",
    [
        None,
        "yes",
        {},
        {"isAuthorized": 1},
        {"isAuthorized": True, "resolverContext": ["x"]},
        {"isAuthorized": True, "deniedFields": "Post.secret"},
        {"isAuthorized": True, "deniedFields": [1]},
        {"isAuthorized": True, "ttlOverride": -1},
        {"isAuthorized": True, "ttlOverride": True},
        {"isAuthorized": True, "ttlOverride": "60"},
    ],
)
def test_malformed_answers_are_401s(answer: Any) -> None:
    with pytest.raises(ValueError):
        parse_answer(answer)
    with pytest.raises(UnauthorizedRequest) as refused:
        authorizer(Recorder(answer)).authenticate(request())
    assert refused.value.status == 401


def test_raising_and_async_handlers_are_401s() -> None:
    def boom(event: Any, context: Any) -> Any:
        raise KeyError("authorizationToken")

    async def async_handler(event: Any, context: Any) -> Any:
        return {"isAuthorized": True}

    for handler in (boom, async_handler):
        with pytest.raises(UnauthorizedRequest) as refused:
            authorizer(handler).authenticate(request())
        assert refused.value.message == "You are not authorized to make this call."


def test_single_argument_handler() -> None:
    seen: list[str] = []

    def check(event: dict[str, Any]) -> dict[str, Any]:
        seen.append(event["authorizationToken"])
        return {"isAuthorized": True}

    authorizer(check).authenticate(request("x"))
    assert seen == ["x"]


def write_module(folder: Path, name: str, source: str) -> None:
    (folder / f"{name}.py").write_text(textwrap.dedent(source))


def test_handler_is_loaded_from_beside_the_config_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_module(elsewhere, "myauth", "def check(event, context):\n    return 'elsewhere'\n")
    monkeypatch.syspath_prepend(str(elsewhere))
    write_module(tmp_path, "myauth", "def check(event, context):\n    return 'beside the config'\n")
    handler = load_handler(LambdaSettings("myauth:check", tmp_path))
    assert handler({}, None) == "beside the config"
    fallback = load_handler(LambdaSettings("myauth:check", tmp_path / "empty"))
    assert fallback({}, None) == "elsewhere"


@pytest.mark.parametrize(
    ("spec", "source", "complaint"),
    [
        ("nomodule_xyz:check", None, "cannot import"),
        ("broken:check", "def check(:\n", "cannot import"),
        ("fine:missing", "def check(event, context):\n    return {}\n", "has no function 'missing'"),
        ("fine", None, "module:function"),
    ],
)
def test_load_errors_are_config_errors(spec: str, source: str | None, complaint: str, tmp_path: Path) -> None:
    if source is not None:
        write_module(tmp_path, spec.partition(":")[0], source)
    with pytest.raises(ConfigError) as failed:
        load_handler(LambdaSettings(spec, tmp_path))
    assert complaint in str(failed.value)


def test_authorizer_can_import_its_sibling_modules(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from emulator.auth.lambda_authorizer import load_handler
    from emulator.settings import LambdaSettings

    (tmp_path / "tokens_db_sibling.py").write_text("ALLOWED = {'good-token'}\n")
    (tmp_path / "authz_with_sibling.py").write_text(
        "from tokens_db_sibling import ALLOWED\n"
        "def check(event):\n    return {'isAuthorized': event['authorizationToken'] in ALLOWED}\n"
    )
    handler = load_handler(LambdaSettings(handler="authz_with_sibling:check", search_path=tmp_path))
    assert handler({"authorizationToken": "good-token"}) == {"isAuthorized": True}
