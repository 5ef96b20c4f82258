"""How a handler run ended, in AppSync's terms: the ``JsOutcome`` of a run, its error when
QuickJS unwound it, and the user's position of a JavaScript exception."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.appsync_js.code import JsResolverCode
from emulator.resolvers.appsync_js.host import HostCalls, TimedOut
from emulator.resolvers.appsync_js.outcome import EarlyReturn, JsOutcome
from emulator.resolvers.appsync_js.syntax_rules import RESERVED_PREFIX
from emulator.resolvers.appsync_util import Extensions, UtilRequest

LOGGER = logging.getLogger("emulator.resolvers.appsync_js")
CODE_ERROR_TYPE = "Code"  # AppSync's errorType for an exception in resolver code
STACK_START = "\n    at "
INPUT_POSITION = re.compile(r"<input>:(\d+):(\d+)")
Ending = AppSyncError | tuple[EarlyReturn, Any]


def ended(code: JsResolverCode, host: HostCalls, exception_text: str, cpu_seconds: float, memory_bytes: int) -> Ending:
    """What ended a run that QuickJS unwound: what the host recorded, else the exception."""
    if isinstance(host.ended_by, AppSyncError | tuple):
        return host.ended_by
    if isinstance(host.ended_by, TimedOut):
        milliseconds = round(cpu_seconds * 1000)
        return AppSyncError(f"code.js: Execution timed out: the handler used more than {milliseconds} ms of CPU time.", CODE_ERROR_TYPE)
    message, location = split_location(exception_text)
    if message in ("null", "") or "out of memory" in message:
        message = f"InternalError: out of memory (the emulator's limit is {memory_bytes // (1024 * 1024)} MB)"
    where = "code.js"
    if location is not None:
        line, column = code.location(*location)
        where = f"code.js:{line}:{column}"
        LOGGER.warning("%s:%d:%d: %s", code.name, line, column, message)
    else:
        LOGGER.warning("%s: %s", code.name, message)
    return AppSyncError(f"{where}: {message}", CODE_ERROR_TYPE)


def split_location(exception_text: str) -> tuple[str, tuple[int, int] | None]:
    """The exception's message, and the position of the innermost stack frame in the user's code
    (frames of the prelude's ``__appsync_*`` functions and of built-ins are skipped)."""
    message, _, stack = exception_text.rstrip("\n").partition(STACK_START)
    for line in ("at " + stack).splitlines():
        frame = line.strip()[3:]
        name, _, where = frame[:-1].partition(" (") if frame.endswith(")") else ("", "", frame)
        found = INPUT_POSITION.fullmatch(where)
        if found is not None and not name.startswith(RESERVED_PREFIX):
            return message, (int(found.group(1)), int(found.group(2)))
    return message.split("\n", 1)[0], None


@dataclass(frozen=True)
class Snapshot:
    """How much the request had collected before a run, to report only the run's part."""

    errors: int
    logs: int
    headers: frozenset[str]
    subscription_filters: int
    invalidation_filters: int
    invalidations: int
    cache_evictions: int

    @classmethod
    def of(cls, request: UtilRequest) -> Snapshot:
        extensions = request.extensions
        return cls(
            len(request.appended_errors), len(request.logs), frozenset(request.response_headers),
            len(extensions.subscription_filters), len(extensions.invalidation_filters),
            len(extensions.invalidations), len(extensions.cache_evictions),
        )

    def outcome(self, request: UtilRequest, stash: dict[str, Any], end: Ending | None, value: Any = None) -> JsOutcome:
        extensions = request.extensions
        early_return = None
        error = None
        if isinstance(end, tuple):
            early_return, value = end
        elif end is not None:
            error = end
        return JsOutcome(
            value=value,
            stash=stash,
            error=error,
            errors=request.appended_errors[self.errors :],
            early_return=early_return,
            extensions=Extensions(
                extensions.subscription_filters[self.subscription_filters :],
                extensions.invalidation_filters[self.invalidation_filters :],
                extensions.invalidations[self.invalidations :],
                extensions.cache_evictions[self.cache_evictions :],
            ),
            logs=request.logs[self.logs :],
            response_headers={name: value for name, value in request.response_headers.items() if name not in self.headers},
        )
