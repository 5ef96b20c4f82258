"""What can stop a template: syntax errors at parse time, runtime failures, and the control flow
of ``#break``, ``#stop`` and ``#return`` (raised as exceptions, caught where they end)."""

from __future__ import annotations

from typing import Any

from emulator.errors import AppSyncError


class TemplateSyntaxError(Exception):
    """A template that does not parse, with where (1-based line and column)."""

    def __init__(self, message: str, name: str, line: int, column: int) -> None:
        super().__init__(f"{message} at {name}[line {line}, column {column}]")
        self.message = message
        self.name = name
        self.line = line
        self.column = column

    def as_appsync_error(self) -> AppSyncError:
        return AppSyncError(str(self), "MappingTemplate")


class TemplateRuntimeError(Exception):
    """A failure while rendering (a Java method that would throw, a helper refusing its
    arguments); ends the template with a ``MappingTemplate`` error."""

    def __init__(self, message: str, name: str = "", line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.name = name
        self.line = line
        self.column = column

    def located(self, name: str, line: int, column: int) -> TemplateRuntimeError:
        if self.line:
            return self
        return TemplateRuntimeError(self.message, name, line, column)

    def as_appsync_error(self) -> AppSyncError:
        where = f" at {self.name}[line {self.line}, column {self.column}]" if self.line else ""
        return AppSyncError(f"{self.message}{where}", "MappingTemplate")


class NoSuchMember(LookupError):
    """No method or property of that name (and arity) on the value: the reference is invalid
    and renders as written, as Velocity renders invalid references."""


class BreakLoop(Exception):
    """``#break``: leave the innermost ``#foreach`` (or the template, outside any loop)."""


class StopRendering(Exception):
    """``#stop``: the template ends; what it rendered so far is its output."""


class ReturnFromTemplate(Exception):
    """AppSync's ``#return`` / ``#return(value)``: the template ends with ``value``."""

    def __init__(self, value: Any) -> None:
        super().__init__("#return")
        self.value = value
