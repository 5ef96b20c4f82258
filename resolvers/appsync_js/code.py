"""Checked resolver code and the errors of code AppSync would not deploy.

A ``JsCodeError`` is shaped like AppSync's answer to a deploy of bad code: "The code contains one
or more errors." with ``codeErrors`` (``errorType``, ``value``, ``location``). ``problems`` turns
the rules' findings into those entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.resolvers.appsync_js.estree import Node
from emulator.resolvers.appsync_js.source_map import EditedSource, SourceText

CODE_ERRORS_MESSAGE = "The code contains one or more errors."
LINT_ERROR = "LINT_ERROR"
PARSER_ERROR = "PARSER_ERROR"


@dataclass(frozen=True)
class CodeProblem:
    """One of AppSync's ``codeErrors``: what is wrong and where (1-based line and column)."""

    error_type: str
    value: str
    line: int
    column: int
    span: int

    def describe(self, name: str) -> str:
        return f"{name}:{self.line}:{self.column}: {self.value}"

    def as_appsync(self) -> dict[str, Any]:
        return {
            "errorType": self.error_type,
            "value": self.value,
            "location": {"line": self.line, "column": self.column, "span": self.span},
        }


class JsCodeError(Exception):
    """Code AppSync would not deploy; ``problems`` in source order."""

    def __init__(self, name: str, problems: list[CodeProblem]) -> None:
        self.name = name
        self.problems = problems
        lines = "\n".join(f"  {problem.describe(name)}" for problem in problems)
        super().__init__(f"{name}: {CODE_ERRORS_MESSAGE}\n{lines}")

    def as_appsync(self) -> dict[str, Any]:
        return {"message": CODE_ERRORS_MESSAGE, "codeErrors": [problem.as_appsync() for problem in self.problems]}


@dataclass(frozen=True)
class JsResolverCode:
    """Checked code, ready to run: ``module_text`` is what QuickJS evaluates, ``edited`` maps its
    positions back to ``source``."""

    name: str
    source: str
    module_text: str
    edited: EditedSource

    def location(self, line: int, column: int) -> tuple[int, int]:
        """The user's position for a position QuickJS reports in ``module_text``."""
        return self.edited.original(line, column)


def problems(text: SourceText, tree: Node, findings: list[tuple[Node, str]]) -> list[CodeProblem]:
    """One problem per distinct finding, in source order."""
    seen: set[tuple[int, str]] = set()
    found: list[CodeProblem] = []
    for node, message in sorted(findings, key=lambda finding: finding[0]["start"]):
        if (node["start"], message) in seen:
            continue
        seen.add((node["start"], message))
        line, column, span = (1, 1, 0) if node is tree else text.node_location(node)
        found.append(CodeProblem(LINT_ERROR, message, line, column, span))
    return found
