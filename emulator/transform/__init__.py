"""Amplify GraphQL schema (transformer v1 or v2) -> AppSync schema + ``ApiModel``.

``transform(sdl, options)`` reads the Amplify directives, plans every model (keys, indexes,
relations, auth) and generates the AppSync SDL the cloud would serve, plus the metadata
(``emulator.apimodel``) the rest of the emulator serves it from. Schema mistakes raise
``SchemaError`` with Amplify's wording and the line and column.
"""

from __future__ import annotations

from emulator.apimodel import ApiModel, TransformerVersion
from emulator.transform.errors import SchemaError
from emulator.transform.generate import generate
from emulator.transform.options import TransformOptions
from emulator.transform.parse import detect_version_of, parse_document, read_schema
from emulator.transform.plan import Dialect

__all__ = ["SchemaError", "TransformOptions", "detect_version", "transform"]


def detect_version(sdl: str) -> TransformerVersion:
    """v1 when the schema uses only v1 directives (``@key``, ``@connection``, ``@versioned``), else v2."""
    return detect_version_of(parse_document(sdl))


def transform(sdl: str, options: TransformOptions | None = None) -> ApiModel:
    """The AppSync schema and ``ApiModel`` Amplify's transformer would produce for ``sdl``."""
    options = options or TransformOptions()
    document = parse_document(sdl)
    version: TransformerVersion = options.version or detect_version_of(document)
    schema = read_schema(document, version)
    if version == "v2":
        from emulator.transform.v2 import plan_v2

        planned = plan_v2(schema, options)
    else:
        from emulator.transform.v1 import plan_v1

        planned = plan_v1(schema, options)
    return generate(planned, schema, options, Dialect.of(version))
