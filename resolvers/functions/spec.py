"""What the emulator knows about one Lambda function, wherever it was found.

Readers (a Gen 1 project's ``amplify/backend/function/<name>/``, the config's
``[functions.<name>]``, Gen 2's ``defineFunction`` later) all produce ``FunctionSpec``s; the
runners only ever read these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Runtime = Literal["node", "python"]
StartingPosition = Literal["LATEST", "TRIM_HORIZON"]

DEFAULT_TIMEOUT_SECONDS = 3.0  # Lambda's own default
DEFAULT_MAX_INSTANCES = 4  # concurrent calls of one function before further calls wait

NODE_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
TYPESCRIPT_SUFFIXES = (".ts", ".mts", ".cts")
PYTHON_SUFFIXES = (".py",)


class FunctionSpecError(ValueError):
    """A function that cannot be run as declared; the message names where it was declared."""


def runtime_of(handler_file: Path) -> Runtime | None:
    """The runtime a handler file needs, from its extension (None: neither Node nor Python)."""
    suffix = handler_file.suffix.lower()
    if suffix in NODE_SUFFIXES:
        return "node"
    if suffix in PYTHON_SUFFIXES:
        return "python"
    return None


@dataclass(frozen=True)
class StreamTrigger:
    """A model table whose stream feeds the function (``AWS::Lambda::EventSourceMapping``)."""

    model: str
    batch_size: int = 100
    starting_position: StartingPosition = "LATEST"


@dataclass(frozen=True)
class FunctionSpec:
    """One function: its handler, runtime, limits, environment and what triggers it."""

    name: str
    handler_file: Path  # absolute
    export: str  # the handler's exported name (``handler`` in ``index.handler``)
    runtime: Runtime
    origin: str  # where it was declared, for messages: a file, or a config table
    task_root: Path  # the function's code folder: its working directory, watched for changes
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    environment: Mapping[str, str] = field(default_factory=dict)  # the function's own variables
    python: str | None = None  # interpreter for a Python function; None: the emulator's own
    triggers: tuple[StreamTrigger, ...] = ()
    max_instances: int = DEFAULT_MAX_INSTANCES
    runtime_name: str = ""  # as declared (``nodejs18.x``, ``python3.11``), for the log
    aliases: tuple[str, ...] = ()  # other names a ``@function`` calls it by (Gen 2's ``FnEcho``)

    @property
    def is_typescript(self) -> bool:
        return self.handler_file.suffix.lower() in TYPESCRIPT_SUFFIXES

    @property
    def handler(self) -> str:
        """Lambda's ``_HANDLER`` form: ``<file without extension, from the task root>.<export>``."""
        try:
            relative = self.handler_file.relative_to(self.task_root)
        except ValueError:
            relative = Path(self.handler_file.name)
        return f"{relative.with_suffix('').as_posix()}.{self.export}"
