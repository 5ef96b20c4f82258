"""``util.http`` (request headers to forward, response headers to add) and ``util.log`` (to the
emulator's log and the run's log lines)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.appsync_util.namespace import Helper, HelperFailure, Namespace
from emulator.resolvers.appsync_util.request import UtilRequest
from emulator.resolvers.appsync_util.values import is_list, is_map, java_string, to_json

RESTRICTED_HEADERS = frozenset({
    "transfer-encoding", "connection", "host", "expect", "keep-alive", "upgrade",
    "proxy-authenticate", "proxy-authorization", "te", "content-length",
})
RESTRICTED_RESPONSE_HEADERS = RESTRICTED_HEADERS | {
    "access-control-allow-credentials", "access-control-allow-origin", "access-control-expose-headers",
    "access-control-max-age", "access-control-allow-methods", "access-control-allow-headers",
    "vary", "content-type",
}


def copy_headers(headers: Any) -> dict[str, Any]:
    """The headers minus the hop-by-hop ones AppSync never forwards."""
    if not isinstance(headers, Mapping):
        raise HelperFailure(f"util.http.copyHeaders expects a map, got {java_string(headers)}")
    return {name: value for name, value in headers.items() if java_string(name).lower() not in RESTRICTED_HEADERS}


def add_response_header(request: UtilRequest, name: Any, value: Any) -> None:
    """One response header; a restricted or empty name, or a null value, is refused with a
    ``ResponseHeaderError`` in the operation's errors, as AppSync does."""
    header = "" if name is None else java_string(name)
    lowered = header.lower()
    if not header or value is None or lowered in RESTRICTED_RESPONSE_HEADERS or lowered.startswith(("x-amzn-", "x-amz-")):
        request.appended_errors.append(
            AppSyncError(f"Unable to add the response header '{header}'.", "ResponseHeaderError")
        )
        return
    request.response_headers[header] = to_json(value) if is_map(value) or is_list(value) else java_string(value)


def add_response_headers(request: UtilRequest, headers: Any) -> None:
    if not isinstance(headers, Mapping):
        raise HelperFailure(f"util.http.addResponseHeaders expects a map, got {java_string(headers)}")
    for name, value in headers.items():
        add_response_header(request, name, value)


HTTP = Namespace(
    "http",
    {
        "copyHeaders": Helper(copy_headers),
        "addResponseHeader": Helper(add_response_header, uses_request=True, void=True),
        "addResponseHeaders": Helper(add_response_headers, uses_request=True, void=True),
    },
)


def _message(message: Any, args: tuple[Any, ...]) -> str:
    """SLF4J-style: each ``{}`` of the first argument takes the next value."""
    text = java_string(message)
    if not args:
        return text
    parts = text.split("{}")
    out = [parts[0]]
    for index, part in enumerate(parts[1:]):
        out.append(java_string(args[index]) if index < len(args) else "{}")
        out.append(part)
    return "".join(out)


def write_log(request: UtilRequest, level: int, text: str) -> None:
    """One log line of a run: kept on the request and written to the emulator's log (also used by
    APPSYNC_JS's ``console``)."""
    request.logs.append(text)
    request.logger.log(level, "%s.%s: %s", request.parent_type_name, request.field_name, text)


def _logger(level: int) -> Any:
    def log(request: UtilRequest, message: Any, *args: Any) -> None:
        write_log(request, level, _message(message, args))

    log.__name__ = logging.getLevelName(level).lower()
    return log


LOG = Namespace(
    "log",
    {
        "info": Helper(_logger(logging.INFO), uses_request=True, void=True),
        "debug": Helper(_logger(logging.DEBUG), uses_request=True, void=True),
        "error": Helper(_logger(logging.ERROR), uses_request=True, void=True),
    },
)
