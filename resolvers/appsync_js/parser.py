"""Parsing resolver code into an ESTree syntax tree with acorn, run inside QuickJS.

Why acorn inside QuickJS: the start-time check needs a real, current JavaScript parser (``?.``,
``??``, classes, generators, every ES2023 form) that reports syntax errors with a position.
Measured here (2 cores, shared):

- acorn 8.19 (vendored in ``js/acorn.js``, MIT, see THIRD_PARTY_NOTICES.md) in the QuickJS that
  the runtime already ships: 50-65 ms to load once per thread, then ~1 ms per resolver file. No new
  dependency, spec-exact ESTree (the tree family ESLint and AppSync's own lint rules walk), and
  acorn's syntax error messages with line and column.
- tree-sitter 0.26 + tree-sitter-javascript 0.25 (PyPI): 0.1 ms per file but two more native
  dependencies, a lenient grammar (error recovery instead of errors) and no error messages.
- esprima 4.0.1 / pyjsparser 2.7.1 (PyPI): 2018-2019, no ``?.``/``??``: unusable.

Parsing happens once per code file at start or reload, so acorn's load time is paid once per
thread. The tree comes back to Python as JSON; the rules run in Python (``checks``).
"""

from __future__ import annotations

import json
import threading
from importlib.resources import files
from typing import Any

import quickjs

ACORN_SOURCE = files("emulator.resolvers.appsync_js.js").joinpath("acorn.js").read_text(encoding="utf-8")

PARSE_FUNCTION = """
globalThis.__appsync_parse = function (source) {
  try {
    const tree = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module' });
    return JSON.stringify({ tree: tree }, function (key, value) {
      return typeof value === 'bigint' ? String(value) : value;
    });
  } catch (error) {
    if (error instanceof SyntaxError && typeof error.pos === 'number') {
      return JSON.stringify({
        error: { message: error.message.replace(/ \\(\\d+:\\d+\\)$/, ''), offset: error.pos },
      });
    }
    throw error;
  }
};
"""


class JsSyntaxError(Exception):
    """Acorn's message and the UTF-16 offset where the source stops being JavaScript."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class AcornParser:
    """Parses module source into an ESTree ``dict``. A QuickJS context must stay on the thread
    that created it, so each thread gets its own acorn context, created on first use."""

    def __init__(self) -> None:
        self._local = threading.local()

    def parse(self, source: str) -> dict[str, Any]:
        answer = json.loads(self._parse_function()(source))
        if "error" in answer:
            raise JsSyntaxError(answer["error"]["message"], answer["error"]["offset"])
        return answer["tree"]

    def _parse_function(self) -> Any:
        function = getattr(self._local, "parse", None)
        if function is None:
            context = quickjs.Context()
            context.eval(ACORN_SOURCE)
            context.eval(PARSE_FUNCTION)
            function = context.get("__appsync_parse")
            self._local.context = context
            self._local.parse = function
        return function
