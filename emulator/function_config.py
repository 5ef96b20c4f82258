"""The config file's Lambda functions, ``[functions.<name>]``, for any project (README "Lambda functions").

```toml
[functions.echo]
handler = "functions/echo.mjs:handler"   # file:export (export "handler" by default); runtime from the file
timeout = 3                              # seconds, as Lambda's Timeout
environment = { GREETING = "hi" }
max_instances = 4                        # runner processes when calls overlap
triggers = ["Post"]                      # models whose table stream feeds the function
```

Paths are relative to the config file; the accepted keys are ``emulator.config_schema``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from emulator.config_reader import ConfigError, TableReader
from emulator.config_schema import table_keys


@dataclass(frozen=True)
class FunctionSettings:
    """``[functions.<name>]``: a Lambda function of any project (README "Lambda functions")."""

    name: str
    handler_file: Path  # absolute
    export: str = "handler"
    runtime: str | None = None  # "node" | "python"; None: from the file's extension
    timeout_seconds: float = 3.0
    environment: dict[str, str] = field(default_factory=dict)
    python: str | None = None  # the interpreter of a Python function (its virtualenv's python)
    max_instances: int = 4
    triggers: tuple[str, ...] = ()  # models whose table stream feeds the function
    batch_size: int = 100



_RUNTIMES = ("node", "python")


def _function(top: TableReader, name: str) -> FunctionSettings:
    """One ``[functions.<name>]`` table: ``handler = "file:export"`` (export ``handler`` by default)."""
    reader = top.sub("functions", set(top.table.get("functions", {}))).sub(name, table_keys("functions"))
    spec = reader.text("handler", None)
    if not spec:
        raise ConfigError(f"{reader.file}: key 'functions.{name}.handler' is required: "
                          "the handler file and its export, e.g. \"functions/echo.mjs:handler\"")
    file_part, _, export = spec.rpartition(":") if ":" in spec else (spec, "", "handler")
    handler_file = (reader.file.parent / file_part).resolve()
    if not handler_file.is_file():
        raise ConfigError(f"{reader.file}: key 'functions.{name}.handler' names {file_part!r}, "
                          f"but {handler_file} is not a file")
    runtime = reader.choice("runtime", None, _RUNTIMES)
    if runtime is None and handler_file.suffix.lower() not in (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".py"):
        raise ConfigError(f"{reader.file}: key 'functions.{name}.handler': cannot tell the runtime of "
                          f"{handler_file.name}; use a .js/.mjs/.cjs/.ts/.py file or set runtime")
    environment = reader.table.get("environment", {})
    if not isinstance(environment, dict) or not all(isinstance(v, str | int | float | bool) for v in environment.values()):
        raise reader.fail("environment", "a table of strings, e.g. { TABLE = \"x\" }")
    timeout = reader.number("timeout", 3.0)
    max_instances = reader.integer("max_instances", 4)
    batch_size = reader.integer("batch_size", 100)
    if not 0 < timeout <= 900:
        raise reader.fail("timeout", "seconds between 1 and 900 (Lambda's limit)")
    if not 1 <= max_instances <= 64:
        raise reader.fail("max_instances", "between 1 and 64")
    if not 1 <= batch_size <= 10_000:
        raise reader.fail("batch_size", "between 1 and 10000")
    return FunctionSettings(
        name=name,
        handler_file=handler_file,
        export=export or "handler",
        runtime=runtime,
        timeout_seconds=timeout,
        environment={str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in environment.items()},
        python=reader.text("python", None),
        max_instances=max_instances,
        triggers=reader.text_list("triggers", ()),
        batch_size=batch_size,
    )


def read_function_settings(top: TableReader) -> tuple[FunctionSettings, ...]:
    raw = top.table.get("functions", {})
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise ConfigError(f"{top.file}: key 'functions' must hold one table per function, e.g. [functions.echo]")
    return tuple(_function(top, name) for name in raw)
