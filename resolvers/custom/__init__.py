"""Custom resolvers (VTL and APPSYNC_JS, unit and pipeline) run as AppSync runs them.

Built once per API generation from the declared specs, then called per field::

    resolvers = build_resolvers(custom, data_sources)        # templates parsed, JS checked
    call = ResolverCall.of(context, "Query", "quote", args, source, info_document(info))
    value = resolvers[("Query", "quote")].resolve(call)      # raises AppSyncError for the field
    call.util.appended_errors                                # util.appendError's, for the response

Modules: ``call`` (``ctx`` of one call, for both languages), ``code`` (templates and modules made
runnable), ``handlers`` (one handler in VTL or JS), ``resolver`` (unit and pipeline, early
return, the ``2017-02-28``/``2018-05-29`` rules), ``build`` (from ``emulator.resolver_specs``).
"""

from emulator.resolvers.custom.build import build_resolvers
from emulator.resolvers.custom.call import ResolverCall, info_document, selection_list
from emulator.resolvers.custom.code import JsCode, StepCode, VtlCode, compile_handler
from emulator.resolvers.custom.resolver import CustomResolver, FunctionStep

__all__ = [
    "CustomResolver",
    "FunctionStep",
    "JsCode",
    "ResolverCall",
    "StepCode",
    "VtlCode",
    "build_resolvers",
    "compile_handler",
    "info_document",
    "selection_list",
]
