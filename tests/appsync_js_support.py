"""Helpers the APPSYNC_JS tests share: loading code and listing what the check refused."""

from __future__ import annotations

from typing import Any

from emulator.resolvers.appsync_js import JsCodeError, JsCodeLoader, JsOutcome, JsResolverCode, evaluate
from emulator.resolvers.appsync_util import UtilRequest

RESPONSE = "\nexport function response(ctx) { return ctx.result; }\n"


def refusals(loader: JsCodeLoader, source: str) -> list[tuple[str, int, int]]:
    """(message, line, column) of each problem the check finds; [] when the code loads."""
    try:
        loader.load(source, "code.js")
    except JsCodeError as error:
        return [(problem.value, problem.line, problem.column) for problem in error.problems]
    return []


def request_only(body: str) -> str:
    """A module whose ``request`` handler is ``body`` (on line 2), with a plain ``response``."""
    return "export function request(ctx) {\n" + body + "\n}" + RESPONSE


def run(
    loader: JsCodeLoader,
    code_text: str,
    handler: str = "request",
    util_request: UtilRequest | None = None,
    **context: Any,
) -> JsOutcome:
    """Load ``code_text`` and run ``handler`` with ``context`` (AppSync's ctx fields)."""
    code = loader.load(code_text, "code.js")
    return evaluate(code, handler, {"arguments": {}, "stash": {}, **context}, util_request)  # type: ignore[arg-type]


def loaded(loader: JsCodeLoader, source: str) -> JsResolverCode:
    return loader.load(source, "code.js")
