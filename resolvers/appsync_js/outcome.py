"""What one handler run produced, for the resolver pipeline to act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from emulator.errors import AppSyncError
from emulator.resolvers.appsync_util import Extensions

SkipTo = Literal["END", "NEXT"]


@dataclass(frozen=True)
class EarlyReturn:
    """``runtime.earlyReturn(value, {skipTo})``: the handler ended with ``JsOutcome.value``.

    AppSync's rules for the caller: in a pipeline function's request handler the data source and
    the response handler are skipped and the value is the function's result (``ctx.prev.result``
    of the next one); in a pipeline resolver's request handler the functions are skipped and the
    resolver's response handler runs. ``skip_to="END"`` skips the rest of the pipeline to the
    resolver's response handler; ``"NEXT"`` skips only this function; ``None``: not given.
    """

    skip_to: SkipTo | None = None


@dataclass(frozen=True)
class JsOutcome:
    """The result of ``evaluate``.

    ``value``: the handler's return value (or the early-returned value) as JSON-like Python
    values; ``None`` when the handler ended with an error or returned ``undefined``.
    ``stash``: ``ctx.stash`` after the run (pass it to the next handler).
    ``error``: the error that ended the handler: ``util.error`` / ``util.unauthorized`` (their
    type), a JavaScript exception or a time-out (``errorType: "Code"``).
    ``errors``: errors added with ``util.appendError`` (and refused response headers) in this run.
    ``early_return``: set when ``runtime.earlyReturn`` ended the handler.
    ``extensions``: ``extensions.*`` calls of this run; ``logs``: ``console.*`` and ``util.log.*``
    lines of this run; ``response_headers``: ``util.http.addResponseHeader(s)``.
    """

    value: Any = None
    stash: dict[str, Any] = field(default_factory=dict)
    error: AppSyncError | None = None
    errors: list[AppSyncError] = field(default_factory=list)
    early_return: EarlyReturn | None = None
    extensions: Extensions = field(default_factory=Extensions)
    logs: list[str] = field(default_factory=list)
    response_headers: dict[str, Any] = field(default_factory=dict)
