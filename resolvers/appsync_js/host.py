"""The one host callable a runtime context gets: JavaScript's ``util``, ``extensions``, the
DynamoDB module, ``console`` and ``runtime`` calling into Python with JSON values.

The JavaScript side (``js/prelude.js``) builds those objects from ``SHAPE`` (the names that exist
in AppSync's JavaScript runtime, a subset of VTL's ``$util``) and sends every call as
``host(path, json_arguments)``. The answer is one tagged string: ``r<json>`` a value, ``u``
undefined, ``e<message>`` an error JavaScript throws at the caller, ``s`` stop: the handler ends
with what ``HostCalls.ended_by`` recorded (``util.error``, ``runtime.earlyReturn``, a time-out).
A host call never raises: an exception escaping into QuickJS would corrupt the context.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.appsync_js.dynamodb_module import DYNAMODB_MODULE
from emulator.resolvers.appsync_js.outcome import EarlyReturn
from emulator.resolvers.appsync_util import (
    EXTENSIONS,
    UTIL,
    Helper,
    HelperArgumentError,
    HelperFailure,
    Namespace,
    UtilRequest,
)
from emulator.resolvers.appsync_util.http_log_helpers import write_log

LOGGER = logging.getLogger(__name__)

# AppSync's JavaScript ``util`` (the ``@aws-appsync/utils`` types, plus ``log`` as EvaluateCode
# documents it): VTL-only helpers such as ``toJson`` or ``isNull`` do not exist in JavaScript.
JS_UTIL_NAMES: dict[str, tuple[str, ...]] = {
    "": (
        "escapeJavaScript", "urlEncode", "urlDecode", "base64Encode", "base64Decode", "autoId", "autoUlid",
        "autoKsuid", "unauthorized", "error", "appendError", "matches", "authType",
    ),
    "time": (
        "nowISO8601", "nowEpochSeconds", "nowEpochMilliSeconds", "nowFormatted", "parseFormattedToEpochMilliSeconds",
        "parseISO8601ToEpochMilliSeconds", "epochMilliSecondsToSeconds", "epochMilliSecondsToISO8601",
        "epochMilliSecondsToFormatted",
    ),
    "dynamodb": (
        "toDynamoDB", "toString", "toStringSet", "toNumber", "toNumberSet", "toBinary", "toBinarySet", "toBoolean",
        "toNull", "toList", "toMap", "toMapValues", "toS3Object", "fromS3ObjectJson",
    ),
    "http": ("copyHeaders", "addResponseHeader", "addResponseHeaders"),
    "xml": ("toMap", "toJsonString"),
    "transform": ("toDynamoDBFilterExpression", "toDynamoDBConditionExpression", "toSubscriptionFilter", "toElasticsearchQueryDSL"),
    "math": ("roundNum", "minVal", "maxVal", "randomDouble", "randomWithinRange"),
    "str": ("normalize",),
    "log": ("info", "debug", "error"),
}
LOG_LEVELS = {"log": logging.INFO, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR, "debug": logging.DEBUG}
SKIP_TO_VALUES = ("END", "NEXT")
CPU_CHECK_EVERY = 4096  # ticks between two CPU-time checks


def js_util() -> Namespace:
    """``UTIL`` reduced to the members JavaScript has."""
    members: dict[str, Helper | Namespace] = {}
    for group, names in JS_UTIL_NAMES.items():
        source = UTIL if not group else UTIL.member(group)
        assert isinstance(source, Namespace)
        chosen = {name: source.members[name] for name in names}
        if group:
            members[group] = Namespace(group, chosen)
        else:
            members.update(chosen)
    return Namespace("util", members)


ROOTS = Namespace("", {"util": js_util(), "extensions": EXTENSIONS, "dynamodb": DYNAMODB_MODULE})


def flatten(namespace: Namespace, prefix: str = "") -> dict[str, Helper]:
    found: dict[str, Helper] = {}
    for name, member in namespace.members.items():
        path = f"{prefix}{name}"
        if isinstance(member, Namespace):
            found.update(flatten(member, path + "."))
        else:
            found[path] = member
    return found


def shape(namespace: Namespace) -> dict[str, Any]:
    """The names as nested objects (``1`` marks a function), for the JavaScript side."""
    return {name: shape(member) if isinstance(member, Namespace) else 1 for name, member in namespace.members.items()}


HELPERS = flatten(ROOTS)
SHAPE = {**shape(ROOTS), "console": dict.fromkeys(LOG_LEVELS, 1)}


def console_text(value: Any) -> str:
    """How ``console.log`` shows one argument: strings as they are, other values as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class TimedOut:
    """The handler used up its CPU time."""


class HostCalls:
    """Serves one handler run's host calls and records how the run was ended."""

    def __init__(self, request: UtilRequest, cpu_limit_seconds: float) -> None:
        self.request = request
        self.cpu_limit_seconds = cpu_limit_seconds
        self.started = time.thread_time()
        self.ended_by: AppSyncError | tuple[EarlyReturn, Any] | TimedOut | None = None

    def __call__(self, path: str, payload: str) -> str:
        try:
            arguments = json.loads(payload) if payload else []
            if path.startswith("!"):
                return self.runtime_call(path[1:], arguments)
            return self.helper_call(path, arguments)
        except AppSyncError as error:
            self.ended_by = error
            return "s"
        except (HelperFailure, ValueError) as failure:
            return "e" + str(failure)
        except Exception as unexpected:  # a bug here must not break the QuickJS context
            LOGGER.exception("APPSYNC_JS host call %s failed", path)
            return f"e{path} failed in the emulator: {unexpected}"

    def helper_call(self, path: str, arguments: list[Any]) -> str:
        helper = HELPERS.get(path)
        if helper is None:
            return f"e{path} is not a function"
        try:
            result = helper.call(self.request, arguments)
        except HelperArgumentError:
            return f"e{path}: wrong number of arguments ({len(arguments)})"
        if helper.void:
            return "u"
        return "r" + json.dumps(result, allow_nan=False, ensure_ascii=False)

    def runtime_call(self, name: str, arguments: list[Any]) -> str:
        if name == "tick":
            if time.thread_time() - self.started > self.cpu_limit_seconds:
                self.ended_by = TimedOut()
                return "s"
            return "u"
        if name.startswith("console."):
            text = " ".join(console_text(value) for value in arguments)
            write_log(self.request, LOG_LEVELS.get(name.removeprefix("console."), logging.INFO), text)
            return "u"
        if name == "earlyReturn":
            value = arguments[0] if arguments else None
            options = arguments[1] if len(arguments) > 1 else None
            skip_to = options.get("skipTo") if isinstance(options, dict) else None
            if skip_to is not None and skip_to not in SKIP_TO_VALUES:
                return f"eruntime.earlyReturn: skipTo must be 'END' or 'NEXT', got {json.dumps(skip_to)}"
            self.ended_by = (EarlyReturn(skip_to), value)
            return "s"
        return f"e{name} is not a runtime function"
