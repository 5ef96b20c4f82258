"""A VTL engine with AppSync's semantics (Velocity 1.7 plus AppSync's ``#return``, ``$util``,
``$ctx`` and ``$extensions``). See ``template.py`` for the API."""

from emulator.resolvers.vtl.errors import TemplateRuntimeError, TemplateSyntaxError
from emulator.resolvers.vtl.template import Rendered, VtlContext, VtlTemplate, parse_rendered_json

__all__ = ["Rendered", "TemplateRuntimeError", "TemplateSyntaxError", "VtlContext", "VtlTemplate", "parse_rendered_json"]
