"""Loading resolver code: checked once, as AppSync checks it when the code is deployed.

``JsCodeLoader.load(source, name)`` parses the module (acorn), refuses what AppSync refuses (the
rules modules), prepares the text QuickJS runs (``instrument``) and tries it once in a fresh
runtime; the result is an immutable ``JsResolverCode`` that every request reuses.
"""

from __future__ import annotations

from emulator.resolvers.appsync_js.code import (
    LINT_ERROR,
    PARSER_ERROR,
    CodeProblem,
    JsCodeError,
    JsResolverCode,
    problems,
)
from emulator.resolvers.appsync_js.context_rules import context_findings
from emulator.resolvers.appsync_js.function_rules import function_findings
from emulator.resolvers.appsync_js.instrument import edited_module
from emulator.resolvers.appsync_js.module_shape import module_shape
from emulator.resolvers.appsync_js.parser import AcornParser, JsSyntaxError
from emulator.resolvers.appsync_js.runtime import compile_problem
from emulator.resolvers.appsync_js.source_map import SourceText
from emulator.resolvers.appsync_js.syntax_rules import syntax_findings

MAX_CODE_LENGTH = 32768  # AppSync's limit on a resolver's or function's code (UTF-16 units)


class JsCodeLoader:
    """Loads many files with one parser (acorn's set-up is paid once per thread) and remembers
    what it has loaded, by name and text, so a reload only checks the files that changed."""

    def __init__(self) -> None:
        self._parser = AcornParser()
        self._loaded: dict[tuple[str, str], JsResolverCode] = {}

    def load(self, source: str, name: str) -> JsResolverCode:
        """The checked code, or ``JsCodeError`` listing every problem found."""
        key = (name, source)
        if key not in self._loaded:
            self._loaded[key] = self._check(source, name)
        return self._loaded[key]

    def _check(self, source: str, name: str) -> JsResolverCode:
        text = SourceText(source)
        if len(source.encode("utf-16-le")) // 2 > MAX_CODE_LENGTH:
            message = f"The code is longer than AppSync's limit of {MAX_CODE_LENGTH} characters."
            raise JsCodeError(name, [CodeProblem(LINT_ERROR, message, 1, 1, 0)])
        try:
            tree = self._parser.parse(source)
        except JsSyntaxError as error:
            line, column = text.location(text.index(error.offset))
            raise JsCodeError(name, [CodeProblem(PARSER_ERROR, f"Parsing error: {error.message}", line, column, 1)]) from None
        shape, findings = module_shape(tree)
        findings = [*findings, *syntax_findings(tree), *context_findings(tree), *function_findings(tree)]
        if findings:
            raise JsCodeError(name, problems(text, tree, findings))
        module_text, edited = edited_module(text, tree, shape)
        code = JsResolverCode(name, source, module_text, edited)
        problem = compile_problem(code)
        if problem is not None:
            raise JsCodeError(name, [problem])
        return code


def load_code(source: str, name: str) -> JsResolverCode:
    """Check and prepare one file (a ``JsCodeLoader`` is cheaper for many)."""
    return JsCodeLoader().load(source, name)
