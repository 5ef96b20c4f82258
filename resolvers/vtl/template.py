"""``VtlTemplate``: a parsed template (cached by name and text) and its ``render``.

    template = VtlTemplate.parse(text, "Mutation.createPost.req.vtl")
    rendered = template.render(VtlContext(arguments={"input": {...}}, identity=..., stash=stash))
    rendered.value()   # the request document (the JSON the text holds, or #return's value)

The context's ``arguments`` and ``stash`` are used in place: a template that changes them changes
them for the caller, as the functions of an AppSync pipeline share them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.appsync_util import EXTENSIONS, UTIL, Extensions, UtilRequest
from emulator.resolvers.appsync_util.values import plain
from emulator.resolvers.vtl.directives import Macro, Node
from emulator.resolvers.vtl.errors import BreakLoop, ReturnFromTemplate, StopRendering, TemplateRuntimeError
from emulator.resolvers.vtl.expression_parser import Source
from emulator.resolvers.vtl.state import RenderState
from emulator.resolvers.vtl.template_parser import TemplateParser

CACHE_SIZE = 2048
MAX_OUTPUT = 5 * 1024 * 1024  # AppSync's quota "Evaluated resolver template size": 5 MB
NOT_GIVEN: Any = object()


@dataclass
class VtlContext:
    """What ``$ctx`` / ``$context`` holds for one template run, plus the util request (auth
    mode for ``$util.authType()``, clock, random source, collected errors and logs)."""

    arguments: dict[str, Any] = field(default_factory=dict)
    identity: Any = None
    source: Any = None
    stash: dict[str, Any] = field(default_factory=dict)
    result: Any = None
    prev_result: Any = NOT_GIVEN
    error: dict[str, Any] | None = None
    info: dict[str, Any] = field(default_factory=dict)
    request: dict[str, Any] = field(default_factory=lambda: {"headers": {}})
    env: dict[str, Any] = field(default_factory=dict)
    util: UtilRequest | None = None

    def util_request(self) -> UtilRequest:
        if self.util is None:
            self.util = UtilRequest(
                field_name=str(self.info.get("fieldName", "")),
                parent_type_name=str(self.info.get("parentTypeName", "")),
            )
        return self.util

    def ctx(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "arguments": self.arguments,
            "args": self.arguments,
            "identity": self.identity,
            "source": self.source,
            "stash": self.stash,
            "result": self.result,
            "error": self.error,
            "info": self.info,
            "request": self.request,
            "env": self.env,
        }
        if self.prev_result is not NOT_GIVEN:
            values["prev"] = {"result": self.prev_result}
        return values


@dataclass
class Rendered:
    """The outcome of one render. ``error``: the ``util.error``/``unauthorized`` (or runtime
    failure, type ``MappingTemplate``) that ended the template; ``errors``: the appended ones."""

    text: str
    returned: bool
    return_value: Any
    error: AppSyncError | None
    errors: list[AppSyncError]
    stash: dict[str, Any]
    arguments: dict[str, Any]
    extensions: Extensions
    logs: list[str]
    response_headers: dict[str, Any]

    def value(self) -> Any:
        """The template's result: ``#return``'s value, else the rendered text read as JSON
        (blank text is null). Text that is not JSON raises AppSync's ``MappingTemplate`` error."""
        if self.error is not None:
            raise self.error
        if self.returned:
            return plain(self.return_value)
        return parse_rendered_json(self.text)


@lru_cache(maxsize=CACHE_SIZE)
def _parse(text: str, name: str) -> VtlTemplate:
    parser = TemplateParser(Source(text, name))
    return VtlTemplate(name, parser.parse(), parser.macros)


def parse_rendered_json(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise AppSyncError(f"Unable to parse the JSON document: '{exc}'", "MappingTemplate") from exc


class VtlTemplate:
    """A parsed template; ``render`` is thread-safe (no state is kept between renders)."""

    def __init__(self, name: str, nodes: list[Node], macros: dict[str, Macro]) -> None:
        self.name = name
        self.nodes = nodes
        self.macros = macros

    @classmethod
    def parse(cls, text: str, name: str = "template") -> VtlTemplate:
        """The template; raises ``TemplateSyntaxError`` with the line and column. Parsing is
        memoized by name and text (a parse is pure), so a template file is parsed once."""
        return _parse(text, name)

    def _evaluate_text(self, text: str) -> list[Node]:
        return VtlTemplate.parse(text, f"{self.name}#evaluate").nodes

    def render(self, context: VtlContext) -> Rendered:
        request = context.util_request()
        ctx = context.ctx()
        variables: dict[str, Any] = {
            "ctx": ctx,
            "context": ctx,
            "util": UTIL,
            "utils": UTIL,
            "extensions": EXTENSIONS,
        }
        state = RenderState(self.name, variables, request, self.macros, self._evaluate_text)
        out: list[str] = []
        returned, return_value, error = False, None, None
        try:
            for node in self.nodes:
                node.render(state, out)
        except (StopRendering, BreakLoop):
            pass
        except ReturnFromTemplate as signal:
            returned, return_value = True, signal.value
        except AppSyncError as exc:
            error = exc
        except TemplateRuntimeError as exc:
            error = exc.as_appsync_error()
        except RecursionError:
            error = AppSyncError(f"Template {self.name} nests too deeply", "MappingTemplate")
        text = "".join(out)
        if error is None and len(text) > MAX_OUTPUT:
            error = AppSyncError(f"The evaluated template {self.name} exceeds the 5 MB limit", "MappingTemplate")
            text = ""
        return Rendered(
            text=text,
            returned=returned,
            return_value=return_value,
            error=error,
            errors=request.appended_errors,
            stash=ctx["stash"],
            arguments=ctx["arguments"],
            extensions=request.extensions,
            logs=request.logs,
            response_headers=request.response_headers,
        )
