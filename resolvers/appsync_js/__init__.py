"""AppSync's APPSYNC_JS runtime: resolver and pipeline-function code in JavaScript.

Code is loaded once (at start or reload); each call of a resolver or pipeline function gets a
fresh QuickJS context (``quickjs-ng``) and each handler a new instance of the code's module, so
no state carries from one request to the next, as on AppSync::

    loader = JsCodeLoader()                        # one per (re)load; acorn loads once per thread
    code = loader.load(source, "amplify/data/addPost.js")   # JsResolverCode, or JsCodeError

    invocation = JsInvocation(code, request)       # one per call, used by one thread
    outcome = invocation.evaluate("request", ctx)  # JsOutcome
    ... the data source runs outcome.value (unless outcome.error / outcome.early_return) ...
    ctx["stash"], ctx["result"] = outcome.stash, data_source_result
    outcome = invocation.evaluate("response", ctx)

``evaluate(code, handler, ctx, request)`` runs one handler in a context of its own.

- ``load`` refuses what AppSync refuses when code is deployed, with AppSync's messages and
  positions: syntax errors (``PARSER_ERROR``), the constructs the runtime does not support
  (``try``, ``throw``, ``while``, C-style ``for``, ``++``, ``in``, ``continue``, labels, async,
  generators, classes, ``this``, regex literals, recursion, re-assigning ``ctx``, ... as
  ``LINT_ERROR``), imports other than ``@aws-appsync/utils`` and ``@aws-appsync/utils/dynamodb``,
  a missing ``request`` or ``response`` export, code over 32 768 characters.
  ``JsCodeError.as_appsync()`` is AppSync's ``{"message": "The code contains one or more
  errors.", "codeErrors": [...]}``.
- ``ctx`` is AppSync's context as JSON-like values: ``arguments`` (also ``args``), ``identity``,
  ``source``, ``stash``, ``result``, ``prev`` (``{"result": ...}``), ``error`` (``{"message",
  "type"}``), ``info`` (``fieldName``, ``parentTypeName``, ``variables``, ``selectionSetList``,
  ``selectionSetGraphQL``), ``request`` (``headers``, ``domainName``), ``env``.
- ``request`` is the ``appsync_util.UtilRequest`` of the resolver call (auth mode, field names,
  clock); ``util`` helpers are ``appsync_util``'s, shared with VTL. It collects appended errors,
  logs, response headers and extensions over all handlers of a resolver; each ``JsOutcome``
  lists what its own run added.
- ``JsOutcome.error`` is the error that ended the handler: ``util.error`` (message, type, data,
  info), ``util.unauthorized()``, or ``errorType: "Code"`` for a JavaScript exception
  (``code.js:<line>:<column>: TypeError: ...``, the user's own position), a time-out or memory
  exhaustion. ``JsOutcome.early_return`` is set by ``runtime.earlyReturn(value, {skipTo})``;
  ``value`` then holds the early-returned value.
- ``JsLimits``: CPU time per handler (1 s), memory (64 MB) and stack (1 MB) per context.

Modules: ``parser`` (acorn in QuickJS), ``syntax_rules`` / ``context_rules`` / ``function_rules``
/ ``module_shape`` (the start-time check), ``instrument`` + ``source_map`` (the text QuickJS runs),
``loader`` + ``code`` (loading), ``runtime`` + ``host`` + ``run_outcome`` + ``js/prelude.js``
(running),
``dynamodb_module`` / ``dynamodb_update`` / ``dynamodb_values`` (``@aws-appsync/utils/dynamodb``).
"""

from emulator.resolvers.appsync_js.code import CodeProblem, JsCodeError, JsResolverCode
from emulator.resolvers.appsync_js.loader import JsCodeLoader, load_code
from emulator.resolvers.appsync_js.outcome import EarlyReturn, JsOutcome
from emulator.resolvers.appsync_js.runtime import JsInvocation, JsLimits, evaluate

__all__ = [
    "CodeProblem",
    "EarlyReturn",
    "JsCodeError",
    "JsCodeLoader",
    "JsInvocation",
    "JsLimits",
    "JsOutcome",
    "JsResolverCode",
    "evaluate",
    "load_code",
]
