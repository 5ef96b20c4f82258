"""Custom resolvers (VTL and APPSYNC_JS, unit and pipeline) run as AppSync runs them.

Built once per API generation from the declared specs, then called per field::

    resolvers = build_resolvers(custom, data_sources)        # templates parsed, JS checked
    call = ResolverCall.of(context, "Query", "quote", args, source, info_document(info))
    value = resolvers[("Query", "quote")].resolve(call)      # raises AppSyncError for the field
    call.util.appended_errors                                # util.appendError's, for the response

    operations = build_slotted_operations(custom, api, data_sources, table_name, api_id)
    operations[("Mutation", "createPost")].resolve(call)     # the native operation with its slots

Modules: ``call`` (``ctx`` of one call, for both languages), ``code`` (templates and modules made
runnable), ``handlers`` (one handler in VTL or JS), ``steps`` (request, data source, response,
with the ``2017-02-28``/``2018-05-29`` rules), ``resolver`` (unit and pipeline, early return),
``batch`` (``BatchInvoke`` of sibling fields), ``slots`` (Amplify's v2 slots and template
overrides around the native model operations), ``build`` (from ``emulator.resolver_specs``).
"""

from emulator.resolvers.custom.build import build_resolvers, build_slotted_operations, build_v1_overrides
from emulator.resolvers.custom.call import ResolverCall, info_document, selection_list
from emulator.resolvers.custom.code import JsCode, StepCode, VtlCode, compile_handler
from emulator.resolvers.custom.resolver import CustomResolver, FunctionStep
from emulator.resolvers.custom.slots import SlottedOperation

__all__ = [
    "CustomResolver",
    "FunctionStep",
    "JsCode",
    "ResolverCall",
    "SlottedOperation",
    "StepCode",
    "VtlCode",
    "build_resolvers",
    "build_slotted_operations",
    "build_v1_overrides",
    "compile_handler",
    "info_document",
    "selection_list",
]
