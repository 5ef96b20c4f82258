"""The event a ``@function`` Lambda receives, exactly as Amplify's pipeline builds it.

Amplify's request template sends ``{typeName, fieldName, arguments, identity, source, request:
{headers, domainName}, prev}`` and nothing else (no ``info``, no ``stash``: those belong to
direct Lambda resolvers). ``prev`` is ``{"result": …}`` of the previous step of the pipeline; the
first function sees the pipeline's ``before`` result, an empty object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.resolvers.context import ResolverContext
from emulator.resolvers.identity_document import identity_document


def function_event(
    context: ResolverContext,
    type_name: str,
    field_name: str,
    arguments: Mapping[str, Any],
    source: Any,
    prev_result: Any,
) -> dict[str, Any]:
    return {
        "typeName": type_name,
        "fieldName": field_name,
        "arguments": dict(arguments),
        "identity": identity_document(context.identity),
        "source": dict(source) if isinstance(source, Mapping) else source,
        "request": {"headers": dict(context.request_headers), "domainName": None},
        "prev": {"result": prev_result},
    }
