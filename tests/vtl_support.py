"""Rendering small templates in tests."""

from __future__ import annotations

from typing import Any

from emulator.resolvers.appsync_util import UtilRequest
from emulator.resolvers.vtl import Rendered, VtlContext, VtlTemplate


def run(text: str, **context: Any) -> Rendered:
    """Renders ``text`` with ``VtlContext(**context)`` (a Query.getPost field by default)."""
    context.setdefault("info", {"fieldName": "getPost", "parentTypeName": "Query"})
    util = context.pop("util", None) or UtilRequest(field_name="getPost", parent_type_name="Query")
    return VtlTemplate.parse(text, "test.vtl").render(VtlContext(util=util, **context))


def text(template: str, **context: Any) -> str:
    """The rendered text; the render must not fail."""
    rendered = run(template, **context)
    assert rendered.error is None, rendered.error
    return rendered.text
