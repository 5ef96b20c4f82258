"""The runnable form of a resolver's or function's handler, made once per API generation.

VTL templates are parsed and APPSYNC_JS modules checked when the generation is built (at start
or on reload), so a template that does not parse or code AppSync would not deploy stops the
start with the file, line and reason instead of failing at the first request.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.resolver_specs import CustomResolverError, Handler, TemplateText
from emulator.resolvers.appsync_js import JsCodeError, JsCodeLoader, JsResolverCode
from emulator.resolvers.vtl import TemplateSyntaxError, VtlTemplate


@dataclass(frozen=True)
class VtlCode:
    """Request and response mapping templates; either may be absent (a direct Lambda resolver,
    a pipeline without before or after template)."""

    request: VtlTemplate | None
    response: VtlTemplate | None


@dataclass(frozen=True)
class JsCode:
    """One APPSYNC_JS module exporting ``request`` and ``response``."""

    code: JsResolverCode


StepCode = VtlCode | JsCode


def compile_handler(handler: Handler, origin: str, loader: JsCodeLoader) -> StepCode:
    """The handler ready to run; ``CustomResolverError`` naming ``origin`` when it is broken."""
    if handler.runtime == "APPSYNC_JS":
        if handler.code is None:
            raise CustomResolverError(f"{origin}: an APPSYNC_JS resolver needs its code")
        return JsCode(load_js(handler.code, loader))
    return VtlCode(parse_vtl(handler.request), parse_vtl(handler.response))


def parse_vtl(template: TemplateText | None) -> VtlTemplate | None:
    if template is None:
        return None
    name = str(template.path) if template.path is not None else template.origin
    try:
        return VtlTemplate.parse(template.text, name)
    except TemplateSyntaxError as exc:
        raise CustomResolverError(f"{template.origin}: {exc}") from exc


def load_js(code: TemplateText, loader: JsCodeLoader) -> JsResolverCode:
    name = str(code.path) if code.path is not None else code.origin
    try:
        return loader.load(code.text, name)
    except JsCodeError as exc:
        raise CustomResolverError(str(exc) if code.path is not None else f"{code.origin}: {exc}") from exc
