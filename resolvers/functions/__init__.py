"""Lambda functions run locally: ``@function`` fields, Lambda authorizers, table triggers and
Lambda data sources all call a function through ``FunctionRunners.invoke``.

    runners.invoke(function_name, payload, *, invocation_type="RequestResponse") -> result

* ``function_name``: a function of the API's catalog (Gen 1 ``amplify/backend/function/<name>``,
  the config's ``[functions.<name>]``); ``-${env}`` / ``-<env>`` suffixes are matched as
  ``@function`` matches them.
* ``payload``: any JSON-ready value (DynamoDB numbers, sets and binary are converted); it is the
  handler's ``event``.
* ``invocation_type``: ``"RequestResponse"`` waits and returns the handler's result (JSON);
  ``"Event"`` returns None at once and runs the call in the background (failures are logged).
* Raises ``FunctionError`` (``.message``, ``.error_type`` = ``"Lambda:Unhandled"``, ``.cause`` =
  the handler's own error type) when the handler throws, times out or its process dies, and
  ``UnknownFunction`` (a ``FunctionError``) for a name the catalog does not have.

For AppSync's ``BatchInvoke``, call ``invoke`` with the list of payloads: the handler answers
the list of results.

Each function runs in long-lived runner processes (``runner.mjs`` for Node, JavaScript and
TypeScript; ``lambda_runner.py`` for Python) speaking JSON lines over stdin/stdout
(``protocol.py``), one call at a time per process, a few processes per function when calls
overlap (``pool.py``).
"""

from emulator.resolvers.functions.catalog import FunctionCatalog
from emulator.resolvers.functions.environment import FunctionCredentials, FunctionEnvironment
from emulator.resolvers.functions.errors import FunctionError, UnknownFunction
from emulator.resolvers.functions.runners import FunctionRunners
from emulator.resolvers.functions.spec import FunctionSpec, FunctionSpecError, StreamTrigger, runtime_of

__all__ = [
    "FunctionCatalog",
    "FunctionCredentials",
    "FunctionEnvironment",
    "FunctionError",
    "FunctionRunners",
    "FunctionSpec",
    "FunctionSpecError",
    "StreamTrigger",
    "UnknownFunction",
    "runtime_of",
]
