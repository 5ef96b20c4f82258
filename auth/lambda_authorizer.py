"""AWS_LAMBDA: a Python function plays the API's Lambda authorizer.

``[auth.lambda] handler = "module:function"`` names it; the module is looked up beside the config
file first, then on the normal import path. It receives AppSync's authorizer event and answers
as a real authorizer does (``isAuthorized``, ``resolverContext``, ``deniedFields``,
``ttlOverride``). The answer is cached per token for ``ttlOverride`` seconds (default 300), as
AppSync caches authorizer results. A handler that raises or answers something malformed is a
401 for that request, never a crash; its traceback goes to the log.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from emulator.auth.identity import AuthMode, AuthRequest, Identity, rejected
from emulator.errors import UnauthorizedRequest
from emulator.settings import ConfigError, LambdaSettings

DEFAULT_TTL_SECONDS = 300
MAX_CACHED_TOKENS = 1024
_log = logging.getLogger("auth")

Handler = Callable[..., Any]


@dataclass(frozen=True)
class LambdaContext:
    """The bits of a Lambda ``context`` object an authorizer might read."""

    aws_request_id: str
    function_name: str = "appsync-emulator-authorizer"
    invoked_function_arn: str = ""

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@dataclass(frozen=True)
class Decision:
    """A validated authorizer answer."""

    authorized: bool
    resolver_context: Mapping[str, Any]
    denied_fields: frozenset[str]
    ttl_seconds: int


def _load_module(module_name: str, search_path: Path | None) -> ModuleType:
    if search_path is not None:
        candidate = search_path.joinpath(*module_name.split("."))
        for path in (candidate.with_suffix(".py"), candidate / "__init__.py"):
            if path.is_file():
                spec = importlib.util.spec_from_file_location(f"appsync_authorizer_{module_name}", path)
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                sys.modules[spec.name] = module  # as an import would: dataclasses etc. look it up
                # Like a Lambda's task root: the authorizer's own folder is importable, so it can
                # import its sibling modules.
                if str(search_path) not in sys.path:
                    sys.path.append(str(search_path))
                spec.loader.exec_module(module)
                return module
    return importlib.import_module(module_name)


def load_handler(settings: LambdaSettings) -> Handler:
    """The configured ``module:function``; a config error (named) when it cannot be loaded."""
    spec = settings.handler or ""
    module_name, _, function_name = spec.partition(":")
    if not module_name or not function_name:
        raise ConfigError(f"auth.lambda.handler must be 'module:function', got {spec!r}")
    try:
        module = _load_module(module_name, settings.search_path)
    except Exception as exc:
        raise ConfigError(f"auth.lambda.handler {spec!r}: cannot import {module_name!r}: {exc}") from exc
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise ConfigError(f"auth.lambda.handler {spec!r}: {module_name!r} has no function {function_name!r}")
    return handler


def _takes_context(handler: Handler) -> bool:
    """True for ``handler(event, context)`` (the Lambda signature), False for ``handler(event)``."""
    try:
        parameters = inspect.signature(handler).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


def _field_name(entry: str) -> str:
    """``Type.field`` from either that form or the ARN form ``arn:…:apis/<id>/types/<T>/fields/<f>``."""
    if entry.startswith("arn:") and "/types/" in entry and "/fields/" in entry:
        type_part = entry.split("/types/", 1)[1]
        type_name, _, field = type_part.partition("/fields/")
        return f"{type_name}.{field}"
    return entry


def parse_answer(answer: object) -> Decision:
    """Validate an authorizer's answer; ``ValueError`` says what is wrong with it."""
    if not isinstance(answer, Mapping):
        raise ValueError(f"the handler must return a dict, got {type(answer).__name__}")
    authorized = answer.get("isAuthorized")
    if not isinstance(authorized, bool):
        raise ValueError(f"'isAuthorized' must be true or false, got {authorized!r}")
    context = answer.get("resolverContext") or {}
    if not isinstance(context, Mapping):
        raise ValueError(f"'resolverContext' must be an object, got {context!r}")
    denied = answer.get("deniedFields") or []
    if not isinstance(denied, list) or not all(isinstance(f, str) for f in denied):
        raise ValueError(f"'deniedFields' must be a list of strings, got {denied!r}")
    ttl = answer.get("ttlOverride", DEFAULT_TTL_SECONDS)
    if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 0:
        raise ValueError(f"'ttlOverride' must be a non-negative integer, got {ttl!r}")
    return Decision(authorized, dict(context), frozenset(_field_name(f) for f in denied), ttl)


def _graphql_request(request: AuthRequest) -> dict[str, Any]:
    """Query, operation name and variables: from the request when given, else from its JSON body."""
    try:
        body = json.loads(request.body) if request.body else {}
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    return {
        "queryString": request.query_string or body.get("query") or "",
        "operationName": request.operation_name or body.get("operationName"),
        "variables": dict(request.variables or body.get("variables") or {}),
    }


class LambdaAuthenticator:
    """Calls the authorizer function for any ``Authorization`` token no other mode claims."""

    mode = AuthMode.AWS_LAMBDA

    def __init__(
        self,
        handler: Handler,
        *,
        api_id: str,
        account_id: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._handler = handler
        self._with_context = _takes_context(handler)
        self._api_id = api_id
        self._account_id = account_id
        self._clock = clock
        self._cache: dict[str, tuple[float, Decision]] = {}
        self._lock = threading.Lock()

    def recognizes(self, request: AuthRequest) -> bool:
        return bool(request.headers.get("authorization", "").strip())

    def authenticate(self, request: AuthRequest) -> Identity:
        token = request.headers.get("authorization", "").strip()
        decision = self._cached(token) or self._ask(token, request)
        if not decision.authorized:
            raise rejected(UnauthorizedRequest(), "the Lambda authorizer answered isAuthorized: false")
        return Identity(
            mode=self.mode,
            resolver_context=decision.resolver_context,
            denied_fields=decision.denied_fields,
            source_ip=request.source_ip,
        )

    def event(self, token: str, request: AuthRequest, request_id: str) -> dict[str, Any]:
        """AppSync's authorizer event for this request."""
        return {
            "authorizationToken": token,
            "requestContext": {"apiId": self._api_id, "accountId": self._account_id, "requestId": request_id}
            | _graphql_request(request),
            "requestHeaders": dict(request.headers),
        }

    def _ask(self, token: str, request: AuthRequest) -> Decision:
        request_id = str(uuid.uuid4())
        event = self.event(token, request, request_id)
        try:
            args = (event, LambdaContext(request_id)) if self._with_context else (event,)
            answer = self._handler(*args)
            if inspect.isawaitable(answer):
                getattr(answer, "close", lambda: None)()
                raise ValueError("the handler must be a plain (not async) function")
            decision = parse_answer(answer)
        except Exception as exc:
            _log.warning("Lambda authorizer failed: %s", exc, exc_info=not isinstance(exc, ValueError))
            raise rejected(UnauthorizedRequest(), f"Lambda authorizer failed: {exc}") from None
        self._remember(token, decision)
        return decision

    def _cached(self, token: str) -> Decision | None:
        with self._lock:
            entry = self._cache.get(token)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._cache[token]
                return None
            return entry[1]

    def _remember(self, token: str, decision: Decision) -> None:
        if decision.ttl_seconds <= 0:
            return
        with self._lock:
            now = self._clock()
            if len(self._cache) >= MAX_CACHED_TOKENS:
                self._cache = {t: e for t, e in self._cache.items() if e[0] > now}
                if len(self._cache) >= MAX_CACHED_TOKENS:
                    self._cache.pop(next(iter(self._cache)))
            self._cache[token] = (now + decision.ttl_seconds, decision)
