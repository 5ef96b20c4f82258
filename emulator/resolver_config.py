"""The config file's custom resolvers, for projects without Amplify (or to adjust an Amplify one).

```toml
[data_sources.Ledger]                # AMAZON_DYNAMODB | AWS_LAMBDA | HTTP | NONE
type = "AMAZON_DYNAMODB"
table = "Ledger"                     # a model ("Post"), its data source name ("PostTable"), or a table name
partition_key = "pk"                 # a table that is not a model's: its key ("name" or "name:S|N|B"),
sort_key = "sk:N"                    # created at start like the model tables
indexes = [{ name = "byOwner", partition_key = "owner", sort_key = "createdAt" }]

[data_sources.Echo]
type = "AWS_LAMBDA"
function = "echo"                    # the function the runners know (default: the data source's name)

[data_sources.Weather]
type = "HTTP"
endpoint = "http://127.0.0.1:9000"
allow_external = false               # true lets it call a non-loopback host

[resolvers."Query.echo"]             # UNIT: data_source plus request/response (VTL) or code (APPSYNC_JS)
data_source = "Echo"
request = "resolvers/Query.echo.req.vtl"
response = "resolvers/Query.echo.res.vtl"

[resolvers."Mutation.checkout"]      # PIPELINE: functions in order, optional before/after
pipeline = ["validateCart", "saveOrder"]
code = "resolvers/checkout.js"

[pipeline_functions.saveOrder]
data_source = "PostTable"
code = "resolvers/saveOrder.js"
```

Paths are relative to the config file. A ``[data_sources.X]`` without ``type`` adjusts the
project's data source ``X`` (e.g. ``allow_external``, or ``endpoint`` pointing an Amplify HTTP data
source at a local mock); a ``[resolvers."T.f"]`` replaces a stack's resolver on that field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.config_reader import ConfigError, TableReader
from emulator.config_schema import table_keys
from emulator.resolver_specs import RUNNABLE_KINDS

_KEY = re.compile(r"([^:\s]+)(?::(S|N|B))?")
_FIELD = re.compile(r"([_A-Za-z][_0-9A-Za-z]*)\.([_A-Za-z][_0-9A-Za-z]*)")


@dataclass(frozen=True)
class ConfigHandler:
    request: Path | None = None
    response: Path | None = None
    code: Path | None = None


@dataclass(frozen=True)
class KeyPart:
    name: str
    type: str = "S"


@dataclass(frozen=True)
class ConfigIndex:
    name: str
    partition_key: KeyPart
    sort_key: KeyPart | None = None


@dataclass(frozen=True)
class ConfigDataSource:
    """``[data_sources.<name>]``: only the keys the file gives (None = not given)."""

    name: str
    origin: str
    type: str | None = None
    table: str | None = None
    partition_key: KeyPart | None = None
    sort_key: KeyPart | None = None
    indexes: tuple[ConfigIndex, ...] = ()
    function: str | None = None
    endpoint: str | None = None
    allow_external: bool | None = None


@dataclass(frozen=True)
class ConfigFunction:
    name: str
    data_source: str
    handler: ConfigHandler
    origin: str
    max_batch_size: int | None = None


@dataclass(frozen=True)
class ConfigResolver:
    type_name: str
    field_name: str
    handler: ConfigHandler
    origin: str
    data_source: str | None = None
    pipeline: tuple[str, ...] = ()
    max_batch_size: int | None = None


@dataclass(frozen=True)
class CustomConfig:
    data_sources: dict[str, ConfigDataSource] = field(default_factory=dict)
    resolvers: dict[tuple[str, str], ConfigResolver] = field(default_factory=dict)
    functions: dict[str, ConfigFunction] = field(default_factory=dict)


def read_custom_config(top: TableReader) -> CustomConfig:
    """The ``[data_sources]``, ``[resolvers]`` and ``[pipeline_functions]`` tables, checked."""
    data_sources = {name: _data_source(entry) for name, entry in _entries(top, "data_sources").items()}
    functions = {name: _function(entry) for name, entry in _entries(top, "pipeline_functions").items()}
    resolvers: dict[tuple[str, str], ConfigResolver] = {}
    for name, entry in _entries(top, "resolvers").items():
        resolver = _resolver(name, entry)
        resolvers[(resolver.type_name, resolver.field_name)] = resolver
        for function in resolver.pipeline:
            if function not in functions:
                raise ConfigError(f"{top.file}: key 'resolvers.{name}.pipeline' names {function!r}, which is not "
                                  f"declared in [pipeline_functions] ({', '.join(functions) or 'none declared'})")
    return CustomConfig(data_sources, resolvers, functions)


def _entries(top: TableReader, table: str) -> dict[str, TableReader]:
    raw = top.table.get(table, {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{top.file}: key {table!r} must be a table of named entries")
    entries = {}
    for name, entry in raw.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"{top.file}: key '{table}.{name}' must be a table, got {entry!r}")
        entries[str(name)] = TableReader(top.file, f"{table}.{name}.", entry, table_keys(table))
    return entries


def _origin(reader: TableReader) -> str:
    return f"{reader.file}: [{reader.prefix.rstrip('.')}]"


def _data_source(reader: TableReader) -> ConfigDataSource:
    name = reader.prefix.split(".", 1)[1].rstrip(".")
    kind = reader.choice("type", None, RUNNABLE_KINDS)
    endpoint = reader.text("endpoint", None)
    if endpoint is not None and not endpoint.startswith(("http://", "https://")):
        raise reader.fail("endpoint", "an http:// or https:// URL")
    allow = reader.table.get("allow_external")
    if allow is not None and not isinstance(allow, bool):
        raise reader.fail("allow_external", "true or false")
    if kind is not None:
        _check_kind_keys(reader, kind)
    partition = _key_part(reader, "partition_key")
    sort = _key_part(reader, "sort_key")
    if sort is not None and partition is None:
        raise ConfigError(f"{reader.file}: key '{reader.prefix}sort_key' needs '{reader.prefix}partition_key'")
    return ConfigDataSource(
        name=name,
        origin=_origin(reader),
        type=kind,
        table=reader.text("table", None),
        partition_key=partition,
        sort_key=sort,
        indexes=_indexes(reader),
        function=reader.text("function", None),
        endpoint=endpoint,
        allow_external=allow,
    )


_KIND_KEYS = {
    "AMAZON_DYNAMODB": {"type", "table", "partition_key", "sort_key", "indexes"},
    "AWS_LAMBDA": {"type", "function"},
    "HTTP": {"type", "endpoint", "allow_external"},
    "NONE": {"type"},
}


def _check_kind_keys(reader: TableReader, kind: str) -> None:
    extra = sorted(set(reader.table) - _KIND_KEYS[kind])
    if extra:
        raise ConfigError(f"{reader.file}: key '{reader.prefix}{extra[0]}' does not apply to a {kind} data source "
                          f"(its keys: {', '.join(sorted(_KIND_KEYS[kind]))})")
    if kind == "AMAZON_DYNAMODB" and "table" not in reader.table:
        raise ConfigError(f"{reader.file}: key '{reader.prefix}table' is required for an AMAZON_DYNAMODB data source")
    if kind == "HTTP" and "endpoint" not in reader.table:
        raise ConfigError(f"{reader.file}: key '{reader.prefix}endpoint' is required for an HTTP data source")


def _key_part(reader: TableReader, key: str, value: Any = None) -> KeyPart | None:
    text = reader.text(key, None) if value is None else value
    if text is None:
        return None
    match = _KEY.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ConfigError(f"{reader.file}: key '{reader.prefix}{key}' must be \"name\" or \"name:S|N|B\", got {text!r}")
    return KeyPart(match.group(1), match.group(2) or "S")


def _indexes(reader: TableReader) -> tuple[ConfigIndex, ...]:
    raw = reader.table.get("indexes", [])
    if not isinstance(raw, list):
        raise reader.fail("indexes", "a list of { name, partition_key, sort_key } tables")
    indexes = []
    for position, entry in enumerate(raw):
        where = f"{reader.prefix}indexes[{position}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or "partition_key" not in entry \
                or set(entry) - {"name", "partition_key", "sort_key"}:
            raise ConfigError(f"{reader.file}: key '{where}' must be {{ name = \"...\", partition_key = \"...\", "
                              f"sort_key = \"...\" (optional) }}, got {entry!r}")
        partition = _key_part(reader, "indexes", entry["partition_key"])
        sort = _key_part(reader, "indexes", entry["sort_key"]) if "sort_key" in entry else None
        assert partition is not None
        indexes.append(ConfigIndex(entry["name"], partition, sort))
    return tuple(indexes)


def _handler(reader: TableReader) -> ConfigHandler:
    handler = ConfigHandler(
        request=reader.file_path("request"),
        response=reader.file_path("response"),
        code=reader.file_path("code"),
    )
    if handler.code is not None and (handler.request is not None or handler.response is not None):
        raise ConfigError(f"{reader.file}: [{reader.prefix.rstrip('.')}] has code (APPSYNC_JS) and request/response "
                          "templates (VTL); give one or the other")
    return handler


def _batch_size(reader: TableReader) -> int | None:
    if "max_batch_size" not in reader.table:
        return None
    size = reader.integer("max_batch_size", 0)
    if not 0 <= size <= 2000:
        raise reader.fail("max_batch_size", "an integer from 0 to 2000")
    return size


def _function(reader: TableReader) -> ConfigFunction:
    name = reader.prefix.split(".", 1)[1].rstrip(".")
    data_source = reader.text("data_source", None)
    if not data_source:
        raise ConfigError(f"{reader.file}: key '{reader.prefix}data_source' is required")
    return ConfigFunction(name, data_source, _handler(reader), _origin(reader), _batch_size(reader))


def _resolver(name: str, reader: TableReader) -> ConfigResolver:
    where = _FIELD.fullmatch(name)
    if where is None:
        raise ConfigError(f"{reader.file}: [resolvers.{name}] must be named \"Type.field\", e.g. [resolvers.\"Query.echo\"]")
    data_source = reader.text("data_source", None)
    pipeline = reader.text_list("pipeline", ())
    if (data_source is None) == ("pipeline" not in reader.table):
        raise ConfigError(f"{reader.file}: [resolvers.\"{name}\"] needs either data_source (a UNIT resolver) or "
                          "pipeline (a list of [pipeline_functions]), not both")
    return ConfigResolver(where.group(1), where.group(2), _handler(reader), _origin(reader), data_source,
                          tuple(pipeline), _batch_size(reader))
