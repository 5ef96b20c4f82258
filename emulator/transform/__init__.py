"""Amplify GraphQL schema (transformer v1 or v2) -> AppSync schema + ``ApiModel``.

``transform(sdl, options)`` reads the Amplify directives, plans every model (keys, indexes,
relations, auth) and generates the AppSync SDL the cloud would serve, plus the metadata
(``emulator.apimodel``) the rest of the emulator serves it from. Schema mistakes raise
``SchemaError`` with Amplify's wording and the line and column.
"""

from __future__ import annotations

from graphql import DocumentNode

from emulator.apimodel import ApiModel, TransformerVersion
from emulator.sdl import build_appsync_schema
from emulator.transform.errors import SchemaError, located_failure
from emulator.transform.generate import generate
from emulator.transform.options import TransformOptions
from emulator.transform.parse import detect_version_of, parse_document, read_schema
from emulator.transform.plan import Dialect

__all__ = ["SchemaError", "TransformOptions", "detect_version", "transform"]


def detect_version(sdl: str) -> TransformerVersion:
    """v1 when the schema uses only v1 directives (``@key``, ``@connection``, ``@versioned``), else v2."""
    return detect_version_of(parse_document(sdl))


def transform(sdl: str, options: TransformOptions | None = None) -> ApiModel:
    """The AppSync schema and ``ApiModel`` Amplify's transformer would produce for ``sdl``.

    Every failure is a ``SchemaError`` with a line and column: a case the transform does not
    handle, or an output schema that would not build, is reported at the input definition it
    names (or the first one) instead of escaping as a traceback.
    """
    options = options or TransformOptions()
    document = parse_document(sdl)
    try:
        return _transform(document, options)
    except SchemaError:
        raise
    except Exception as error:  # noqa: BLE001 - turned into a located, readable SchemaError
        raise located_failure(error, document) from error


def _transform(document: DocumentNode, options: TransformOptions) -> ApiModel:
    version: TransformerVersion = options.version or detect_version_of(document)
    schema = read_schema(document, version)
    if version == "v2":
        from emulator.transform.v2 import plan_v2

        planned = plan_v2(schema, options)
    else:
        from emulator.transform.v1 import plan_v1

        planned = plan_v1(schema, options)
    api = generate(planned, schema, options, Dialect.of(version))
    build_appsync_schema(api.sdl)  # the server builds it at start: a schema that cannot be served fails here
    return api
